"""UI strings in Vietnamese and English.

``t("nav.overview", "en")`` returns the text for a key; ``{name}`` placeholders
are filled from keyword arguments: ``t("ui.updated_at", "vi", time="14:29")``.
Lookup falls back from the requested language to Vietnamese, then to the key
itself, so a missing string shows up on screen instead of crashing a page.

Keys are dotted: ``nav.*`` menu and breadcrumbs, ``status.*`` the four
progress statuses (same names as the ``.status-*`` CSS classes), ``kpi.*``
measures, ``col.*`` table headings and labels, ``report.*`` data-status
(submissions) page, ``ui.*`` controls, ``map.*``, ``msg.*`` empty/error states.
"""

from __future__ import annotations

import string

LANGS: tuple[str, ...] = ("vi", "en")
DEFAULT_LANG = "vi"

# key -> {"vi": ..., "en": ...}; Vietnamese first.
STRINGS: dict[str, dict[str, str]] = {
    # application and navigation
    "app.title": {
        "vi": "Trung tâm thông tin, chỉ đạo, điều hành",
        "en": "Information and command center",
    },
    "nav.home": {"vi": "Trang chủ", "en": "Home"},
    "nav.overview": {"vi": "Tổng quan quốc gia", "en": "National overview"},
    "nav.provinces": {"vi": "Tỉnh thành", "en": "Provinces"},
    "nav.sectors": {"vi": "Ngành, lĩnh vực", "en": "Sectors"},
    "nav.indicators": {"vi": "Chỉ tiêu", "en": "Indicators"},
    "nav.data_status": {"vi": "Tình hình báo cáo", "en": "Reporting status"},
    "nav.wall": {"vi": "Màn hình lớn", "en": "Video wall"},
    "nav.present": {"vi": "Điều khiển màn hình lớn", "en": "Wall control"},
    "nav.audit": {"vi": "Nhật ký truy cập", "en": "Audit log"},
    "nav.submit": {"vi": "Nộp báo cáo", "en": "Submit reports"},
    "nav.links": {"vi": "Kết nối báo cáo", "en": "Reporting links"},
    # statuses (keys match the CSS classes .status-<name>)
    "status.label": {"vi": "Tình trạng", "en": "Status"},
    "status.on_track": {"vi": "Đạt tiến độ", "en": "On track"},
    "status.at_risk": {"vi": "Có nguy cơ", "en": "At risk"},
    "status.off_track": {"vi": "Chậm tiến độ", "en": "Off track"},
    "status.no_data": {"vi": "Chưa có số liệu", "en": "No data"},
    # measures
    "kpi.actual": {"vi": "Thực hiện", "en": "Actual"},
    "kpi.target": {"vi": "Kế hoạch", "en": "Target"},
    "kpi.pct_of_plan": {"vi": "% so với kế hoạch", "en": "% of plan"},
    "kpi.expected_pace": {"vi": "Tiến độ dự kiến", "en": "Expected pace"},
    "kpi.vs_last_year": {
        "vi": "So với cùng kỳ năm trước",
        "en": "vs same period last year",
    },
    "kpi.projected_year_end": {
        "vi": "Ước thực hiện cả năm",
        "en": "Projected year end",
    },
    "kpi.monthly_needed": {
        "vi": "Bình quân mỗi tháng còn lại cần đạt",
        "en": "Monthly amount still needed",
    },
    "kpi.last_submitted": {"vi": "Lần gửi gần nhất", "en": "Last submitted"},
    "kpi.units_included": {
        "vi": "Đơn vị báo cáo được tính",
        "en": "Reporting units included",
    },
    "kpi.units_included_n": {
        "vi": "{n}/{total} đơn vị đã báo cáo",
        "en": "{n} of {total} reporting units included",
    },
    "kpi.revised": {"vi": "Đã điều chỉnh", "en": "Revised"},
    # table headings and labels
    "col.period": {"vi": "Kỳ báo cáo", "en": "Period"},
    "col.rank": {"vi": "Xếp hạng", "en": "Rank"},
    "col.region": {"vi": "Vùng", "en": "Region"},
    "col.province": {"vi": "Tỉnh, thành phố", "en": "Province"},
    "col.commune": {"vi": "Xã, phường", "en": "Commune"},
    "col.national": {"vi": "Toàn quốc", "en": "National"},
    "col.sector": {"vi": "Ngành, lĩnh vực", "en": "Sector"},
    "col.indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "col.unit": {"vi": "Đơn vị tính", "en": "Unit"},
    "col.value": {"vi": "Giá trị", "en": "Value"},
    "col.owner_agency": {"vi": "Cơ quan chủ trì", "en": "Owner agency"},
    "col.revision_history": {"vi": "Lịch sử điều chỉnh", "en": "Revision history"},
    "col.provenance": {"vi": "Nguồn gốc số liệu", "en": "Provenance"},
    "col.file": {"vi": "Tệp", "en": "File"},
    "col.loaded_at": {"vi": "Thời điểm nạp", "en": "Loaded at"},
    "col.operator": {"vi": "Người thực hiện", "en": "Operator"},
    "col.data_as_of": {"vi": "Số liệu tính đến", "en": "Data as of"},
    "col.year": {"vi": "Năm", "en": "Year"},
    "col.quarter": {"vi": "Quý", "en": "Quarter"},
    "col.month": {"vi": "Tháng", "en": "Month"},
    # reporting (data status page)
    "report.due": {"vi": "Hạn báo cáo", "en": "Due"},
    "report.on_time": {"vi": "Đúng hạn", "en": "On time"},
    "report.late": {"vi": "Nộp muộn", "en": "Late"},
    "report.missing": {"vi": "Chưa nộp", "en": "Missing"},
    "report.rejected_files": {"vi": "Tệp bị từ chối", "en": "Rejected files"},
    "report.indicators_supplied": {
        "vi": "{n}/{total} chỉ tiêu đã cung cấp số liệu",
        "en": "{n} of {total} indicators supplied",
    },
    # controls
    "ui.language": {"vi": "Ngôn ngữ", "en": "Language"},
    "ui.download_csv": {"vi": "Tải CSV", "en": "Download CSV"},
    "ui.download_excel": {"vi": "Tải Excel", "en": "Download Excel"},
    "ui.updated_at": {"vi": "Cập nhật lúc {time}", "en": "Updated {time}"},
    "ui.all": {"vi": "Tất cả", "en": "All"},
    "ui.search": {"vi": "Tìm kiếm", "en": "Search"},
    # map
    "map.attribution_label": {"vi": "Ranh giới hành chính", "en": "Boundaries"},
    "map.attribution": {
        "vi": (
            "Ranh giới tỉnh: Open Development Mekong (Open Development Vietnam), "
            "“Địa phận tỉnh”, dữ liệu gốc của Cục Đo đạc và Bản đồ Việt Nam, "
            "giấy phép CC BY-SA 4.0 (creativecommons.org/licenses/by-sa/4.0). "
            "Đã chỉnh sửa: đơn giản hóa, mã hóa lại theo mã tỉnh của Tổng cục "
            "Thống kê và gộp thành 34 tỉnh, thành phố năm 2025."
        ),
        "en": (
            "Province boundaries: Open Development Mekong (Open Development "
            "Vietnam), “Địa phận tỉnh”, source data Department of Survey and "
            "Mapping of Viet Nam, licensed CC BY-SA 4.0 "
            "(creativecommons.org/licenses/by-sa/4.0). Modified: simplified, "
            "recoded to GSO province codes, and dissolved into the 34 provinces "
            "of 2025."
        ),
    },
    # messages
    "msg.no_data": {
        "vi": "Không có dữ liệu cho lựa chọn này",
        "en": "No data for this selection",
    },
    "msg.error": {
        "vi": "Không tải được dữ liệu. Vui lòng thử lại sau.",
        "en": "The data could not be loaded. Please try again later.",
    },
    "msg.not_found": {"vi": "Không tìm thấy trang", "en": "Page not found"},
    "msg.unknown_code": {
        "vi": "Không tìm thấy mã “{code}”",
        "en": "Unknown code “{code}”",
    },
    "msg.no_snapshot": {
        "vi": "Chưa có số liệu nào được công bố",
        "en": "No data has been published yet",
    },
}


def normalize_lang(value: object) -> str:
    """Return a supported language code for ``value``, else ``DEFAULT_LANG``.

    Accepts ``"vi"``, ``"EN"``, ``"en-US"``, ``"vi_VN"``; anything else
    (``None``, ``"fr"``, a number) gives the default.
    """
    if not isinstance(value, str):
        return DEFAULT_LANG
    base = value.strip().lower().replace("_", "-").split("-", 1)[0]
    return base if base in LANGS else DEFAULT_LANG


class _KeepMissing(dict):
    """format_map helper: leaves unknown ``{placeholders}`` as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class _Counting(string.Formatter):
    """``{n:province|provinces}`` writes "1 province", "2 provinces" (English
    counts; Vietnamese nouns do not change)."""

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" in format_spec:
            one, many = format_spec.split("|", 1)
            return f"{value} {one if str(value).strip() == '1' else many}"
        return super().format_field(value, format_spec)


_COUNTING = _Counting()


def t(key: str, lang: object = DEFAULT_LANG, **kw: object) -> str:
    """Text for ``key`` in ``lang``, with ``{placeholders}`` filled from ``kw``.

    Falls back to Vietnamese when the language has no text, and to the key
    itself when the key is unknown.
    """
    entry = STRINGS.get(key)
    if entry is None:
        return key
    text = entry.get(normalize_lang(lang)) or entry.get(DEFAULT_LANG) or key
    return _COUNTING.vformat(text, (), _KeepMissing(kw)) if kw else text


def register(strings: dict[str, dict[str, str]]) -> None:
    """Add a page's own strings (each key with both languages) at import time."""
    for key, entry in strings.items():
        missing = [lang for lang in LANGS if not entry.get(lang)]
        if missing:
            raise ValueError(f"string {key!r} lacks {', '.join(missing)}")
        if key in STRINGS and STRINGS[key] != entry:
            # Two modules giving one key different texts would silently
            # change each other's pages.
            raise ValueError(f"string {key!r} is already registered with other text")
        STRINGS[key] = entry


register(
    {
        "status.no_target": {"vi": "Không giao chỉ tiêu", "en": "No target"},
        "tile.submitted": {"vi": "nộp {time}", "en": "submitted {time}"},
        "tile.coverage": {"vi": "{n}/{total} đơn vị", "en": "{n}/{total} units"},
        "tile.revised": {"vi": "đã điều chỉnh", "en": "revised"},
        "tile.sources": {"vi": "Nguồn số liệu", "en": "Sources"},
    }
)
