"""Build the administrative-unit reference CSVs in data/reference/.

Run by hand when the sources change, never at app run time:

    .venv/bin/python tools/build_units.py \
        --geo-dir /work/shared/geo \
        --vp06-wheel /tmp/vp06/vietnam_provinces-0.6.0-py3-none-any.whl

Inputs
  * <geo-dir>/regions.csv, province_mapping_2025.csv, vn_provinces_63.geojson,
    vn_provinces_34.geojson (+ archipelago_labels.csv, SOURCES.md, copied as is).
  * PyPI vietnam-provinces 0.6.0 (GSO list before 2025: 63 provinces and their
    communes). Its JSON is read straight from the wheel, the wheel is never
    installed.
  * PyPI vietnam-provinces 2025.10.1 (34 provinces and 3,321 communes/wards from
    2025-07-01). Read from the installed package's data/nested-divisions.json
    unless --vp2025-json is given.

Outputs (in --out-dir, default data/reference)
  units.csv, unit_aliases.csv, province_merger.csv, regions.csv,
  province_regions.csv; and in --geo-out-dir (default data/geo) the unchanged
  CC BY-SA 4.0 geo files with SOURCES.md plus ATTRIBUTION.txt.

A unit is identified by code AND period: code 08 before 2025-07-01 is the old
Tuyên Quang, from 2025-07-01 the merged Tuyên Quang.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import sys
import unicodedata
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

OLD_FROM, OLD_TO = "2000-01-01", "2025-06-30"
NEW_FROM, NEW_TO = "2025-07-01", ""
COUNTRY_CODE = "00"
LEVEL_ORDER = {"country": 0, "province": 1, "commune": 2}

GEO_FILES_COPIED = (
    "vn_provinces_63.geojson",
    "vn_provinces_34.geojson",
    "archipelago_labels.csv",
    "SOURCES.md",
)

# English word for each commune type prefix (used in the commune name_en).
COMMUNE_TYPES_EN = {
    "Phường": "Ward",
    "Xã": "Commune",
    "Thị trấn": "Township",
    "Đặc khu": "Special Zone",
}

# Hand-written aliases: province code -> names people write that neither the
# canonical name nor plain normalisation (see normalise()) reach.
# Province 46 only changed its name (Thừa Thiên Huế -> Thành phố Huế, already
# on 2025-01-01) and not its territory, so both names resolve in both eras.
EXTRA_ALIASES_OLD = {
    "01": ["Hanoi", "Hanoi City"],
    "06": ["Bắc Cạn"],
    "31": ["Haiphong"],
    "46": ["Thừa Thiên-Huế", "Thừa Thiên - Huế", "Thua Thien-Hue", "Huế", "Hue"],
    "48": ["Danang"],
    "62": ["Kontum"],
    "66": ["Đắc Lắc", "Đăk Lăk", "Đắk Lăk", "Daklak"],
    "67": ["Đăk Nông", "Đắc Nông", "Daknong"],
    "77": [
        "Bà Rịa-Vũng Tàu",
        "Bà Rịa Vũng Tàu",
        "Bà Rịa – Vũng Tàu",
        "Ba Ria-Vung Tau",
        "Ba Ria Vung Tau",
        "BRVT",
    ],
    "79": [
        "Hồ Chí Minh",
        "Ho Chi Minh",
        "HCMC",
        "HCM",
        "TPHCM",
        "TP.HCM",
        "TP HCM",
        "TP. HCM",
        "Sài Gòn",
        "Sai Gon",
        "Saigon",
    ],
    "92": ["Cantho"],
}
EXTRA_ALIASES_NEW = {
    "01": EXTRA_ALIASES_OLD["01"],
    "31": EXTRA_ALIASES_OLD["31"],
    "46": EXTRA_ALIASES_OLD["46"] + ["Thừa Thiên Huế", "Thua Thien Hue"],
    "48": EXTRA_ALIASES_OLD["48"],
    "66": EXTRA_ALIASES_OLD["66"],
    "79": EXTRA_ALIASES_OLD["79"],
    "92": EXTRA_ALIASES_OLD["92"],
}

# Old-style tone placement ("Hoà", "Hoá") for the modern one ("Hòa", "Hóa").
OLD_TONE_PLACEMENT = {
    "òa": "oà",
    "óa": "oá",
    "ỏa": "oả",
    "õa": "oã",
    "ọa": "oạ",
    "òe": "oè",
    "óe": "oé",
    "ỏe": "oẻ",
    "õe": "oẽ",
    "ọe": "oẹ",
    "ùy": "uỳ",
    "úy": "uý",
    "ủy": "uỷ",
    "ũy": "uỹ",
    "ụy": "uỵ",
}

PREFIX_RE = re.compile(r"^(tỉnh|thành phố|tp\.|tp)(\s+|(?<=\.))")


# --------------------------------------------------------------------- text


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


# Non-decomposable characters found in the names -> ASCII.
ASCII_EXTRA = str.maketrans(
    {"Đ": "D", "đ": "d", "’": "'", "‘": "'", "–": "-", "—": "-"}
)


def ascii_fold(text: str) -> str:
    """'Đắk Lắk' -> 'Dak Lak'; 'Cư M’gar' -> "Cu M'gar"."""
    text = text.translate(ASCII_EXTRA)
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    )
    return unicodedata.normalize("NFC", stripped)


def normalise(text: str) -> str:
    """The plain normalisation a resolver applies before looking names up:
    NFC, casefold, drop a Tỉnh/Thành phố/TP./TP prefix, hyphens (and dashes)
    to spaces, collapse repeated spaces."""
    key = unicodedata.normalize("NFC", text).casefold().strip()
    key = PREFIX_RE.sub("", key)
    key = re.sub(r"[-‐‑‒–—]", " ", key)
    return " ".join(key.split())


def old_tone_variant(name: str) -> str:
    for modern, old in OLD_TONE_PLACEMENT.items():
        name = name.replace(modern, old)
    return name


# ------------------------------------------------------------------ reading


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_geojson_names(path: Path) -> dict[str, dict]:
    """code -> {'name_vi', 'name_en'} from a province FeatureCollection."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    return {
        f["properties"]["code"]: {
            "name_vi": nfc(f["properties"]["name_vi"]),
            "name_en": nfc(f["properties"]["name_en"]),
        }
        for f in features
    }


def read_vp06_communes(wheel: Path) -> list[tuple[str, str, str]]:
    """(commune_code, name, province_code) before 2025 from the 0.6.0 wheel."""
    with zipfile.ZipFile(wheel) as zf:
        provinces = json.loads(zf.read("vietnam_provinces/data/nested-divisions.json"))
    return [
        (f"{w['code']:05d}", nfc(w["name"]), f"{p['code']:02d}")
        for p in provinces
        for d in p["districts"]
        for w in d["wards"]
    ]


def default_vp2025_json() -> Path:
    import vietnam_provinces

    version = vietnam_provinces.__version__
    if version != "2025.10.1":
        sys.exit(f"expected vietnam-provinces 2025.10.1, found {version}")
    return Path(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH)


def read_vp2025(path: Path) -> tuple[set[str], list[tuple[str, str, str]]]:
    """(province codes, [(commune_code, name, province_code)]) from 2025-07-01."""
    provinces = json.loads(path.read_text(encoding="utf-8"))
    codes = {f"{p['code']:02d}" for p in provinces}
    communes = [
        (f"{w['code']:05d}", nfc(w["name"]), f"{p['code']:02d}")
        for p in provinces
        for w in p["wards"]
    ]
    return codes, communes


# ------------------------------------------------------------------ building


def commune_name_en(name_vi: str) -> str:
    """'Phường Hoàn Kiếm' -> 'Hoan Kiem Ward'; 'Phường 1' -> 'Ward 1'."""
    for prefix, type_en in COMMUNE_TYPES_EN.items():
        if name_vi.startswith(prefix + " "):
            base = ascii_fold(name_vi[len(prefix) + 1 :])
            return f"{type_en} {base}" if base.isdigit() else f"{base} {type_en}"
    raise SystemExit(f"unknown commune type prefix: {name_vi!r}")


def unit_row(code, level, name_vi, name_en, parent, valid_from, valid_to, region=""):
    return {
        "unit_code": code,
        "level": level,
        "name_vi": nfc(name_vi),
        "name_en": nfc(name_en),
        "parent_code": parent,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "region_key": region,
    }


def province_rows(names, regions, valid_from, valid_to):
    return [
        unit_row(
            code,
            "province",
            n["name_vi"],
            n["name_en"],
            COUNTRY_CODE,
            valid_from,
            valid_to,
            regions[code],
        )
        for code, n in names.items()
    ]


def commune_rows(communes, province_codes, valid_from, valid_to):
    rows = []
    for code, name, parent in communes:
        if parent not in province_codes:
            raise SystemExit(f"commune {code} has unknown province {parent}")
        rows.append(
            unit_row(
                code,
                "commune",
                name,
                commune_name_en(name),
                parent,
                valid_from,
                valid_to,
            )
        )
    return rows


def sort_units(rows):
    return sorted(
        rows, key=lambda r: (r["valid_from"], LEVEL_ORDER[r["level"]], r["unit_code"])
    )


def new_regions(old_regions: dict[str, str], new_codes) -> dict[str, str]:
    # APPROXIMATION: GSO has not published regions for the 34 provinces. A new
    # province gets the region of the old province whose code it kept. Six
    # merged provinces span two old regions (Phú Thọ, Bắc Ninh, Quảng Ngãi,
    # Gia Lai, Đắk Lắk, Lâm Đồng); they get the region of the code holder.
    return {code: old_regions[code] for code in new_codes}


def generated_aliases(name_vi, name_en, is_city):
    """English name, ASCII name, old tone placement, '<X> Province'/'<X> City'."""
    base_en = name_en.removesuffix(" City")
    return [
        name_en,
        ascii_fold(name_vi),
        old_tone_variant(name_vi),
        f"{base_en} City" if is_city else f"{base_en} Province",
    ]


def alias_rows(names, city_codes, extra, valid_from, valid_to):
    """Alias rows for one era. Generated aliases equal to the canonical name_vi
    are skipped; hand-written ones are always kept (e.g. 'Huế' in both eras)."""
    rows, seen = [], set()
    for code, n in names.items():
        generated = [
            a
            for a in generated_aliases(n["name_vi"], n["name_en"], code in city_codes)
            if nfc(a) != n["name_vi"]
        ]
        hand = extra.get(code, [])
        for alias in generated + hand + [old_tone_variant(a) for a in hand]:
            alias = nfc(alias)
            if (alias, code) in seen:
                continue
            seen.add((alias, code))
            rows.append(
                {
                    "alias": alias,
                    "unit_code": code,
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                }
            )
    return sorted(rows, key=lambda r: (r["unit_code"], r["alias"]))


def check_aliases_unambiguous(aliases, units):
    """Fail loudly if a name (alias or canonical), after normalisation or after
    normalisation + ASCII folding, reaches two province codes in one era."""
    targets = defaultdict(set)
    names = [(a["alias"], a["unit_code"], a["valid_from"]) for a in aliases]
    names += [
        (u["name_vi"], u["unit_code"], u["valid_from"])
        for u in units
        if u["level"] == "province"
    ]
    for name, code, era in names:
        targets[(era, normalise(name))].add(code)
        targets[(era, "ascii:" + normalise(ascii_fold(name)))].add(code)
    clashes = {k: v for k, v in targets.items() if len(v) > 1}
    if clashes:
        raise SystemExit(f"ambiguous province names/aliases: {clashes}")


def check_merger(merger, old_codes, new_codes, old_communes, new_communes):
    """Every old province maps to one of the 34; every new ward that kept an old
    commune code lies in the new province its old province merged into."""
    if set(merger) != old_codes or not set(merger.values()) <= new_codes:
        raise SystemExit("province_mapping_2025.csv does not map 63 -> 34")
    old_parent = {code: parent for code, _, parent in old_communes}
    for code, name, parent in new_communes:
        if code in old_parent and merger[old_parent[code]] != parent:
            raise SystemExit(
                f"ward {code} {name}: in {parent}, but its old "
                f"province {old_parent[code]} merged into "
                f"{merger[old_parent[code]]}"
            )


def check_unique(rows, key_fields, what):
    keys = [tuple(r[f] for f in key_fields) for r in rows]
    if len(keys) != len(set(keys)):
        raise SystemExit(f"duplicate {what}")


# ------------------------------------------------------------------ writing


def write_csv(path: Path, fields, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"wrote {path} ({len(rows)} rows)")


def attribution_text(sources_md: str) -> str:
    """The '> ' quote block under '### Required attribution', as one paragraph."""
    section = sources_md.split("### Required attribution", 1)[1]
    lines, started = [], False
    for line in section.splitlines():
        if line.startswith("> "):
            lines.append(line[2:].strip())
            started = True
        elif started:
            break
    if not lines:
        raise SystemExit("no attribution block found in SOURCES.md")
    return " ".join(lines) + "\n"


def copy_geo(geo_dir: Path, geo_out: Path):
    geo_out.mkdir(parents=True, exist_ok=True)
    for name in GEO_FILES_COPIED:
        shutil.copyfile(geo_dir / name, geo_out / name)
        print(f"copied {geo_out / name}")
    text = attribution_text((geo_dir / "SOURCES.md").read_text(encoding="utf-8"))
    (geo_out / "ATTRIBUTION.txt").write_text(text, encoding="utf-8")
    print(f"wrote {geo_out / 'ATTRIBUTION.txt'}")


# --------------------------------------------------------------------- main


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--geo-dir", type=Path, default=Path("/work/shared/geo"))
    p.add_argument(
        "--vp06-wheel",
        type=Path,
        default=Path("/tmp/vp06/vietnam_provinces-0.6.0-py3-none-any.whl"),
    )
    p.add_argument(
        "--vp2025-json",
        type=Path,
        default=None,
        help="nested-divisions.json of vietnam-provinces 2025.10.1 "
        "(default: the installed package)",
    )
    p.add_argument("--out-dir", type=Path, default=ROOT / "data" / "reference")
    p.add_argument("--geo-out-dir", type=Path, default=ROOT / "data" / "geo")
    p.add_argument("--no-geo", action="store_true", help="do not copy the geo files")
    return p.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    geo = args.geo_dir

    region_rows = read_csv(geo / "regions.csv")
    old_regions = {r["code"]: r["region_key"] for r in region_rows}
    merger = {
        r["old_code"]: r["new_code"]
        for r in read_csv(geo / "province_mapping_2025.csv")
    }
    old_names = read_geojson_names(geo / "vn_provinces_63.geojson")
    new_names = read_geojson_names(geo / "vn_provinces_34.geojson")
    old_communes = read_vp06_communes(args.vp06_wheel)
    new_codes, new_communes = read_vp2025(args.vp2025_json or default_vp2025_json())

    if set(old_names) != set(old_regions) or len(old_names) != 63:
        raise SystemExit("vn_provinces_63.geojson and regions.csv disagree")
    if set(new_names) != new_codes or len(new_codes) != 34:
        raise SystemExit("vn_provinces_34.geojson and vietnam-provinces 2025 disagree")
    for r in region_rows:
        if nfc(r["name_vi"]) != old_names[r["code"]]["name_vi"]:
            raise SystemExit(f"name mismatch for {r['code']}: {r['name_vi']}")
    check_merger(merger, set(old_names), new_codes, old_communes, new_communes)

    new_region = new_regions(old_regions, new_codes)
    units = [
        unit_row(COUNTRY_CODE, "country", "Việt Nam", "Viet Nam", "", "2000-01-01", "")
    ]
    units += province_rows(old_names, old_regions, OLD_FROM, OLD_TO)
    units += commune_rows(old_communes, set(old_names), OLD_FROM, OLD_TO)
    units += province_rows(new_names, new_region, NEW_FROM, NEW_TO)
    units += commune_rows(new_communes, new_codes, NEW_FROM, NEW_TO)
    units = sort_units(units)
    check_unique(units, ("unit_code", "valid_from"), "unit code within an era")

    # Centrally-run cities (for "<X> City" instead of "<X> Province").
    old_cities = {"01", "31", "48", "79", "92"}
    new_cities = old_cities | {"46"}
    aliases = alias_rows(
        old_names, old_cities, EXTRA_ALIASES_OLD, OLD_FROM, OLD_TO
    ) + alias_rows(new_names, new_cities, EXTRA_ALIASES_NEW, NEW_FROM, NEW_TO)
    check_aliases_unambiguous(aliases, units)

    out = args.out_dir
    write_csv(
        out / "units.csv",
        [
            "unit_code",
            "level",
            "name_vi",
            "name_en",
            "parent_code",
            "valid_from",
            "valid_to",
            "region_key",
        ],
        units,
    )
    write_csv(
        out / "unit_aliases.csv",
        ["alias", "unit_code", "valid_from", "valid_to"],
        aliases,
    )
    write_csv(
        out / "province_merger.csv",
        ["old_code", "new_code"],
        [{"old_code": o, "new_code": n} for o, n in sorted(merger.items())],
    )
    regions = {}
    for r in region_rows:  # first appearance in code order = GSO table order
        regions.setdefault(
            r["region_key"],
            {
                "region_key": r["region_key"],
                "name_vi": nfc(r["region_vi"]),
                "name_en": nfc(r["region_en"]),
            },
        )
    write_csv(
        out / "regions.csv",
        ["region_key", "name_vi", "name_en"],
        list(regions.values()),
    )
    write_csv(
        out / "province_regions.csv",
        ["unit_code", "geo", "region_key"],
        [
            {"unit_code": c, "geo": "2020", "region_key": k}
            for c, k in sorted(old_regions.items())
        ]
        + [
            {"unit_code": c, "geo": "2025", "region_key": k}
            for c, k in sorted(new_region.items())
        ],
    )
    if not args.no_geo:
        copy_geo(geo, args.geo_out_dir)


if __name__ == "__main__":
    main()
