"""The profile panel of one region: figures compared, the trend, and where every figure comes from."""
from __future__ import annotations

from dash import dcc, html

from dashboard.text import label, t


def profile_panel(region: dict, indicator_label: str, year: int, figures: list[dict], trend: dict | None,
                  code_change: bool, lang: str):
    rows = [html.Tr([html.Th(f"{f['name']}", scope="row", className="figure-name"),
                     html.Td(f["text"], className="figure-value"),
                     html.Td(f["source"], className="figure-source")],
                    className="figure-self" if f["self"] else "figure-other") for f in figures]
    return [
        html.H2(region["name"], id="profile-name"),
        html.P(f"{label('level', region['level'], lang)} {region['code']}", id="profile-code", className="muted"),
        html.H3(f"{indicator_label}, {year}"),
        html.Table([html.Thead(html.Tr([html.Th(""), html.Th(t("common.indicator", lang)), html.Th(t("common.source", lang))])),
                    html.Tbody(rows)], id="profile-figures", className="figures"),
        html.H3(t("common.trend", lang)),
        dcc.Graph(id="profile-trend", figure=trend, config={"displayModeBar": False, "staticPlot": False})
        if trend else html.P(t("profile.no_trend", lang), className="muted"),
        html.P(t("profile.code_change", lang), id="profile-code-change", className="warning") if code_change else None,
    ]
