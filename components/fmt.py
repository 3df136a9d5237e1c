"""Number, date and period formatting for Vietnamese and English (pure, babel).

>>> fmt_number(29915, "vi"), fmt_number(29915, "en")
('29.915', '29,915')
>>> fmt_pct(66.4, "vi"), fmt_pct(66.4, "en")
('66,4%', '66.4%')
>>> fmt_value(29915, "tỷ đồng", "billion VND", "vi")
'29.915 tỷ đồng'
>>> fmt_period("2020-Q3", "vi"), fmt_period("2020-Q3", "en")
('Quý III/2020', 'Q3 2020')

Conventions:

* Missing values (None, NaN, NaT, pandas NA, +/-inf) format as ``MISSING`` (—).
* Rounding is half-up on the decimal value as written (66.45 -> 66.5), not
  banker's rounding; a value that rounds to zero never shows a minus sign.
* Negative numbers use the typographic minus sign U+2212 (``−``); signed
  formats (``fmt_signed_pct``, ``fmt_delta``) add ``+`` to positive values.
* Percentages take values already in percent (66.4 means 66.4 %), glued to the
  number with no space in both languages.
* ``lang`` is anything ``i18n.normalize_lang`` accepts; unknown -> Vietnamese.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from numbers import Integral

from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.numbers import format_decimal as _babel_decimal

from core.i18n import normalize_lang
from core.tz import VIETNAM_OFFSET_HOURS

MISSING = "—"  # em dash, shown for missing values
MINUS = "\u2212"  # typographic minus sign
PLUS = "+"

_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_PERIOD_RE = re.compile(r"^\s*(\d{4})(?:-(?:(Q)([1-4])|(\d{1,2})))?\s*$", re.I)


def _to_decimal(value: object) -> Decimal | None:
    """``value`` as a finite Decimal, or None when missing or not a number."""
    if value is None or isinstance(value, (bool, str)):
        return None
    try:
        if isinstance(value, Decimal):
            dec = value
        elif isinstance(value, Integral):  # int and numpy integers: exact
            dec = Decimal(int(value))
        else:
            number = float(value)  # float, numpy floats
            if math.isnan(number) or math.isinf(number):
                return None
            dec = Decimal(repr(number))  # shortest repr: 66.45 stays 66.45
    except (TypeError, ValueError, OverflowError, InvalidOperation):
        return None  # pandas NA, NaT, objects that are not numbers
    return dec if dec.is_finite() else None


def default_decimals(value: object) -> int:
    """Decimals used when none are given: 0 for whole numbers and when
    abs(value) >= 100, 1 when 1 <= abs(value) < 100, 2 below 1."""
    dec = _to_decimal(value)
    if dec is None or dec == dec.to_integral_value():
        return 0
    magnitude = abs(dec)
    if magnitude.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) >= 100:
        return 0  # also 99.95, which would otherwise show as 100,0
    return 1 if magnitude >= 1 else 2


def _format(dec: Decimal, lang: str, decimals: int, plus: bool) -> str:
    """Round half-up, group and sign one Decimal."""
    decimals = max(0, int(decimals))
    rounded = dec.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    body = _babel_decimal(abs(rounded), format=pattern, locale=lang)
    if rounded < 0:
        return MINUS + body
    if rounded > 0 and plus:
        return PLUS + body
    return body


def fmt_number(value: object, lang: object = "vi", decimals: int | None = None) -> str:
    """``29915`` -> vi ``29.915`` / en ``29,915``; ``66.4`` -> ``66,4`` / ``66.4``."""
    dec = _to_decimal(value)
    if dec is None:
        return MISSING
    places = default_decimals(dec) if decimals is None else decimals
    return _format(dec, normalize_lang(lang), places, plus=False)


def fmt_pct(value: object, lang: object = "vi", decimals: int = 1) -> str:
    """Percent value (66.4 = 66.4 %) -> vi ``66,4%`` / en ``66.4%``."""
    dec = _to_decimal(value)
    if dec is None:
        return MISSING
    return _format(dec, normalize_lang(lang), decimals, plus=False) + "%"


def fmt_signed_pct(value: object, lang: object = "vi", decimals: int = 1) -> str:
    """Change in percent with explicit sign: ``+2,5%``, ``−1,2%``, ``0,0%``."""
    dec = _to_decimal(value)
    if dec is None:
        return MISSING
    return _format(dec, normalize_lang(lang), decimals, plus=True) + "%"


def _unit(unit_vi: str | None, unit_en: str | None, lang: str) -> str:
    unit = unit_en if lang == "en" else unit_vi
    if not isinstance(unit, str):  # None or NaN from a CSV
        return ""
    return unit.strip()


def _join_unit(number: str, unit: str) -> str:
    if not unit:
        return number
    return number + unit if unit == "%" else f"{number} {unit}"


def fmt_value(
    value: object,
    unit_vi: str | None,
    unit_en: str | None,
    lang: object = "vi",
    integer: bool = False,
    decimals: int | None = None,
) -> str:
    """Number with its unit: ``29.915 tỷ đồng`` / ``29,915 billion VND``;
    a ``%`` unit is glued (``66,4%``). ``integer=True`` forces 0 decimals
    (counts). Missing values give ``—`` without a unit."""
    lang = normalize_lang(lang)
    if integer:
        decimals = 0
    number = fmt_number(value, lang, decimals)
    if number == MISSING:
        return MISSING
    return _join_unit(number, _unit(unit_vi, unit_en, lang))


def fmt_delta(
    value: object,
    lang: object = "vi",
    decimals: int | None = None,
    unit_vi: str | None = None,
    unit_en: str | None = None,
) -> str:
    """Difference with explicit sign and optional unit: ``+1.552``,
    ``−66,4``, ``+1.552 tỷ đồng``; zero has no sign."""
    dec = _to_decimal(value)
    if dec is None:
        return MISSING
    lang = normalize_lang(lang)
    places = default_decimals(dec) if decimals is None else decimals
    number = _format(dec, lang, places, plus=True)
    return _join_unit(number, _unit(unit_vi, unit_en, lang))


def _is_missing_time(dt: object) -> bool:
    if dt is None:
        return True
    try:
        return bool(dt != dt)  # NaN, NaT
    except (TypeError, ValueError):
        return True  # pandas NA


def fmt_datetime(dt: object, lang: object = "vi") -> str:
    """vi ``19/08/2020 14:29``, en ``19 Aug 2020 14:29``.

    Takes a datetime (shown as given, no time-zone conversion), a date (then
    only the date part) or an ISO-8601 string.
    """
    if _is_missing_time(dt):
        return MISSING
    lang = normalize_lang(lang)
    if isinstance(dt, str):
        try:
            dt = datetime.fromisoformat(dt.strip())
        except ValueError:
            return MISSING
    if isinstance(dt, datetime):
        pattern = "dd/MM/yyyy HH:mm" if lang == "vi" else "d MMM yyyy HH:mm"
        return _babel_datetime(dt, pattern, locale=lang)
    if isinstance(dt, date):
        return fmt_date(dt, lang)
    return MISSING


def fmt_date(d: object, lang: object = "vi") -> str:
    """vi ``19/08/2020``, en ``19 Aug 2020`` (date, datetime or ISO string)."""
    if _is_missing_time(d):
        return MISSING
    lang = normalize_lang(lang)
    if isinstance(d, str):
        try:
            d = date.fromisoformat(d.strip()[:10])
        except ValueError:
            return MISSING
    if not isinstance(d, date):
        return MISSING
    if isinstance(d, datetime):
        d = d.date()
    pattern = "dd/MM/yyyy" if lang == "vi" else "d MMM yyyy"
    return _babel_date(d, pattern, locale=lang)


def fmt_period(period: object, lang: object = "vi") -> str:
    """Period key to label: ``2020`` -> ``Năm 2020`` / ``2020``;
    ``2020-Q3`` -> ``Quý III/2020`` / ``Q3 2020``;
    ``2020-08`` -> ``Tháng 8/2020`` / ``Aug 2020``.
    Anything else is returned unchanged (as text); missing -> ``—``."""
    if _is_missing_time(period):
        return MISSING
    text = str(period)
    match = _PERIOD_RE.match(text)
    if match is None:
        return text
    year, q_mark, quarter, month = match.groups()
    lang = normalize_lang(lang)
    if q_mark:
        q = int(quarter)
        return f"Quý {_ROMAN[q]}/{year}" if lang == "vi" else f"Q{q} {year}"
    if month:
        m = int(month)
        if not 1 <= m <= 12:
            return text
        if lang == "vi":
            return f"Tháng {m}/{year}"
        return _babel_date(date(int(year), m, 1), "MMM yyyy", locale="en")
    return f"Năm {year}" if lang == "vi" else year


def fmt_local_datetime(utc: object, lang: object = "vi") -> str:
    """A UTC timestamp of the warehouse shown in Vietnam time (GMT+7)."""
    if _is_missing_time(utc):
        return MISSING
    if isinstance(utc, str):
        try:
            utc = datetime.fromisoformat(utc.strip())
        except ValueError:
            return MISSING
    if not isinstance(utc, datetime):
        return fmt_datetime(utc, lang)
    if utc.tzinfo is not None:  # aware: bring it to naive UTC first
        utc = (utc - utc.utcoffset()).replace(tzinfo=None)
    return fmt_datetime(utc + timedelta(hours=VIETNAM_OFFSET_HOURS), lang)
