"""Resolve the unit names people write to official unit codes.

`Quảng Ninh`, `Tỉnh Quảng Ninh`, `TP. Hồ Chí Minh`, `Thành phố Hồ Chí Minh`,
`Thừa Thiên-Huế` name the same units as their official names, in NFC or NFD.
A name that fits no unit, or several units valid at the same time, is an error:
this module never guesses.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import duckdb

# Administrative prefixes that do not change which unit is meant.
_PREFIXES = ("thành phố ", "tỉnh ", "tp. ", "tp.", "tp ")
_SEPARATORS = re.compile(r"[\s\-–—_]+")


def normalize_name(name: str) -> str:
    """Canonical form of a unit name for matching (not for display)."""
    text = unicodedata.normalize("NFC", name).casefold().strip()
    text = _SEPARATORS.sub(" ", text).strip()
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
            break
    return text


@dataclass(frozen=True)
class Candidate:
    unit_code: str
    level: str
    valid_from: date
    valid_to: date


@dataclass(frozen=True)
class Resolution:
    unit_code: str | None
    problem: str | None


class NameIndex:
    """Normalised name -> the unit versions it can mean."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._names: dict[str, set[Candidate]] = {}
        rows = con.execute(
            "SELECT unit_code, level, name_vi, name_en, valid_from, valid_to FROM units"
        ).fetchall()
        for code, level, name_vi, name_en, start, end in rows:
            candidate = Candidate(code, level, start, end)
            for name in {name_vi, name_en}:
                if name:
                    self._add(name, candidate)
        levels = {code: level for code, level, *_ in rows}
        for alias, code, start, end in con.execute(
            "SELECT alias, unit_code, valid_from, valid_to FROM unit_aliases"
        ).fetchall():
            self._add(alias, Candidate(code, levels.get(code, "province"), start, end))

    def _add(self, name: str, candidate: Candidate) -> None:
        self._names.setdefault(normalize_name(name), set()).add(candidate)

    def resolve(self, name: str, start: date, end: date) -> Resolution:
        """The unit meant by `name` for a period from `start` to `end`."""
        options = self._names.get(normalize_name(name), set())
        if not options:
            return Resolution(None, "the official name of a unit, or a unit_code")
        # The version valid at the period's end wins; else one overlapping it.
        at_end = {c.unit_code for c in options if c.valid_from <= end <= c.valid_to}
        overlapping = {
            c.unit_code for c in options if c.valid_from <= end and start <= c.valid_to
        }
        codes = at_end or overlapping
        if len(codes) == 1:
            return Resolution(codes.pop(), None)
        if not codes:
            known = ", ".join(sorted({c.unit_code for c in options}))
            return Resolution(
                None, f"a unit that existed in this period (name was of {known})"
            )
        return Resolution(
            None,
            f"an unambiguous name or a unit_code (could be {', '.join(sorted(codes))})",
        )
