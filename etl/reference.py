"""Load the reference CSVs of data/reference into a snapshot's tables.

Run on every publish, so a change to the catalog in the repository reaches the
next snapshot. The tables are small; rebuilding them costs milliseconds.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

import settings

# table -> (csv file, column types). Every column is read as text first, then cast,
# so a stray value in a CSV fails loudly here instead of being guessed.
TABLES: dict[str, tuple[str, dict[str, str]]] = {
    "indicators": (
        "indicators.csv",
        {
            "code": "VARCHAR",
            "sector": "VARCHAR",
            "name_vi": "VARCHAR",
            "name_en": "VARCHAR",
            "unit_vi": "VARCHAR",
            "unit_en": "VARCHAR",
            "frequency": "VARCHAR",
            "measure": "VARCHAR",
            "aggregation": "VARCHAR",
            "numerator": "VARCHAR",
            "denominator": "VARCHAR",
            "scale": "DOUBLE",
            "direction": "VARCHAR",
            "target_type": "VARCHAR",
            "min_value": "DOUBLE",
            "max_value": "DOUBLE",
            "owner": "VARCHAR",
            "regime": "VARCHAR",
            "levels": "VARCHAR",
            "integer": "BOOLEAN",
            "headline": "BOOLEAN",
            # the plan the catalog names as primary: status is measured against
            # it (HDND: the unit's council, for the nation the National Assembly)
            "target_basis": "VARCHAR",
        },
    ),
    "sectors": (
        "sectors.csv",
        {
            "code": "VARCHAR",
            "name_vi": "VARCHAR",
            "name_en": "VARCHAR",
            "order": "INTEGER",
        },
    ),
    "regimes": (
        "regimes.csv",
        {
            "code": "VARCHAR",
            "name_vi": "VARCHAR",
            "name_en": "VARCHAR",
            "period_type": "VARCHAR",
            "cutoff_day": "INTEGER",
            "deadline_days": "INTEGER",
            "reporter_level": "VARCHAR",
            "basis": "VARCHAR",
            "signature_required": "BOOLEAN",
            # a reporter's period locks this many days after its deadline
            "lock_days": "INTEGER",
        },
    ),
    "ministries": (
        "agencies.csv",
        {"code": "VARCHAR", "name_vi": "VARCHAR", "name_en": "VARCHAR"},
    ),
    "units": (
        "units.csv",
        {
            "unit_code": "VARCHAR",
            "level": "VARCHAR",
            "name_vi": "VARCHAR",
            "name_en": "VARCHAR",
            "parent_code": "VARCHAR",
            "valid_from": "DATE",
            "valid_to": "DATE",
            "region_key": "VARCHAR",
        },
    ),
    "unit_aliases": (
        "unit_aliases.csv",
        {
            "alias": "VARCHAR",
            "unit_code": "VARCHAR",
            "valid_from": "DATE",
            "valid_to": "DATE",
        },
    ),
    "province_merger": (
        "province_merger.csv",
        {"old_code": "VARCHAR", "new_code": "VARCHAR"},
    ),
    "regions": (
        "regions.csv",
        {"region_key": "VARCHAR", "name_vi": "VARCHAR", "name_en": "VARCHAR"},
    ),
    "province_regions": (
        "province_regions.csv",
        {"unit_code": "VARCHAR", "geo": "VARCHAR", "region_key": "VARCHAR"},
    ),
}

FAR_FUTURE = "9999-12-31"


def load_reference(con: duckdb.DuckDBPyConnection, ref_dir: Path | None = None) -> None:
    """(Re)create the reference tables from the CSVs."""
    ref_dir = ref_dir or settings.REFERENCE_DIR
    for table, (file_name, types) in TABLES.items():
        path = str(ref_dir / file_name)
        casts = ", ".join(
            f'CAST(NULLIF(trim("{col}"), \'\') AS {typ}) AS "{col}"'
            for col, typ in types.items()
        )
        con.execute(
            f"CREATE OR REPLACE TABLE {table} AS SELECT {casts} "
            "FROM read_csv(?, all_varchar = true, header = true)",
            [path],
        )
    # Open-ended validity is stored as a far date so range joins stay simple.
    for table in ("units", "unit_aliases"):
        con.execute(
            f"UPDATE {table} SET valid_to = DATE '{FAR_FUTURE}' WHERE valid_to IS NULL"
        )
    # Reporters: the ministries plus every province's People's Committee.
    con.execute(
        """
        CREATE OR REPLACE TABLE agencies AS
        SELECT code, name_vi, name_en, 'ministry' AS kind, NULL::VARCHAR AS unit_code
        FROM ministries
        UNION ALL
        SELECT 'UBND-' || unit_code, 'UBND ' || arg_max(name_vi, valid_from),
               arg_max(name_en, valid_from) || ' People''s Committee',
               'province', unit_code
        FROM units WHERE level = 'province' GROUP BY unit_code
        UNION ALL
        SELECT 'UBND-' || unit_code, 'UBND ' || arg_max(name_vi, valid_from),
               arg_max(name_en, valid_from) || ' People''s Committee',
               'commune', unit_code
        FROM units WHERE level = 'commune' GROUP BY unit_code
        """
    )
