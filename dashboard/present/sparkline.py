"""Figures → small inline SVG: a trend line over the years and a horizontal bar. Pure, escaped, printable.

Everything a person reads (titles, labels) goes through :func:`markupsafe.escape`; the rest are numbers
formatted by this module, so the result is safe to put in an autoescaped template as it is.
"""
from __future__ import annotations

import re

from markupsafe import Markup, escape

from dashboard.present.figure import row_text

LINE_COLOUR, BAR_COLOUR, TRACK_COLOUR = "#2c7fb8", "#41b6c4", "#eeeeee"
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}")


def _colour(value: str) -> str:
    if not COLOUR.fullmatch(value):
        raise ValueError(f"colour {value!r} is not a #rgb or #rrggbb colour")
    return value


def trend_words(points: list[dict], unit: str = "", lang: str = "nl", label: str = "") -> str:
    """Every figure of a trend in words, oldest first (``label: 2021: 12,8%; 2023: 12,7%``): the text a screen
    reader gets for the line.

    >>> trend_words([{"year": 2023, "value": 12.7, "status": "ok"}, {"year": 2021, "value": 12.8, "status": "ok"}],
    ...             "%", label="Laag inkomen")
    'Laag inkomen: 2021: 12,8%; 2023: 12,7%'
    """
    known = sorted((p for p in points if p.get("value") is not None), key=lambda p: p["year"])
    words = "; ".join(f"{p['year']}: {row_text(p, unit, lang)}" for p in known)
    return f"{label}: {words}" if label else words


def sparkline(points: list[dict], unit: str = "", lang: str = "nl", width: int = 120, height: int = 30,
              label: str = "", years: bool = False) -> Markup:
    """A trend over the years as an inline SVG line; model estimates drawn dashed with open dots, their margins
    (``lower``/``upper``, where given) as a pale band.

    ``points`` are ``{year, value, status}`` rows (any order); years without a figure are left out and the
    line spans them. The newest figure has a filled dot. The ``<title>`` lists every figure, for screen
    readers and as a tooltip. With fewer than two figures there is no line, only the dot. ``years``: the first
    and last year written under the line.

    >>> svg = sparkline([{"year": 2021, "value": 12.8, "status": "ok"},
    ...                  {"year": 2023, "value": 12.7, "status": "ok"}], "%")
    >>> "<polyline" in svg and "2021: 12,8%" in svg
    True
    """
    known = sorted((p for p in points if p.get("value") is not None), key=lambda p: p["year"])
    title = escape(trend_words(known, unit, lang, label))
    if not known:
        return Markup("")
    pad = 4
    below = 12 if years else 0
    first, last = known[0]["year"], known[-1]["year"]
    banded = [p for p in known if p.get("lower") is not None and p.get("upper") is not None]
    values = [p["value"] for p in known] + [v for p in banded for v in (p["lower"], p["upper"])]
    low, high = min(values), max(values)

    def x(year: int) -> float:
        return pad + (width - 2 * pad) * ((year - first) / (last - first) if last > first else 0.5)

    def y(value: float) -> float:
        return pad + (height - below - 2 * pad) * ((high - value) / (high - low) if high > low else 0.5)

    estimate = any(p.get("status") == "estimate" for p in known)
    parts = [f'<svg class="sparkline" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" aria-label="{title}"><title>{title}</title>']
    if len(banded) > 1:
        outline = [(p["year"], p["lower"]) for p in banded] + [(p["year"], p["upper"]) for p in banded[::-1]]
        parts.append(f'<polygon class="margin" points="{" ".join(f"{x(a):.1f},{y(b):.1f}" for a, b in outline)}" '
                     f'fill="{LINE_COLOUR}" fill-opacity="0.15" stroke="none"/>')
    if len(known) > 1:
        coordinates = " ".join(f"{x(p['year']):.1f},{y(p['value']):.1f}" for p in known)
        dash = ' stroke-dasharray="3 2"' if estimate else ""
        parts.append(f'<polyline points="{coordinates}" fill="none" stroke="{LINE_COLOUR}" stroke-width="1.5"{dash}/>')
    for p in known:
        newest = p is known[-1]
        hollow = p.get("status") == "estimate" and not newest
        fill = "#ffffff" if hollow else LINE_COLOUR
        radius = 2.5 if newest else 1.8
        css = "point estimate" if p.get("status") == "estimate" else "point"
        parts.append(f'<circle class="{css}" cx="{x(p["year"]):.1f}" cy="{y(p["value"]):.1f}" r="{radius}" '
                     f'fill="{fill}" stroke="{LINE_COLOUR}" stroke-width="1"/>')
    if years:
        font = 'font-size="10" font-family="sans-serif" fill="#4d4d4d"'
        parts.append(f'<text x="{pad}" y="{height - 2}" {font}>{first}</text>')
        if last > first:
            parts.append(f'<text x="{width - pad}" y="{height - 2}" {font} text-anchor="end">{last}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bar(value: float | None, maximum: float | None, width: int = 120, height: int = 10,
        colour: str = BAR_COLOUR, label: str = "") -> Markup:
    """A horizontal bar for ``value`` on a scale from 0 to ``maximum``; nothing when there is no figure.

    Negative values draw as an empty bar (the catalog's indicators are all zero or more).

    >>> 'width="60.0"' in bar(5, 10, width=120)
    True
    """
    if value is None or not maximum or maximum <= 0:
        return Markup("")
    share = min(max(value / maximum, 0.0), 1.0)
    title = escape(label)
    return Markup(
        f'<svg class="bar" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" preserveAspectRatio="none" role="img" aria-label="{title}">'
        f'<title>{title}</title><rect width="{width}" height="{height}" fill="{TRACK_COLOUR}"/>'
        f'<rect width="{width * share:.1f}" height="{height}" fill="{_colour(colour)}"/></svg>')
