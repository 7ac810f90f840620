"""The legend: one swatch per class, then suppressed and missing, with unit, year and source."""
from __future__ import annotations

from dash import html

from dashboard.text import t


def legend(entries: list[dict], title: str, year: int | None, source: str, estimate: bool, lang: str):
    items = [html.Li([html.Span(className=f"swatch swatch-{e['kind']}", style={"backgroundColor": e["colour"]}),
                      html.Span(e["label"], className="legend-label"),
                      html.Span(f"({e['count']})", className="legend-count")],
                     className=f"legend-item legend-{e['kind']}") for e in entries]
    note = html.P(t("figure.estimate", lang), className="legend-estimate") if estimate else None
    return [html.H2(f"{title}, {year}" if year else title, className="legend-title"),
            html.Ul(items, className="legend-items"), note,
            html.P(source, className="legend-source")]
