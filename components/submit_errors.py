"""The row-level report of a submission, in the page's language (pure builders).

The ETL writes what it expected of a bad cell in English (etl/validate.py,
etl/readers.py, etl/units.py; intake/receive.py for the reach): the API
answers with that text. The /submit page shows it in Vietnamese too: each
known sentence is matched here and said again in Vietnamese, its codes,
periods and numbers kept; a sentence not known yet is shown as written.
"""

from __future__ import annotations

import re

from dash import html

from components.fmt import fmt_number
from core.i18n import register, t

register(
    {
        "sub.err.row": {"vi": "Dòng", "en": "Row"},
        "sub.err.indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
        "sub.err.column": {"vi": "Cột", "en": "Column"},
        "sub.err.value": {"vi": "Giá trị đã ghi", "en": "Value as written"},
        "sub.err.expected": {"vi": "Cần có", "en": "Expected"},
        "sub.err.whole_file": {"vi": "cả tệp", "en": "whole file"},
        "sub.err.empty": {"vi": "(trống)", "en": "(empty)"},
        "sub.err.more": {
            "vi": "… và {n} lỗi khác",
            "en": "… and {n} more",
        },
    }
)

COLUMNS = {
    "indicator_code": {"vi": "Mã chỉ tiêu", "en": "Indicator code"},
    "unit_code": {"vi": "Mã đơn vị", "en": "Unit code"},
    "unit_name": {"vi": "Tên đơn vị", "en": "Unit name"},
    "period": {"vi": "Kỳ báo cáo", "en": "Period"},
    "value": {"vi": "Giá trị", "en": "Value"},
    "kind": {"vi": "Loại số liệu", "en": "Kind"},
    "reporter": {"vi": "Đơn vị báo cáo", "en": "Reporter"},
    "note": {"vi": "Ghi chú", "en": "Note"},
    "basis": {"vi": "Căn cứ", "en": "Basis"},
    "rows": {"vi": "Danh sách dòng", "en": "Rows"},
}
FREQUENCY_VI = {"day": "ngày", "month": "tháng", "quarter": "quý", "year": "năm"}
MAX_SHOWN = 200  # rows of the report in the page (the receipt has the count)

# (the ETL's sentence, its Vietnamese) in the order tried; {1}, {2}... are the
# groups of the match, {f1} a frequency group said in Vietnamese.
_SENTENCES: list[tuple[str, str]] = [
    (
        r"an indicator code from the catalog \(e\.g\. (\S+)\)",
        "một mã chỉ tiêu có trong danh mục (ví dụ {1})",
    ),
    (
        r"a period written 2020 \(year\), 2020-Q3 \(quarter\), 2020-08 \(month\) "
        r"or 2020-08-15 \(day, for a daily indicator\)",
        "kỳ viết dạng 2020 (năm), 2020-Q3 (quý), 2020-08 (tháng) "
        "hoặc 2020-08-15 (ngày, cho chỉ tiêu báo cáo hằng ngày)",
    ),
    (
        r"a real calendar date written YYYY-MM-DD \(there is no day (\S+)\)",
        "một ngày có thật, viết dạng YYYY-MM-DD (không có ngày {1})",
    ),
    (
        r"a (\w+?)ly period or a longer one for (\S+) \(reported (\w+?)ly; "
        r"write the month (\S+), not a day\)",
        "kỳ theo {f1} hoặc dài hơn cho {2} (chỉ tiêu báo cáo theo {f3}; "
        "ghi tháng {4}, không ghi ngày)",
    ),
    (
        r"a (\w+?)ly period or a longer one for (\S+) \(reported (\w+?)ly\)",
        "kỳ theo {f1} hoặc dài hơn cho {2} (chỉ tiêu báo cáo theo {f3})",
    ),
    (
        r"a period that has started \(an actual value cannot be in the future\)",
        "kỳ đã bắt đầu (số thực hiện không thể thuộc kỳ tương lai)",
    ),
    (
        r"a plain number with a dot as decimal separator and no thousands "
        r"separator \(e\.g\. (\S+) or (\S+)\)",
        "một số viết liền: dấu chấm ngăn phần thập phân, không có dấu phân cách "
        "hàng nghìn (ví dụ {1} hoặc {2})",
    ),
    (
        r"a value between (\S+) and (\S+) (.*) \(the catalog range of (\S+)\)",
        "giá trị từ {1} đến {2} {3} (khoảng cho phép của {4} trong danh mục)",
    ),
    (r"a whole number of (.+) for (\S+)", "một số nguyên ({1}) cho {2}"),
    (r"actual or target", "actual (thực hiện) hoặc target (kế hoạch)"),
    (
        r"actual: (\S+) has no target in the catalog",
        "actual: {1} không có kế hoạch trong danh mục",
    ),
    (
        r"a unit_code or a unit_name",
        "mã đơn vị (unit_code) hoặc tên đơn vị (unit_name)",
    ),
    (
        r"a unit valid in (\S+): (\S+) was merged into (\S+) on 2025-07-01",
        "đơn vị có hiệu lực trong kỳ {1}: {2} đã hợp nhất vào {3} từ ngày 01/07/2025",
    ),
    (
        r"a unit valid in (\S+) \((\S+) did not exist then\)",
        "đơn vị có hiệu lực trong kỳ {1} ({2} khi đó chưa có)",
    ),
    (
        r"a GSO unit code: 00 for the country, 2 digits for a province, "
        r"5 digits for a commune",
        "mã đơn vị hành chính theo danh mục thống kê: 00 toàn quốc, 2 chữ số "
        "cấp tỉnh, 5 chữ số cấp xã",
    ),
    (
        r"the official name of a unit, or a unit_code",
        "tên chính thức của đơn vị, hoặc mã đơn vị",
    ),
    (
        r"a unit that existed in this period \(name was of (.+)\)",
        "đơn vị tồn tại trong kỳ này (tên này là của {1})",
    ),
    (
        r"an unambiguous name or a unit_code \(could be (.+)\)",
        "tên không thể nhầm lẫn, hoặc mã đơn vị (có thể là {1})",
    ),
    (
        r"the name of unit (\S+) \((.+)\), or no name",
        "tên của đơn vị {1} ({2}), hoặc để trống tên",
    ),
    (
        r"a reporter code from the catalog of agencies \(e\.g\. (.+)\)",
        "mã đơn vị báo cáo trong danh mục cơ quan (ví dụ {1})",
    ),
    (
        r"a reporter responsible for unit (\S+) \(a People's Committee reports "
        r"its own unit and its communes\)",
        "đơn vị báo cáo chịu trách nhiệm về đơn vị {1} (Ủy ban nhân dân báo cáo "
        "đơn vị mình và các xã, phường trực thuộc)",
    ),
    (
        r"one value for (\S+) (\S+) (\S+) (\S+) \(rows (.+) of this file give (.+)\)",
        "một giá trị cho {1} {2} {3} {4} (các dòng {5} của tệp ghi {6})",
    ),
    (
        r"an indicator owned by (\S+) \(this one is (\S+)'s\)",
        "chỉ tiêu do {1} phụ trách (chỉ tiêu này thuộc {2})",
    ),
    (r"a \.csv, \.xlsx or \.json file", "tệp .csv, .xlsx hoặc .json"),
    (r"a readable (\S+) file \((.*)\)", "tệp {1} đọc được ({2})"),
    (r"at least one data row", "ít nhất một dòng số liệu"),
    (r"a '(\S+)' column in the header", "cột '{1}' trong dòng tiêu đề"),
    (
        r"a 'unit_code' or 'unit_name' column",
        "cột 'unit_code' hoặc 'unit_name' trong dòng tiêu đề",
    ),
    (
        r"UTF-8 text \(bad byte at offset (\d+)\)",
        "văn bản UTF-8 (byte lỗi ở vị trí {1})",
    ),
    (
        r'an object \{"reporter": \.\.\., "rows": \[\.\.\.\]\}',
        'một đối tượng {"reporter": ..., "rows": [...]}',
    ),
    (r"an object per row", "mỗi dòng là một đối tượng"),
    (r"the file received", "tệp đã tiếp nhận"),
    (
        r"a file the loader can load \(it failed\)",
        "tệp mà bộ nạp nạp được (bộ nạp gặp lỗi)",
    ),
    # intake: a row naming another reporter expects the caller's own agency
    (
        r"([A-Z][A-Z0-9_]*(?:-[0-9]{2}|-[0-9]{5})?)",
        "{1} (đơn vị báo cáo của tài khoản này)",
    ),
]
_COMPILED = [(re.compile(rf"^{p}$", re.S), vi) for p, vi in _SENTENCES]
# sentences naming an indicator's unit of measure in English: (unit group,
# code group), the unit said as the catalog says it in Vietnamese
_UNIT_GROUPS = {7: (3, 4), 8: (1, 2)}


def expected_text(
    expected: object, lang: str, units_vi: dict[str, str] | None = None
) -> str:
    """What a bad cell should have been, in `lang` (the ETL's English as is);
    `units_vi`: indicator code -> its unit of measure in Vietnamese."""
    text = "" if expected is None else str(expected)
    if lang != "vi":
        return text
    for index, (pattern, vi) in enumerate(_COMPILED):
        match = pattern.match(text)
        if match is None:
            continue
        groups = list(match.groups())
        if index in _UNIT_GROUPS and units_vi:
            unit, code = _UNIT_GROUPS[index]
            groups[unit - 1] = units_vi.get(groups[code - 1], groups[unit - 1])
        values = {str(i): g for i, g in enumerate(groups, start=1)}
        values.update(
            {f"f{i}": FREQUENCY_VI.get(g, g) for i, g in enumerate(groups, start=1)}
        )
        return _fill(vi, values)
    return text


def _fill(template: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(f?\d+)\}", lambda m: values.get(m.group(1), ""), template)


def column_label(column: object, lang: str) -> str:
    """A submission column by its name in `lang`; '' is the whole file."""
    name = "" if column is None else str(column)
    if not name:
        return t("sub.err.whole_file", lang)
    label = COLUMNS.get(name, {}).get(lang)
    return f"{label} ({name})" if label and lang == "vi" else label or name


def errors_table(
    errors: list[dict],
    lang: str,
    row_names: dict[int, str] | None = None,
    table_id: str | None = None,
    units_vi: dict[str, str] | None = None,
) -> html.Div:
    """The report: row, (indicator, for the form), column, value as written,
    expected; one line per bad cell, in row order."""
    names = row_names or {}
    heads = ["sub.err.row"] + (["sub.err.indicator"] if names else [])
    heads += ["sub.err.column", "sub.err.value", "sub.err.expected"]
    shown = sorted(errors, key=lambda e: (int(e.get("row") or 0), e.get("column")))
    body = []
    for e in shown[:MAX_SHOWN]:
        row = int(e.get("row") or 0)
        value = str(e.get("value") or "")
        cells = [html.Td(fmt_number(row, lang) if row else "—", className="num")]
        if names:
            cells.append(html.Td(names.get(row, "—")))
        cells += [
            html.Td(column_label(e.get("column"), lang)),
            html.Td(
                html.Code(value)
                if value
                else html.Span(t("sub.err.empty", lang), className="text-muted")
            ),
            html.Td(expected_text(e.get("expected"), lang, units_vi)),
        ]
        body.append(html.Tr(cells, **{"data-row": str(row)}))
    if len(shown) > MAX_SHOWN:
        more = t("sub.err.more", lang, n=fmt_number(len(shown) - MAX_SHOWN, lang))
        body.append(html.Tr(html.Td(more, colSpan=len(heads), className="text-muted")))
    return html.Div(
        html.Table(
            [
                html.Thead(html.Tr([html.Th(t(k, lang), scope="col") for k in heads])),
                html.Tbody(body),
            ],
            className="table table-sm cc-table submit-errors mb-1",
            **({"id": table_id} if table_id else {}),
        ),
        className="table-responsive",
    )
