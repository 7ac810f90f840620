"""Filters for the initiatives layer: themes (with their marker colour) and statuses."""
from __future__ import annotations

from dash import dcc, html

from dashboard import ids
from dashboard.text import label, t
from dashboard.present.initiatives import theme_colour


def initiative_filters(themes: list[str], statuses: list[str], lang: str):
    theme_options = [{"label": html.Span([html.Span(className="marker-swatch",
                                                    style={"backgroundColor": theme_colour(th)}),
                                          " " + label("theme", th, lang)]), "value": th}
                     for th in themes]
    status_options = [{"label": " " + label("status", st, lang), "value": st} for st in statuses]
    if not themes:
        return None
    return html.Section([
        html.H2(t("common.initiatives", lang), className="section-title"),
        html.Fieldset([html.Legend(t("page.initiative_themes", lang)),
                       dcc.Checklist(id=ids.INITIATIVE_THEMES, options=theme_options, value=themes,
                                     className="checkbox")]),
        html.Fieldset([html.Legend(t("common.status", lang)),
                       dcc.Checklist(id=ids.INITIATIVE_STATUSES, options=status_options, value=statuses,
                                     inline=True, className="checkbox")]),
    ], className="initiative-filters")
