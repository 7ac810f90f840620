"""CBS region codes: normalising them and telling their level."""
from __future__ import annotations

import re

LEVELS = ("land", "gemeente", "wijk", "buurt")
NEDERLAND = "NL00"

_PATTERNS = {
    "gemeente": re.compile(r"^GM\d{4}$"),
    "wijk": re.compile(r"^WK\d{6}$"),
    "buurt": re.compile(r"^BU\d{8}$"),
}


def normalise_code(raw) -> str:
    """Strip padding and a leading indeling year; the land is always ``NL00``.

    >>> normalise_code("WK168000  ")
    'WK168000'
    >>> normalise_code("2024BU03080000")
    'BU03080000'
    >>> normalise_code("NL01      ")
    'NL00'
    """
    code = str(raw).strip().upper()
    code = re.sub(r"^\d{4}(?=(GM|WK|BU))", "", code)
    if re.fullmatch(r"NL0\d", code):
        return NEDERLAND
    return code


def level_of(code: str) -> str | None:
    """The level a normalised code belongs to, or None when it is no CBS region code.

    >>> level_of("BU03080000"), level_of("GM0308"), level_of("NL00"), level_of("X1")
    ('buurt', 'gemeente', 'land', None)
    """
    if code == NEDERLAND:
        return "land"
    for level, pattern in _PATTERNS.items():
        if pattern.match(code):
            return level
    return None


def gemeente_of(code: str) -> str | None:
    """``GM`` code of the gemeente that a wijk or buurt code lies in."""
    level = level_of(code)
    if level in ("wijk", "buurt", "gemeente"):
        return "GM" + code[2:6]
    return None


def wijk_of(code: str) -> str | None:
    """``WK`` code of the wijk that a buurt code lies in."""
    return "WK" + code[2:8] if level_of(code) == "buurt" else None
