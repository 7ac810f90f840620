"""One figure as a person reads it: the same text on the map's tooltip, in the profile, the briefing, the
comparison, the static public map and the wijkagenda.

A figure has a value, a status (``ok``, ``estimate``, ``suppressed`` or ``missing``, see ``etl/values.py``) and
a unit from the catalog. A secret or missing figure is said in words, never shown as a number, ``None`` or a
sentinel; a model estimate is marked the same way everywhere, with its margin where it is known.

>>> figure_text(12.54, "ok", "%", "nl"), figure_text(13085.0, "ok", "aantal", "en")
('12,5%', '13,085')
>>> figure_text(47.6, "estimate", "%", "nl", lower=45.1, upper=50.2)
'47,6% (modelschatting, marge 45,1–50,2)'
>>> figure_text(None, "suppressed", "%", "nl"), figure_text(None, "missing", "m³", "en")
('geheim (te weinig inwoners)', 'not available')
"""
from __future__ import annotations

import math

from dashboard.text import number, percent, t

PERCENT = "%"
COUNT_UNITS = frozenset({"aantal"})   # a count needs no unit after its number: 13.085, not 13.085 aantal


def known(value) -> bool:
    """A finite number (not ``None``, NaN or infinite)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def decimals_for(value: float) -> int:
    """One decimal, none for a whole number of 100 or more (``13.085``, ``12,0``)."""
    return 0 if float(value).is_integer() and abs(value) >= 100 else 1


def quantity_text(value: float, unit: str, lang: str, decimals: int | None = None) -> str:
    """A number with its unit: ``12,5%``, ``1.234,5 m³``, ``13.085`` (a count).

    >>> quantity_text(1234.5, "m³", "nl"), quantity_text(12.0, "%", "en")
    ('1.234,5 m³', '12.0%')
    """
    decimals = decimals_for(value) if decimals is None else decimals
    if unit == PERCENT:
        return percent(value, lang, decimals)
    text = number(value, lang, decimals)
    return text if not unit or unit in COUNT_UNITS else f"{text} {unit}"


def range_text(low: float, high: float, unit: str, lang: str) -> str:
    """A class of the legend: ``1,0 – 4,0%``, or one figure when both ends are the same."""
    if low == high:
        return quantity_text(high, unit, lang)
    return f"{number(low, lang, decimals_for(low))} – {quantity_text(high, unit, lang)}"


def figure_text(value, status: str | None, unit: str, lang: str, lower=None, upper=None,
                decimals: int | None = None) -> str:
    """The figure, or in words why there is none; an estimate says so, with its margin when given."""
    if status == "suppressed":
        return t("figure.suppressed", lang)
    if not known(value):
        return t("figure.missing", lang)
    text = quantity_text(value, unit, lang, decimals)
    if status == "estimate":
        mark = t("figure.estimate", lang)
        if known(lower) and known(upper):
            mark += ", " + t("figure.margin", lang, low=number(lower, lang, decimals_for(lower)),
                             high=number(upper, lang, decimals_for(upper)))
        text += f" ({mark})"
    return text


def row_text(row: dict | None, unit: str, lang: str) -> str:
    """:func:`figure_text` of a published row (``value``, ``status`` and, where the query has them, ``lower``
    and ``upper``); no row is a missing figure."""
    if not row:
        return t("figure.missing", lang)
    return figure_text(row.get("value"), row.get("status"), unit, lang, row.get("lower"), row.get("upper"))


def change_text(change: float, unit: str, lang: str) -> str:
    """How much a figure moved: ``−0,2 procentpunt``, ``+120 m³``, ``geen verandering``.

    >>> change_text(-0.24, "%", "nl"), change_text(120, "m³", "en"), change_text(0.01, "aantal", "nl")
    ('−0,2 procentpunt', '+120 m³', 'geen verandering')
    """
    if round(change, 1) == 0:
        return t("figure.no_change", lang)
    sign = "+" if change > 0 else "−"
    if unit == PERCENT:
        return f"{sign}{number(abs(change), lang, decimals_for(change))} {t('figure.percentage_points', lang)}"
    return f"{sign}{quantity_text(abs(change), unit, lang)}"
