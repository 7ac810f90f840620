"""A region's profile: its figure against wijk, gemeente and NL, and its trend. Plain data, no Dash."""
from __future__ import annotations

from urllib.parse import quote

from dashboard.present.figure import row_text
from dashboard.present.sparkline import sparkline, trend_words
from dashboard.present.sources import Sources
from dashboard.text import label, t
from etl.codes import NEDERLAND


def comparison(region: dict, indicator: dict, year: int, rows: list[dict], names: dict[str, str],
               sources: Sources, lang: str) -> list[dict]:
    """The region's figure first, then its wijk, gemeente and the Netherlands where loaded, each with its source."""
    by_code = {r["code"]: r for r in rows}
    chain = [(region["code"], region["name"], region["level"])]
    if region.get("wijk_code") and region["level"] == "buurt":
        chain.append((region["wijk_code"], names.get(region["wijk_code"], region["wijk_code"]), "wijk"))
    if region.get("gemeente_code") and region["level"] != "gemeente":
        chain.append((region["gemeente_code"], names.get(region["gemeente_code"], region["gemeente_code"]),
                      "gemeente"))
    chain.append((NEDERLAND, t("common.nederland", lang), "land"))
    figures = []
    for code, name, level in chain:
        row = by_code.get(code)
        if row is None and code != region["code"]:
            continue  # not loaded: leave it out rather than show an empty comparison
        figures.append({
            "code": code, "name": name, "level": label("level", level, lang),
            "text": row_text(row, indicator["unit"], lang),
            "value": row["value"] if row else None,
            "source": sources.text(row["source_table"] if row else None, indicator["source"], year),
            "self": code == region["code"],
        })
    return figures


def crosses_change(present: list[int] | None, loaded: list[int] | None, trend_years: list[int]) -> bool:
    """A series crosses a code or boundary change when its code is absent from an indeling year in its span.

    >>> crosses_change([2021, 2022], [2021, 2022, 2023], [2021, 2022, 2023])
    True
    >>> crosses_change([2021, 2022, 2023], [2021, 2022, 2023], [2021, 2023])
    False
    """
    if not trend_years or not loaded:
        return False
    span = [y for y in loaded if min(trend_years) <= y <= max(trend_years)]
    return any(y not in (present or []) for y in span)


TREND_SIZE = (280, 72)      # the profile's trend, in CSS pixels


def trend_image(rows: list[dict], indicator: dict, lang: str) -> dict:
    """The trend of all loaded years as an SVG image (margins as a band, estimates dashed, first and last year
    under it): ``{"src": a data: URI, "alt": every figure in words}``. A picture rather than a chart library:
    the profile shows one small line, and plotly.js would be most of the page's bytes."""
    points = [r for r in rows if r["value"] is not None]
    name = indicator["label_nl" if lang == "nl" else "label_en"]
    svg = sparkline(points, indicator["unit"], lang, *TREND_SIZE, label=name, years=True)
    return {"src": "data:image/svg+xml;charset=utf-8," + quote(str(svg), safe=""),
            "alt": trend_words(points, indicator["unit"], lang, name)}
