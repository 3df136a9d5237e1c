"""Column names of the frames the data layer answers with.

The SQL of data/sql/ and the models of etl/models/ name these columns; the
pages, the components and the wall read them through these constants, so a
renamed column is one edit here and a NameError, not a silent KeyError.
This module imports nothing: the components may use it (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

# who and what a figure is of
UNIT_CODE = "unit_code"
INDICATOR_CODE = "indicator_code"
REGION_KEY = "region_key"
# names in the two languages (units, indicators, sectors, agencies)
NAME_VI = "name_vi"
NAME_EN = "name_en"
UNIT_VI = "unit_vi"  # the unit of measure
UNIT_EN = "unit_en"
OWNER_VI = "owner_vi"
OWNER_EN = "owner_en"
SECTOR_VI = "sector_vi"
SECTOR_EN = "sector_en"
# tracking against the plan (m_progress)
YTD_ACTUAL = "ytd_actual"
TARGET_TO_DATE = "target_to_date"
PCT_OF_TARGET = "pct_of_target"
EXPECTED_PCT = "expected_pct"
CATALOG_TARGET_TYPE = "catalog_target_type"
PROJECTED_YEAR_END = "projected_year_end"
PCT_VS_LAST_YEAR = "pct_vs_last_year"
CHANGE_VS_LAST_YEAR = "change_vs_last_year"
# provenance
SUBMITTED_AT = "submitted_at"
