"""The controls beside the map: labelled, keyboard-usable, initial values from the URL state."""
from __future__ import annotations

from dash import dcc, html

from dashboard import ids
from dashboard.text import INDICATOR_THEMES, label, t
from dashboard.state import LEVELS as LEVEL_ORDER, Available, ViewState
from geo.classify import K_RANGE, SCHEMES


def indicator_options(indicators: list[dict], theme: str, lang: str) -> list[dict]:
    key = "label_nl" if lang == "nl" else "label_en"
    return [{"label": i[key], "value": i["id"]} for i in indicators if i["theme"] == theme]


def year_options(years: list[int]) -> list[dict]:
    return [{"label": str(y), "value": y} for y in reversed(years)]


def field(label_text: str, control, for_id: str):
    return html.Div([html.Label(label_text, htmlFor=for_id, className="field-label"), control], className="field")


DROPDOWN_WORDS = {"search": "page.dropdown_search", "clear_search": "page.dropdown_clear_search",
                  "clear_selection": "page.dropdown_clear_selection",
                  "no_options_found": "page.dropdown_no_options_found"}


def dropdown_words(lang: str) -> dict:
    """The words Dash's dropdown writes itself (its search box, clear buttons), in the page's language."""
    return {key: t(word, lang) for key, word in DROPDOWN_WORDS.items()}


def controls(state: ViewState, indicators: list[dict], available: Available, has_agenda: bool = False,
             address_search: bool = False):
    lang = state.lang
    themes = sorted({i["theme"] for i in indicators}, key=INDICATOR_THEMES.index)
    layer_choice = field(t("page.map_layer", lang), dcc.RadioItems(
        id=ids.MAP_LAYER, options=[{"label": t("page.indicator_layer", lang), "value": "indicator"},
                                   {"label": t("page.agenda_layer", lang), "value": "agenda"}],
        value=state.layer, className="radio"), ids.MAP_LAYER) if has_agenda else \
        dcc.RadioItems(id=ids.MAP_LAYER, options=[], value="indicator", style={"display": "none"})
    return html.Section([
        layer_choice,
        field(t("common.theme", lang), dcc.Dropdown(
            id=ids.THEME, options=[{"label": label("theme", th, lang), "value": th} for th in themes],
            value=state.theme, clearable=False), ids.THEME),
        field(t("common.indicator", lang), dcc.Dropdown(
            id=ids.INDICATOR, options=indicator_options(indicators, state.theme, lang), value=state.indicator,
            clearable=False), ids.INDICATOR),
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
