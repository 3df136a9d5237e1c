"""Folding Vietnamese names for type-ahead search on the wall's keyboard."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """'Hà Nội' -> 'ha noi', 'Đà Nẵng' -> 'da nang': lower case, no diacritics
    (wall.js folds what is typed the same way)."""
    decomposed = unicodedata.normalize(
        "NFD", str(text).replace("đ", "d").replace("Đ", "D")
    )
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.lower().split())
