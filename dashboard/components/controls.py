"""The controls beside the map: labelled, keyboard-usable, initial values from the URL state."""
from __future__ import annotations

from dash import dcc, html

from dashboard import ids
from dashboard.components.fields import dropdown_words, field
from dashboard.components.finder import about_panel, finder
from dashboard.present.catalogue import finder_option, in_order, name_of
from dashboard.text import INDICATOR_THEMES, label, t
from dashboard.state import LEVELS as LEVEL_ORDER, Available, ViewState
from geo.classify import K_RANGE, SCHEMES


def indicator_options(indicators: list[dict], theme: str, lang: str) -> list[dict]:
    """A theme's indicators, its featured ones first; the others with their CBS group, as the finder names them
    (titles repeat across groups), and found by it."""
    return [{"label": name_of(i, lang), "value": i["id"]} if i["featured"] else finder_option(i, lang)
            for i in in_order(indicators) if i["theme"] == theme]


def year_options(years: list[int]) -> list[dict]:
    return [{"label": str(y), "value": y} for y in reversed(years)]


def controls(state: ViewState, indicators: list[dict], available: Available, has_agenda: bool = False,
             address_search: bool = False, about: list[tuple[str, str]] = ()):
    """``about``: what the chosen indicator means (present/catalogue.py), folded under its choice."""
    lang = state.lang
    themes = sorted({i["theme"] for i in indicators}, key=INDICATOR_THEMES.index)
    layer_choice = field(t("page.map_layer", lang), dcc.RadioItems(
        id=ids.MAP_LAYER, options=[{"label": t("page.indicator_layer", lang), "value": "indicator"},
                                   {"label": t("page.agenda_layer", lang), "value": "agenda"}],
        value=state.layer, className="radio"), ids.MAP_LAYER) if has_agenda else \
        dcc.RadioItems(id=ids.MAP_LAYER, options=[], value="indicator", style={"display": "none"})
    return html.Section([
        layer_choice,
        finder(indicators, lang),
        field(t("common.theme", lang), dcc.Dropdown(
            id=ids.THEME, options=[{"label": label("theme", th, lang), "value": th} for th in themes],
            value=state.theme, clearable=False), ids.THEME),
        field(t("common.indicator", lang), dcc.Dropdown(
            id=ids.INDICATOR, options=indicator_options(indicators, state.theme, lang), value=state.indicator,
            clearable=False), ids.INDICATOR),
        about_panel(list(about), lang),
        field(t("page.level", lang), dcc.RadioItems(
            id=ids.LEVEL, options=[{"label": label("level", lv, lang), "value": lv} for lv in LEVEL_ORDER],
            value=state.level, inline=True, className="radio"), ids.LEVEL),
        field(t("common.year", lang), dcc.Dropdown(
            id=ids.YEAR, options=year_options(available.years_of(state.indicator, state.level)), value=state.year,
            clearable=False), ids.YEAR),
        field(t("page.scheme", lang), dcc.Dropdown(
            id=ids.SCHEME, options=[{"label": label("scheme", s, lang), "value": s} for s in SCHEMES],
            value=state.scheme, clearable=False), ids.SCHEME),
        field(t("page.k", lang), dcc.Dropdown(
            id=ids.K, options=[{"label": str(k), "value": k} for k in K_RANGE], value=state.k, clearable=False),
            ids.K),
        dcc.Checklist(id=ids.FIXED, options=[{"label": " " + t("page.fixed", lang), "value": "vast"}],
                      value=["vast"] if state.fixed else [], className="checkbox"),
        field(t("page.search_address" if address_search else "page.search", lang), dcc.Dropdown(
            id=ids.SEARCH, options=[], searchable=True, clearable=True, labels=dropdown_words(lang),
            placeholder=t("page.search_address_placeholder" if address_search else "page.search_placeholder", lang)),
            ids.SEARCH),
        html.P(id=ids.SEARCH_STATUS, role="status", className="search-status"),
    ], className="controls")   # named by the panel around it (page.py, #controls-panel)
