"""Values → what the map paints (hideout) and what the legend says. Plain data, no Dash."""
from __future__ import annotations

from dashboard.present.figure import figure_text, range_text
from geo.classify import class_breaks, classify, palette

MISSING, SUPPRESSED = -1, -2
MISSING_COLOUR, SUPPRESSED_COLOUR = "#ffffff", "#9e9e9e"


def paint(rows: list[dict], scheme: str, k: int, breaks_from: list[float] | None = None,
          palette_name: str = "YlGnBu", breaks: list[float] | None = None) -> dict:
    """Class per region in geometry-file order, and the breaks and colours that go with them.

    ``rows`` are ``{code, value, status}`` in the order of the geometry file; ``breaks_from``
    are the values to compute breaks from (all years, for breaks fixed across years), else ``rows``;
    ``breaks`` fixes the classes outright (e.g. 25/50/75/100 % for agenda progress).
    """
    values = [r["value"] for r in rows]
    if breaks is None:
        breaks = class_breaks(breaks_from if breaks_from is not None else values, scheme, k)
    classes = classify(values, breaks)
    colours = palette(len(breaks), palette_name) if breaks else []
    coded = [c if c is not None else (SUPPRESSED if r["status"] == "suppressed" else MISSING)
             for c, r in zip(classes, rows)]
    return {
        "classes": coded,
        "colours": colours,
        "breaks": breaks,
        "low": min((v for v in (breaks_from if breaks_from is not None else values) if v is not None), default=None),
        "estimate": any(r["status"] == "estimate" for r in rows),
        "missing": MISSING_COLOUR,
        "suppressed": SUPPRESSED_COLOUR,
    }


def class_string(classes: list[int]) -> str:
    """Classes in feature order as one character each — ``0``–``6``, ``m`` missing, ``s`` suppressed —
    so a repaint of 14,800 buurten is about 15 KB.

    >>> class_string([0, 3, MISSING, SUPPRESSED])
    '03ms'
    """
    return "".join([CLASS_CHARACTERS[c] for c in classes])


CLASS_CHARACTERS = {MISSING: "m", SUPPRESSED: "s", **{c: str(c) for c in range(10)}}


def legend_entries(painted: dict, unit: str, lang: str) -> list[dict]:
    """One entry per class (colour, range, count), then suppressed and missing where they occur."""
    breaks, classes = painted["breaks"], painted["classes"]
    low = painted["low"] if painted["low"] is not None else (breaks[0] if breaks else None)
    if low is not None and breaks:
        low = min(low, breaks[0])
    entries = []
    lower = low
    for index, (upper, colour) in enumerate(zip(breaks, painted["colours"])):
        entries.append({"colour": colour, "label": range_text(lower, upper, unit, lang), "count": classes.count(index),
                        "kind": "class"})
        lower = upper
    for kind, code, colour in (("suppressed", SUPPRESSED, painted["suppressed"]),
                               ("missing", MISSING, painted["missing"])):
        count = classes.count(code)
        if count:
            entries.append({"colour": colour, "label": figure_text(None, kind, unit, lang), "count": count,
                            "kind": kind})
    return entries
