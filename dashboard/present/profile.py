"""A region's profile: its figure against wijk, gemeente and NL, and its trend. Plain data, no Dash."""
from __future__ import annotations

from dashboard.present.figure import row_text
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


def trend_figure(rows: list[dict], indicator: dict, lang: str, code_change: bool) -> dict:
    """A small plotly line chart of all loaded years; margins as a band, estimates dashed."""
    points = [r for r in rows if r["value"] is not None]
    years = [r["year"] for r in points]
    name = indicator["label_nl" if lang == "nl" else "label_en"]
    estimate = any(r["status"] == "estimate" for r in points)
    data = []
    if any(r.get("lower") is not None for r in points):
        data.append({"x": years + years[::-1],
                     "y": [r["lower"] for r in points] + [r["upper"] for r in points][::-1],
                     "fill": "toself", "line": {"width": 0}, "fillcolor": "rgba(44,127,184,0.15)",
                     "hoverinfo": "skip", "showlegend": False, "type": "scatter"})
    data.append({"x": years, "y": [r["value"] for r in points], "type": "scatter", "mode": "lines+markers",
                 "name": name, "line": {"color": "#2c7fb8", "dash": "dash" if estimate else "solid"},
                 "hovertemplate": "%{x}: %{y} " + indicator["unit"] + "<extra></extra>"})
    layout = {"height": 180, "margin": {"l": 40, "r": 10, "t": 10, "b": 30},
              "xaxis": {"tickmode": "array", "tickvals": years, "tickformat": "d"},
              "yaxis": {"title": {"text": indicator["unit"]}, "rangemode": "tozero"},
              "separators": ",." if lang == "nl" else ".,", "paper_bgcolor": "rgba(0,0,0,0)"}
    if code_change:
        layout["annotations"] = [{"text": "⚠", "xref": "paper", "yref": "paper", "x": 1, "y": 1,
                                  "showarrow": False}]
    return {"data": data, "layout": layout}
