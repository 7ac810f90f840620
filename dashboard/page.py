"""The map page for one view state: controls, map, legend and profile."""
from __future__ import annotations

import dash_leaflet as dl
from dash import dcc, html
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request

from dashboard import ids, urls, views
from dashboard.components.controls import controls
from dashboard.components.initiatives import initiative_filters
from dashboard.db import NotPublished, PublishedData
from dashboard.text import t
from dashboard.routes import detail
from dashboard.settings import BASEMAP_ATTRIBUTION
from dashboard.state import ViewState, parse_state

FICTIONAL_GEMEENTE = "GM9999"


def staff_links(state: ViewState):
    """Downloads of the current view and the data-quality page (staff app only)."""
    lang, query = state.lang, state.to_query()
    return html.Section([
        html.H2(t("page.downloads", lang), className="section-title"),
        html.Ul([html.Li(html.A(t("page.export_csv", lang), id=ids.EXPORT_CSV, href=urls.export_view_url("csv", query))),
                 html.Li(html.A(t("page.export_geojson", lang), id=ids.EXPORT_GEOJSON,
                                href=urls.export_view_url("geojson", query))),
                 html.Li(html.A(t("page.quality", lang), href=urls.quality_url(lang)))], className="link-list"),
    ])


def profile_class(region: str | None) -> str:
    """The profile panel's class: ``has-region`` while a region is shown (on a phone: the sheet is open)."""
    return "profile has-region" if region else "profile"


def map_table(lang: str):
    """The text alternative of the map: a table of the regions drawn, built in the browser when opened
    (assets/table.js) from the same geometry, figures and classes the map paints."""
    return html.Details([
        html.Summary(t("page.table_title", lang)),
        html.P(t("page.table_hint", lang), className="muted"),
        html.Div(id=ids.REGION_TABLE, className="region-table"),
    ], id=ids.MAP_TABLE, className="map-table")


def first_map(data: PublishedData, state: ViewState) -> tuple[dict, dict, str | None, dict, list]:
    """The map's first position, level of detail, geometry URL, hideout and legend for a state."""
    view = views.initial_view(data, state)
    shown = detail(views.initial_zoom(view), *views.scope_of(data, state))
    url, hideout, legend_children = views.map_view(data, state, shown["overview"], shown["scope"])
    return view, shown, url, hideout, legend_children


def first_paint(data: PublishedData, query: str) -> tuple[str | None, dict | None]:
    """The geometry URL and paint of the page for this query, so the page's head can name them: the browser
    fetches the regions and their figures while the scripts still start, and draws them as soon as the map is
    made (assets/regions.js)."""
    try:
        state = parse_state(query or "", views.available(data))
        _, _, url, hideout, _ = first_map(data, state)
    except NotPublished:
        return None, None
    return (url if isinstance(url, str) else None), hideout


def page_query() -> str | None:
    """The query of the address the browser opened, which a request for the layout names in its Referer
    (``Referrer-Policy: same-origin``, dashboard/security.py); None without one."""
    if has_request_context() and request.referrer:
        found = urlsplit(request.referrer)
        return "?" + found.query if found.query else ""
    return None


def layout(data: PublishedData):
    """The app's layout, as Dash fetches it from the page (``/_dash-layout``): the page for the address the browser
    opened (:func:`page_query`), so the first view needs no callback; without a Referer, an empty page that the
    ``page`` callback fills."""
    def for_this_page():
        query = page_query()
        return html.Div([dcc.Location(id=ids.URL), dcc.Store(id=ids.RENDERED_FOR, data=query),
                         dcc.Store(id=ids.PAGE_WANTED),
                         html.Div(render(data, query) if query is not None else None, id=ids.PAGE)])
    return for_this_page


def render(data: PublishedData, query: str):
    try:
        state = parse_state(query or "", views.available(data))
    except NotPublished:
        return html.Main([html.H1("wijkbeeld"), html.P(t("page.not_published", "nl"), id="not-published")])
    # The map with its classes (a compact string, cached per version), so it paints as soon as the
    # geometry arrives, and the profile: the first view needs no other callback. Initiatives come from a file.
    view, shown, url, hideout, legend_children = first_map(data, state)
    lang = state.lang
    # the regions are drawn by assets/regions.js from the file this store names (no Leaflet layer per region)
    layers = []
    themes, statuses = views.initiative_choices(data)
    if themes:
        layers.append(dl.GeoJSON(
            id=ids.INITIATIVES, url=views.initiatives_url(data, themes, statuses, shown["scope"]), cluster=True,
            zoomToBoundsOnClick=True, superClusterOptions={"radius": 50, "maxZoom": 16},
            pointToLayer={"variable": "wijkbeeld.initiativeMarker"},
            onEachFeature={"variable": "wijkbeeld.initiativePopup"}))
    if (tiles := current_app.config["WIJKBEELD_SETTINGS"].basemap):
        layers.insert(0, dl.TileLayer(url=tiles, attribution=BASEMAP_ATTRIBUTION, maxZoom=19))
    fictional = views.region(data, FICTIONAL_GEMEENTE) is not None
    return html.Div([
        html.Header([
            html.Div([
                html.H1([t("page.title", lang), html.Span(t("page.tagline", lang), className="tagline")]),
                html.Button(t("page.map_settings", lang), className="panel-toggle", type="button", id="panel-toggle",
                            **{"aria-expanded": "false", "aria-controls": "controls-panel",
                               "data-toggle": "controls-open", "data-target": "layout"}),
                html.A(t("page.language", lang), id=ids.LANG_LINK,
                       href=state.with_(lang="en" if lang == "nl" else "nl").to_query(),
                       lang="en" if lang == "nl" else "nl"),
            ], className="topbar"),
            html.P(t("common.fictional", lang), id="fictional-note", className="notice") if fictional else None,
        ]),
        html.Main([
            html.Section([html.Button(t("page.panel_close", lang), className="panel-close", type="button",
                                      id="panel-close", **{"data-toggle": "controls-open", "data-target": "layout",
                                                           "aria-controls": "controls-panel"}),
                          controls(state, views.indicators(data), views.available(data),
                                   has_agenda=bool(views.wijk_progress(data)),
                                   address_search=current_app.config.get("WIJKBEELD_LOCATIESERVER") is not None,
                                   about=views.about_figure(data, state.indicator, lang)),
                          initiative_filters(themes, statuses, lang),
                          map_table(lang),
                          staff_links(state) if data.audience == "staff" else None],
                         className="sidebar", id="controls-panel", **{"aria-label": t("page.map_settings", lang)}),
            html.Div([
                dl.Map(layers, id=ids.MAP, **view,
                       renderer={"method": "canvas", "options": {}}, style={"height": "100%", "width": "100%"},
                       attributionControl=True),
                html.Div([
                    html.Button(t("page.legend", lang), className="legend-toggle", type="button", id="legend-toggle",
                                **{"aria-expanded": "false", "aria-controls": ids.LEGEND,
                                   "data-toggle": "legend-open", "data-target": "legend-box"}),
                    html.Div(legend_children, id=ids.LEGEND, className="legend-body", **{"aria-live": "polite"}),
                ], className="legend", id="legend-box", role="region", **{"aria-label": t("page.legend", lang)}),
            ], className="map-area"),
            html.Section([
                html.Button(t("page.profile_close", lang), id=ids.PROFILE_CLOSE, className="profile-close", n_clicks=0,
                            type="button"),
                html.Div(views.profile_view(data, state.region, state), id=ids.PROFILE, **{"aria-live": "polite"}),
            ], id=ids.PROFILE_PANEL, className=profile_class(state.region), **{"aria-label": t("page.profile", lang)}),
        ], className="layout", id="layout"),
        # "" rather than None for no region: a Store mounted with None reports a change and would
        # ask the server again for the map and profile this page already holds
        dcc.Store(id=ids.SELECTED, data=state.region or ""),
        dcc.Store(id=ids.PAINT, data=hideout),
        dcc.Store(id=ids.REGIONS, data=url),
        dcc.Store(id=ids.DETAIL, data=shown),
        dcc.Store(id=ids.PAINTED),
        dcc.Store(id=ids.PAINT_ASKED),
        dcc.Store(id=ids.PAINT_ANSWER),
        dcc.Store(id=ids.YEARS, data=views.years_by_indicator(data)),
        dcc.Store(id=ids.LANG, data=lang),
        dcc.Store(id=ids.URL_WRITTEN),
        dcc.Store(id=ids.FOCUS),
        dcc.Store(id=ids.URLS, data=urls.for_the_browser()),
        html.Span(t("edit.serves", lang), id=ids.SERVES_WORD, hidden=True),
        html.Footer([html.Span(views.sources(data).footer()), " ",
                     html.A(t("a11y.link", lang), href=urls.accessibility_url(lang), id="a11y-link")],
                    className="footer"),
    ], lang=lang)
