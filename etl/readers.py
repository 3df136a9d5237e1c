"""Read submission files (CSV, XLSX, JSON) into uniform text rows.

Every cell is kept as written, with the row number a person would look up in
the file (the spreadsheet row or the physical CSV line; 1-based position in the
JSON `rows` array). Checking the values is the validator's job, not this one's:
the reader only fails on what makes the file unreadable as a whole.

A large plain CSV (no quotes, header on line 1, one record per line) is read
by DuckDB's CSV reader straight into Arrow columns (`ParsedFile.table`); any
other file, or any doubt, takes the Python reader. Both give the same cells and
row numbers (tests/unit/test_etl_readers.py compares them).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path

import duckdb
import pyarrow as pa

COLUMNS = (
    "indicator_code",
    "unit_code",
    "unit_name",
    "period",
    "value",
    "kind",
    "reporter",
    "note",
    "basis",
    "target_basis",
)
REQUIRED = ("indicator_code", "period", "value")


@dataclass
class FileProblem:
    """A problem with the file as a whole (row 0 = not tied to one row)."""

    row: int
    column: str
    value: str
    expected: str


@dataclass
class ParsedFile:
    path: Path
    sha256: str
    fmt: str
    reporter: str | None = None
    # Column-wise text cells; `value_num` holds numbers typed as numbers (XLSX, JSON).
    cells: dict[str, list[str | None]] = field(
        default_factory=lambda: {c: [] for c in COLUMNS}
    )
    value_num: list[float | None] = field(default_factory=list)
    row_no: list[int] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    # The fast CSV path's rows (ROWS_SCHEMA) instead of cells/value_num/row_no.
    table: pa.Table | None = None

    @property
    def n_rows(self) -> int:
        return self.table.num_rows if self.table is not None else len(self.row_no)

    def rows_table(self) -> pa.Table:
        """The rows as Arrow columns: row_no, value_num and the COLUMNS."""
        if self.table is not None:
            return self.table
        return pa.table(
            {"row_no": self.row_no, "value_num": self.value_num, **self.cells},
            schema=ROWS_SCHEMA,
        )


ROWS_SCHEMA = pa.schema(
    [("row_no", pa.int32()), ("value_num", pa.float64())]
    + [(c, pa.string()) for c in COLUMNS]
)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_file(path: Path) -> ParsedFile:
    """Parse one file by its extension; problems are recorded, not raised."""
    path = Path(path)
    suffix = path.suffix.lower()
    fmt = {".csv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".json": "json"}.get(suffix)
    parsed = ParsedFile(path=path, sha256=sha256_of(path), fmt=fmt or suffix)
    if fmt is None:
        parsed.problems.append(
            FileProblem(0, "", path.name, "a .csv, .xlsx or .json file")
        )
        return parsed
    try:
        {"csv": _read_csv, "xlsx": _read_xlsx, "json": _read_json}[fmt](parsed)
    except Exception as exc:  # an unreadable file is reported, never a traceback
        parsed.problems.append(
            FileProblem(0, "", path.name, f"a readable {fmt.upper()} file ({exc})")
        )
    if not parsed.problems and parsed.n_rows == 0:
        parsed.problems.append(FileProblem(0, "", "", "at least one data row"))
    return parsed


def _header_map(header: list[object], parsed: ParsedFile, row: int) -> dict[int, str]:
    """Position -> canonical column; checks that the required columns are there."""
    positions: dict[int, str] = {}
    for pos, name in enumerate(header):
        key = str(name or "").strip().lower().lstrip("\ufeff")
        if key in COLUMNS and key not in positions.values():
            positions[pos] = key
        elif key:
            parsed.ignored_columns.append(str(name))
    present = set(positions.values())
    for column in REQUIRED:
        if column not in present:
            parsed.problems.append(
                FileProblem(row, column, "", f"a '{column}' column in the header")
            )
    if not present & {"unit_code", "unit_name"}:
        parsed.problems.append(
            FileProblem(row, "unit_code", "", "a 'unit_code' or 'unit_name' column")
        )
    return positions


def _append(parsed: ParsedFile, row_no: int, record: dict[str, object]) -> None:
    number: float | None = None
    for column in COLUMNS:
        raw = record.get(column)
        if (
            column == "value"
            and isinstance(raw, int | float)
            and not isinstance(raw, bool)
        ):
            number = float(raw)
            raw = _number_text(raw)
        elif (
            column == "unit_code" and isinstance(raw, int) and not isinstance(raw, bool)
        ):
            # A spreadsheet drops leading zeros: 1..99 are province codes, the
            # rest commune codes (documented in the README).
            raw = f"{raw:02d}" if raw < 100 else f"{raw:05d}"
        elif column == "period" and isinstance(raw, int) and not isinstance(raw, bool):
            raw = str(raw)
        elif column == "period" and isinstance(raw, datetime) and raw.time() == time():
            raw = raw.date()  # a day typed as a spreadsheet date: 2026-10-15
        parsed.cells[column].append(None if raw is None else _text(raw))
    parsed.value_num.append(number)
    parsed.row_no.append(row_no)


def _number_text(value: float | int) -> str:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return str(value)
    return repr(value) if isinstance(value, float) else str(value)


def _text(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _blank(values: list[object]) -> bool:
    return all(v is None or str(v).strip() == "" for v in values)


def _read_csv(parsed: ParsedFile) -> None:
    raw = parsed.path.read_bytes()
    if len(raw) >= FAST_CSV_MIN_BYTES and _read_csv_fast(parsed, raw):
        return
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        parsed.problems.append(
            FileProblem(line, "", "", f"UTF-8 text (bad byte at offset {exc.start})")
        )
        return
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    positions: dict[int, str] | None = None
    line_end = 0
    for record in reader:
        row_no, line_end = line_end + 1, reader.line_num
        if _blank(record):
            continue
        if positions is None:
            positions = _header_map(record, parsed, row_no)
            if parsed.problems:
                return
            continue
        cells = {positions[i]: v for i, v in enumerate(record) if i in positions}
        _append(parsed, row_no, cells)


def _read_xlsx(parsed: ParsedFile) -> None:
    from openpyxl import load_workbook

    book = load_workbook(parsed.path, read_only=True, data_only=True)
    try:
        names = {name.strip().lower(): name for name in book.sheetnames}
        sheet = book[names["data"]] if "data" in names else book.worksheets[0]
        positions: dict[int, str] | None = None
        for row_no, record in enumerate(sheet.iter_rows(values_only=True), start=1):
            values = list(record)
            if _blank(values):
                continue
            if positions is None:
                positions = _header_map(values, parsed, row_no)
                if parsed.problems:
                    return
                continue
            _append(
                parsed,
                row_no,
                {positions[i]: v for i, v in enumerate(values) if i in positions},
            )
    finally:
        book.close()


def _read_json(parsed: ParsedFile) -> None:
    document = json.loads(parsed.path.read_text(encoding="utf-8-sig"))
    if not isinstance(document, dict) or not isinstance(document.get("rows"), list):
        parsed.problems.append(
            FileProblem(0, "rows", "", 'an object {"reporter": ..., "rows": [...]}')
        )
        return
    reporter = document.get("reporter")
    if reporter is not None:
        parsed.reporter = str(reporter).strip() or None
    for index, item in enumerate(document["rows"], start=1):
        if not isinstance(item, dict):
            parsed.problems.append(
                FileProblem(index, "", json.dumps(item)[:60], "an object per row")
            )
            continue
        record = {str(k).strip().lower(): v for k, v in item.items()}
        if isinstance(record.get("value"), bool):
            record["value"] = str(record["value"]).lower()
        _append(parsed, index, {k: v for k, v in record.items() if k in COLUMNS})


# Files from this size take the DuckDB path when they qualify (small files are
# quick either way, and the Python reader is the reference).
FAST_CSV_MIN_BYTES = 1 << 20
# What str.strip() removes: a record of only these characters is blank.
_PY_SPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_BLANK_RE = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _PY_SPACE) + "]*"
_CSV_FIELD_LIMIT = (
    131072  # csv.field_size_limit(): longer fields are Python's to reject
)


def _read_csv_fast(parsed: ParsedFile, raw: bytes) -> bool:
    """Read a plain CSV with DuckDB; False (nothing recorded) when the file is
    not one the Python reader would read line by line in the same way."""
    if b'"' in raw or b"\x00" in raw or raw.count(b"\r") != raw.count(b"\r\n"):
        return False  # quoting, NUL or lone CR: records may span or split lines
    if b"\n\n" in raw or b"\n\r\n" in raw:
        return False  # empty lines: DuckDB would not count them
    end = raw.find(b"\n")
    try:
        head = raw[: end if end >= 0 else len(raw)].decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    head = head.removesuffix("\r")
    if len(head.splitlines()) != 1 or not head.strip() or len(head) > _CSV_FIELD_LIMIT:
        return False  # the header must be alone on line 1
    delimiter = ";" if head.count(";") > head.count(",") else ","
    header = head.split(delimiter)
    probe = ParsedFile(parsed.path, parsed.sha256, parsed.fmt)
    positions = _header_map(header, probe, 1)
    if probe.problems:
        return False  # the Python reader reports it
    names = [f"c{i}" for i in range(len(header))]
    kinds = ", ".join(f"'{n}': 'VARCHAR'" for n in names)
    picked = {column: f"coalesce(c{pos}, '')" for pos, column in positions.items()}
    select = ", ".join(f"{picked.get(c, 'NULL::VARCHAR')} AS {c}" for c in COLUMNS)
    everything = " || ".join(f"coalesce({n}, '')" for n in names)
    # blank only if the first cell is (cheap), then every cell (exact)
    blank = (
        f"CASE WHEN length(c0) > 0 AND NOT regexp_full_match(c0[1], $blank) "
        f"THEN false ELSE regexp_full_match({everything}, $blank) END"
    )
    con = duckdb.connect()
    try:
        con.execute("SET preserve_insertion_order = true")
        table = con.sql(
            f"""
            SELECT {select}, {blank} AS blank
            FROM read_csv($path, header = false, skip = 1, delim = $delim,
                          quote = '', escape = '', auto_detect = false,
                          columns = {{{kinds}}}, null_padding = false,
                          strict_mode = true, max_line_size = $limit)
            """,
            params={
                "path": str(parsed.path),
                "delim": delimiter,
                "blank": _BLANK_RE,
                "limit": _CSV_FIELD_LIMIT,
            },
        ).to_arrow_table()
    except duckdb.Error:
        return False
    finally:
        con.close()
    import numpy as np
    import pyarrow.compute as pc

    keep = pc.invert(table["blank"])
    rows = pa.array(np.arange(2, table.num_rows + 2, dtype=np.int32))
    table = pa.table(
        {
            "row_no": rows,
            "value_num": pa.nulls(table.num_rows, pa.float64()),
            **{c: table[c].cast(pa.string()) for c in COLUMNS},
        },
        schema=ROWS_SCHEMA,
    ).filter(keep)
    parsed.ignored_columns = probe.ignored_columns
    parsed.table = table
    return True
