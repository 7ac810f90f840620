"""Thin callbacks: read the inputs, ask views for the result. Nothing here touches SQL or geometry."""
from __future__ import annotations

import re

from dash import ClientsideFunction, Input, Output, State, no_update
from flask import current_app

from dashboard import ids, views
from dashboard.components.controls import indicator_options
from dashboard.components.finder import about_lines
from dashboard.db import PublishedData
from dashboard.locatieserver import AddressSearchUnavailable, is_document_id
from dashboard.text import LANGUAGES, label, t
from dashboard.page import render
from dashboard.state import ViewState, is_code, parse_state

VIEW_INPUTS = [Input(ids.INDICATOR, "value"), Input(ids.YEAR, "value"), Input(ids.LEVEL, "value"),
               Input(ids.SCHEME, "value"), Input(ids.K, "value"), Input(ids.FIXED, "value"),
               Input(ids.SELECTED, "data"), Input(ids.MAP_LAYER, "value"), State(ids.LANG, "data")]
VIEW_STATES = [State(i.component_id, i.component_property) for i in VIEW_INPUTS]
# the browser's name for a view (assets/wijkbeeld.js viewKey: the JSON of its choices, URI-encoded), sent back
VIEW_KEY = re.compile(r"[A-Za-z0-9\-_.!~*'()%]{1,1000}")


def checked_state(data: PublishedData, indicator, year, level, scheme, k, fixed, selected, layer,
                  lang) -> ViewState:
    """Whatever the browser sent, checked against what is published (see dashboard/state.py)."""
    return parse_state({"indicator": indicator, "jaar": year, "niveau": level, "indeling": scheme, "klassen": k,
                        "vast": "1" if fixed == ["vast"] else "", "regio": selected, "laag": layer, "taal": lang},
                       views.available(data))


def scope_in(detail) -> str | None:
    """The gemeente the map shows on its own, as the browser keeps it (dashboard/routes.detail)."""
    scope = detail.get("scope") if isinstance(detail, dict) else None
    return scope if isinstance(scope, str) else None


ADDRESS = "pdok:"   # a search option that is a Locatieserver document, not a region


def locatieserver():
    return current_app.config.get("WIJKBEELD_LOCATIESERVER")


def address_options(typed: str, lang: str) -> tuple[list[dict], str]:
    """Addresses, postcodes, streets and places Locatieserver suggests for what was typed, and the status line:
    empty, or that address search is unavailable (the regions found by name or code are shown all the same)."""
    client = locatieserver()
    if client is None or len(typed.strip()) < 3:
        return [], ""
    try:
        found = client.suggest(typed)
    except AddressSearchUnavailable:
        return [], t("page.address_unavailable", lang)
    kinds = {"adres": t("page.address_kind", lang)}
    return [{"label": f"{s.label} ({kinds.get(s.type, s.type)})", "value": ADDRESS + s.id} for s in found], ""


def address_chosen(data: PublishedData, document_id: str, lang: str):
    """The buurt of a chosen address selected and in view; a place without a buurt on this map: the map goes there."""
    client = locatieserver()
    if client is None or not is_document_id(document_id):
        return no_update, no_update, no_update
    try:
        place = client.lookup(document_id)
    except AddressSearchUnavailable:
        return no_update, no_update, t("page.address_unavailable", lang)
    if place is None:
        return no_update, no_update, t("page.address_unavailable", lang)
    if place.buurtcode and (found := views.region(data, place.buurtcode)):
        bounds = views.region_bounds(data, place.buurtcode)
        return (place.buurtcode, {"bounds": bounds, "transition": "flyToBounds"},
                t("page.address_found", lang, place=place.label, buurt=found["name"]))
    view = ({"center": [place.lat, place.lon], "zoom": 16, "transition": "flyTo"}
            if place.lat is not None else no_update)
    return no_update, view, t("page.address_outside", lang, place=place.label)


def register(app, data: PublishedData) -> None:
    # the page comes with the layout (page.layout); only an address it was not rendered for asks the server
    app.clientside_callback(
        ClientsideFunction(namespace="wijkbeeld", function_name="pageWanted"),
        Output(ids.PAGE_WANTED, "data"), Input(ids.URL, "search"), State(ids.RENDERED_FOR, "data"))

    @app.callback(Output(ids.PAGE, "children"), Input(ids.PAGE_WANTED, "data"), prevent_initial_call=True)
    def page(search):
        return render(data, search if isinstance(search, str) else "")

    @app.callback(Output(ids.INDICATOR, "options"), Output(ids.INDICATOR, "value"),
                  Input(ids.THEME, "value"), State(ids.INDICATOR, "value"), State(ids.LANG, "data"),
                  prevent_initial_call=True)
    def theme_chosen(theme, current, lang):
        options = indicator_options(views.indicators(data), theme if isinstance(theme, str) else None,
                                    lang if lang in LANGUAGES else "nl")
        values = [o["value"] for o in options]
        return options, current if current in values else (values[0] if values else None)

    @app.callback(Output(ids.THEME, "value"), Output(ids.INDICATOR, "options", allow_duplicate=True),
                  Output(ids.INDICATOR, "value", allow_duplicate=True), Output(ids.FINDER, "value"),
                  Input(ids.FINDER, "value"), State(ids.LANG, "data"), prevent_initial_call=True)
    def figure_found(found, lang):
        """A figure chosen in the finder: its theme and it chosen, and the finder empty for the next search."""
        themes = views.available(data).themes
        if found not in themes:
            return no_update, no_update, no_update, no_update
        theme = themes[found]
        return theme, indicator_options(views.indicators(data), theme, lang if lang in LANGUAGES else "nl"), found, None

    app.clientside_callback(
        ClientsideFunction(namespace="wijkbeeld", function_name="findFigures"),
        Output(ids.FINDER, "options"), Input(ids.FINDER, "search_value"), State(ids.FINDER_CHOICES, "data"),
        prevent_initial_call=True)

    @app.callback(Output(ids.ABOUT, "children"), Input(ids.INDICATOR, "value"), State(ids.LANG, "data"),
                  prevent_initial_call=True)
    def about_figure(indicator, lang):
        return about_lines(views.about_figure(data, indicator, lang if lang in LANGUAGES else "nl"))

    # A change of view is painted by assets/wijkbeeld.js (`wanted`) from the paints the browser already has, keyed
    # by all that decides them (the selected region and the level of detail are applied in the browser); the year
    # is chosen there too, from the years of every indicator on the page (ids.YEARS). Only a view it has not
    # painted before goes to the server (ids.PAINT_ASKED): one round trip, whose answer (ids.PAINT_ANSWER) the
    # browser keeps and shows. The regions on the map (assets/regions.js) are drawn again with it, or with their
    # own file (ids.REGIONS) when the paint is of another year or level.
    app.clientside_callback(
        ClientsideFunction(namespace="wijkbeeld", function_name="wanted"),
        Output(ids.YEAR, "options"), Output(ids.YEAR, "value"), Output(ids.REGIONS, "data"),
        Output(ids.LEGEND, "children"), Output(ids.PAINT_ASKED, "data"),
        Input(ids.DETAIL, "data"), *VIEW_INPUTS, State(ids.YEARS, "data"), prevent_initial_call=True)

    @app.callback(Output(ids.PAINT_ANSWER, "data"), Input(ids.PAINT_ASKED, "data"), State(ids.DETAIL, "data"),
                  *VIEW_STATES, prevent_initial_call=True)
    def paint(asked, detail, *values):
        overview = isinstance(detail, dict) and detail.get("overview") is True
        url, hideout, legend = views.map_view(data, checked_state(data, *values), overview, scope_in(detail))
        key = asked.get("key") if isinstance(asked, dict) else None
        # the browser's own name for the view, back with the answer, so that it keeps the paint under it
        return {"key": key if isinstance(key, str) and VIEW_KEY.fullmatch(key) else None, "url": url,
                "paint": hideout, "legend": legend}

    app.clientside_callback(
        ClientsideFunction(namespace="wijkbeeld", function_name="answered"),
        Output(ids.REGIONS, "data", allow_duplicate=True), Output(ids.LEGEND, "children", allow_duplicate=True),
        Input(ids.PAINT_ANSWER, "data"), prevent_initial_call=True)

    # a zoom or move changes the level of detail in the browser; only a change of it comes to the server
    app.clientside_callback(
        ClientsideFunction(namespace="wijkbeeld", function_name="detail"),
        Output(ids.DETAIL, "data"), Input(ids.MAP, "zoom"), Input(ids.MAP, "center"), State(ids.DETAIL, "data"),
        prevent_initial_call=True)

    @app.callback(Output(ids.SELECTED, "data"), Output(ids.MAP, "viewport"),
                  Output(ids.SEARCH_STATUS, "children", allow_duplicate=True),
                  Input(ids.SEARCH, "value"), State(ids.LANG, "data"), prevent_initial_call=True)
    def select(searched, lang):
        """A region or address found; a click on the map or the table selects in the browser (assets/regions.js)."""
        if isinstance(searched, str) and searched.startswith(ADDRESS):
            return address_chosen(data, searched[len(ADDRESS):], lang if lang in LANGUAGES else "nl")
        if not is_code(searched):
            return no_update, no_update, no_update
        bounds = views.region_bounds(data, searched)
        return searched, ({"bounds": bounds, "transition": "flyToBounds"} if bounds else no_update), ""

    @app.callback(Output(ids.PROFILE, "children"), *VIEW_INPUTS, prevent_initial_call=True)
    def profile(*values):
        state = checked_state(data, *values)
        return views.profile_view(data, state.region, state)

    @app.callback(Output(ids.SEARCH, "options"), Output(ids.SEARCH_STATUS, "children"),
                  Input(ids.SEARCH, "search_value"), State(ids.LANG, "data"), prevent_initial_call=True)
    def search_options(typed, lang):
        if not typed or not isinstance(typed, str):
            return no_update, no_update
        lang = lang if lang in LANGUAGES else "nl"
        found = [{"label": f"{r['name']} ({label('level', r['level'], lang).lower()} {r['code']})", "value": r["code"]}
                 for r in views.search(data, typed)]
        addresses, status = address_options(typed, lang)
        return found + addresses, status

    @app.callback(Output(ids.INITIATIVES, "url"), Input(ids.INITIATIVE_THEMES, "value"),
                  Input(ids.INITIATIVE_STATUSES, "value"), State(ids.DETAIL, "data"), prevent_initial_call=True)
    def filter_initiatives(themes, statuses, detail):
        return views.initiatives_url(data, themes, statuses, scope_in(detail))

    # the map leaves the gemeente it showed on its own: every initiative, the same file less its gemeente
    app.clientside_callback(
        ClientsideFunction(namespace="wijkbeeld", function_name="initiativesEverywhere"),
        Output(ids.INITIATIVES, "url", allow_duplicate=True), Input(ids.DETAIL, "data"),
        State(ids.INITIATIVES, "url"), State(ids.URLS, "data"), prevent_initial_call=True)

    # the profile as a panel (a sheet on a phone) that closes; focus goes to it when chosen from the search or the
    # table, and back where it came from when closed
    app.clientside_callback(
        ClientsideFunction(namespace="panels", function_name="profileClass"),
        Output(ids.PROFILE_PANEL, "className"), Input(ids.SELECTED, "data"))
    app.clientside_callback(
        ClientsideFunction(namespace="panels", function_name="closeProfile"),
        Output(ids.SELECTED, "data", allow_duplicate=True), Input(ids.PROFILE_CLOSE, "n_clicks"),
        prevent_initial_call=True)
    app.clientside_callback(
        ClientsideFunction(namespace="panels", function_name="searched"),
        Output(ids.FOCUS, "data"), Input(ids.SEARCH, "value"), prevent_initial_call=True)
    app.clientside_callback(
        ClientsideFunction(namespace="panels", function_name="profileShown"),
        Output(ids.FOCUS, "data", allow_duplicate=True), Input(ids.PROFILE, "children"), prevent_initial_call=True)

    # the page's own paint: painted, and kept under the view the page shows
    app.clientside_callback(
        ClientsideFunction(namespace="wijkbeeld", function_name="repaint"),
        Output(ids.PAINTED, "data"), Input(ids.PAINT, "data"), State(ids.LEGEND, "children"), State(ids.REGIONS, "data"),
        State(ids.DETAIL, "data"),
        State(ids.INDICATOR, "value"), State(ids.YEAR, "value"), State(ids.LEVEL, "value"), State(ids.SCHEME, "value"),
        State(ids.K, "value"), State(ids.FIXED, "value"), State(ids.MAP_LAYER, "value"), State(ids.LANG, "data"),
        State(ids.YEARS, "data"))

    app.clientside_callback(
        ClientsideFunction(namespace="wijkbeeld", function_name="writeUrl"),
        Output(ids.URL_WRITTEN, "data"), Output(ids.LANG_LINK, "href"),
        Input(ids.THEME, "value"), Input(ids.INDICATOR, "value"), Input(ids.YEAR, "value"),
        Input(ids.LEVEL, "value"), Input(ids.SCHEME, "value"), Input(ids.K, "value"), Input(ids.FIXED, "value"),
        Input(ids.SELECTED, "data"), Input(ids.MAP, "center"), Input(ids.MAP, "zoom"), Input(ids.MAP_LAYER, "value"),
        State(ids.LANG, "data"), State(ids.URLS, "data"),
        prevent_initial_call=True)


def register_staff(app) -> None:
    """Staff-only: the download links follow the view written to the URL."""
    app.clientside_callback(
        ClientsideFunction(namespace="wijkbeeld", function_name="exportLinks"),
        Output(ids.EXPORT_CSV, "href"), Output(ids.EXPORT_GEOJSON, "href"),
        Input(ids.URL_WRITTEN, "data"), State(ids.URLS, "data"), prevent_initial_call=True)
