"""Filters for the initiatives layer: themes (with their marker colour) and statuses."""
from __future__ import annotations

from dash import dcc, html

from dashboard import ids
from dashboard.i18n import INITIATIVE_THEMES, STATUSES, label, t
from dashboard.present.initiatives import theme_colour


def initiative_filters(themes: list[str], statuses: list[str], lang: str):
    theme_options = [{"label": html.Span([html.Span(className="marker-swatch",
                                                    style={"backgroundColor": theme_colour(th)}),
                                          " " + label(INITIATIVE_THEMES, th, lang)]), "value": th}
                     for th in themes]
    status_options = [{"label": " " + label(STATUSES, st, lang), "value": st} for st in statuses]
    if not themes:
        return None
    return html.Section([
        html.H2(t("initiatives", lang), className="section-title"),
        html.Fieldset([html.Legend(t("initiative_themes", lang)),
                       dcc.Checklist(id=ids.INITIATIVE_THEMES, options=theme_options, value=themes,
                                     className="checkbox")]),
        html.Fieldset([html.Legend(t("initiative_statuses", lang)),
                       dcc.Checklist(id=ids.INITIATIVE_STATUSES, options=status_options, value=statuses,
                                     inline=True, className="checkbox")]),
    ], className="initiative-filters")
