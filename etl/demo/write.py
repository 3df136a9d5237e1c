"""Write demo files in the submission format: CSV (comma, or semicolon with a
BOM), XLSX (sheet `data`) and the ministries' JSON; corrections and one bad file.

Some provinces write unit names instead of codes (`Tỉnh Quảng Ninh`,
`TP. Hồ Chí Minh`, NFD-normalised `Nghệ An`, ...) to exercise name resolution.
Output is byte-for-byte reproducible (XLSX timestamps are fixed).
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

from etl.demo.clock import stable_rng
from etl.demo.files import DemoFile, Row, period_end

NAME_STYLE = {
    "22": lambda name, era: f"Tỉnh {name}",
    "79": lambda name, era: name,
    "46": lambda name, era: "Thừa Thiên-Huế" if era == "old" else "Thành phố Huế",
    "40": lambda name, era: unicodedata.normalize("NFD", name),
    "56": lambda name, era: "Khánh Hoà",
    "92": lambda name, era: "Thành phố Cần Thơ",
}
SEMICOLON = {"17", "36", "45", "52", "60", "75", "87", "93"}
XLSX = {"38", "86"}  # their yearly and target files
ESTIMATE_NOTE = "Số ước tính"
CORRECTION_NOTE = "Điều chỉnh số liệu đã báo cáo"


def file_format(f: DemoFile) -> str:
    if f.fmt:
        return f.fmt
    if not f.reporter.startswith("UBND-"):
        return "json"
    prov = f.reporter[5:]
    if prov in XLSX and len(f.period) == 4:
        return "xlsx"
    return "csv;" if prov in SEMICOLON else "csv"


def relative_path(f: DemoFile) -> str:
    ext = {"csv": "csv", "csv;": "csv", "xlsx": "xlsx", "json": "json"}[file_format(f)]
    return f"{f.period[:4]}/{f.reporter}_{f.regime}_{f.period}{f.suffix}.{ext}"


def value_text(row: Row) -> str:
    if row.decimals == 0:
        return str(int(round(row.value)))
    return f"{row.value:.{row.decimals}f}"


def value_number(row: Row) -> int | float:
    if row.decimals == 0:
        return int(round(row.value))
    return round(row.value, row.decimals)


def write_file(root: Path, f: DemoFile, names: dict, latest: str) -> Path:
    path = root / relative_path(f)
    path.parent.mkdir(parents=True, exist_ok=True)
    fmt = file_format(f)
    prov = f.reporter[5:] if f.reporter.startswith("UBND-") else None
    style = NAME_STYLE.get(prov) if fmt == "csv" and not f.suffix else None
    note = ESTIMATE_NOTE if f.period == latest and prov else ""
    if f.suffix:
        note = CORRECTION_NOTE
    targets = any(r.kind == "target" for r in f.rows)
    plans = any(r.target_basis for r in f.rows)  # a second plan's targets
    if fmt == "json":
        rows = []
        for r in f.rows:
            item = {
                "indicator_code": r.code,
                "unit_code": r.unit,
                "period": r.period,
                "value": value_number(r),
            }
            if targets:
                item.update(kind=r.kind, basis=r.basis)
                if r.target_basis:
                    item.update(target_basis=r.target_basis)
            rows.append(item)
        path.write_text(
            json.dumps(
                {"reporter": f.reporter, "rows": rows}, ensure_ascii=False, indent=1
            ),
            encoding="utf-8",
        )
        return path
    header = [
        "indicator_code",
        "unit_code",
        *(["unit_name"] if style else []),
        "period",
        "value",
        *(["kind", "basis"] if targets else []),
        *(["target_basis"] if plans else []),
        "reporter",
        "note",
    ]
    records = []
    for r in f.rows:
        unit = [r.unit]
        if style:  # the province by its name, its communes by code
            unit = (
                ["", style(names[(r.unit, f.era)], f.era)]
                if len(r.unit) == 2
                else [r.unit, ""]
            )
        value = value_number(r) if fmt == "xlsx" else value_text(r)
        records.append(
            [r.code, *unit, r.period, value]
            + ([r.kind, r.basis] if targets else [])
            + ([r.target_basis] if plans else [])
            + ["", note]
        )
    if fmt == "xlsx":
        _write_xlsx(path, header, records, f)
        return path
    with path.open(
        "w", encoding="utf-8-sig" if fmt == "csv;" else "utf-8", newline=""
    ) as fh:
        writer = csv.writer(
            fh,
            delimiter=";" if fmt == "csv;" else ",",
            lineterminator="\r\n" if fmt == "csv;" else "\n",
        )
        writer.writerow([h.title() for h in header] if fmt == "csv;" else header)
        writer.writerows(records)
    return path


def _write_xlsx(path: Path, header: list, records: list, f: DemoFile) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "data"
    sheet.append(header)
    for record in records:
        sheet.append(record)
    stamp = f.submitted_at or datetime(2000, 1, 1)
    book.properties.creator = f.reporter
    book.properties.created = stamp
    buffer = io.BytesIO()
    book.save(buffer)
    path.write_bytes(_stable_zip(buffer.getvalue(), stamp))


def _stable_zip(data: bytes, stamp: datetime) -> bytes:
    """The same workbook bytes for the same content (openpyxl stamps 'now')."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = re.sub(
                    rb"(<dcterms:(created|modified)[^>]*>)[^<]*",
                    lambda m: m.group(1) + iso,
                    body,
                )
            item = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            item.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(item, body)
    return out.getvalue()


def corrections(
    sent: list[DemoFile], catalog: dict, seed: int, as_of: datetime, n_files: int = 12
) -> list[DemoFile]:
    """About 40 corrected figures of earlier months; a few corrected twice."""
    cutoff = (as_of - timedelta(days=60)).date()
    pool = [
        f
        for f in sent
        if f.reporter.startswith("UBND-")
        and f.reporter != "UBND-22"
        and len(f.period) == 7
        and f.period[5] != "Q"
        and file_format(f) == "csv"
        and period_end(f.period) <= cutoff
    ]
    rng = stable_rng(seed, "revisions")
    picks = sorted(rng.choice(len(pool), size=min(n_files, len(pool)), replace=False))
    out = []
    for n, i in enumerate(picks):
        f = pool[int(i)]
        rows = [r for r in f.rows if r.kind == "actual" and len(r.unit) == 2]
        size = min(len(rows), int(rng.integers(3, 5)))
        chosen = sorted(rng.choice(len(rows), size=size, replace=False))
        when = f.submitted_at + timedelta(days=int(rng.integers(10, 60)))
        rev1 = _revised(
            f, [rows[int(k)] for k in chosen], catalog, rng, "_rev1", when, as_of
        )
        out.append(rev1)
        if n < 2 and rev1.rows:
            again = rev1.rows[: int(rng.integers(1, 3))]
            out.append(
                _revised(
                    f,
                    again,
                    catalog,
                    rng,
                    "_rev2",
                    rev1.submitted_at + timedelta(days=int(rng.integers(3, 20))),
                    as_of,
                )
            )
    return [f for f in out if f.rows]


def _revised(f: DemoFile, rows: list[Row], catalog, rng, suffix, when, as_of):
    new_rows = []
    for r in rows:
        info = catalog[r.code]
        change = (0.005 + 0.035 * rng.random()) * (1 if rng.random() < 0.6 else -1)
        value = round(r.value * (1 + change), r.decimals)
        if value == r.value:
            value = r.value + (1 if r.decimals == 0 else 10**-r.decimals)
        if info["min_value"]:
            value = max(value, float(info["min_value"]))
        if info["max_value"]:
            value = min(value, float(info["max_value"]))
        if value != r.value:
            new_rows.append(Row(r.code, r.unit, r.period, value, r.decimals))
    return DemoFile(
        f.reporter, f.regime, f.period, new_rows, min(when, as_of), f.era, suffix, "csv"
    )


def write_bad(root: Path, until: str) -> Path:
    """A province file with a badly written number and an unknown indicator."""
    path = root / until[:4] / f"UBND-79_KTXH_M_{until}_bad.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = [
        ["indicator_code", "unit_code", "period", "value", "reporter", "note"],
        ["DN.01", "79", until, "4120", "", ""],
        ["CT.02", "79", until, "29.915,5", "", "gõ theo định dạng Excel tiếng Việt"],
        ["KT.99", "79", until, "12.5", "", "mã chỉ tiêu không có trong danh mục"],
        ["DN.02", "79", until, "310", "", ""],
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return path
