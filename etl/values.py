"""CBS cell values: numbers, and the sentinels that stand for secret or unknown figures."""
from __future__ import annotations

import math

OK, SUPPRESSED, MISSING, ESTIMATE = "ok", "suppressed", "missing", "estimate"
STATUSES = (OK, SUPPRESSED, MISSING, ESTIMATE)

# CBS codes, as found in Wijk- en buurtkaart files and older shapefiles.
SUPPRESSED_CODES = {-99997, -99999997}   # "geheim": too few people to publish
MISSING_CODES = {-99995, -99999999}      # not (yet) available / unknown


def parse_value(raw) -> tuple[float | None, str]:
    """Turn one cell into ``(value, status)``; sentinels become ``(None, status)``, never numbers.

    >>> parse_value("    47.6")
    (47.6, 'ok')
    >>> parse_value(-99997)
    (None, 'suppressed')
    >>> parse_value("       .")
    (None, 'missing')
    >>> parse_value("3,5")
    (3.5, 'ok')
    """
    if raw is None:
        return None, MISSING
    if isinstance(raw, bool):
        raise ValueError(f"not a number: {raw!r}")
    try:
        if isinstance(raw, (int, float)):
            number = float(raw)
        else:
            text = str(raw).strip()
            if text in ("", ".", "x", "-", "?"):
                return None, MISSING
            number = float(text.replace(",", ".")) if text.count(",") == 1 and "." not in text else float(text)
    except OverflowError:
        raise ValueError(f"not a finite number: {str(raw)[:40]}") from None
    if math.isnan(number):
        return None, MISSING
    if math.isinf(number):
        raise ValueError(f"not a finite number: {raw!r}")
    if number in SUPPRESSED_CODES:
        return None, SUPPRESSED
    if number in MISSING_CODES or number <= -99990:
        return None, MISSING
    return number, OK
