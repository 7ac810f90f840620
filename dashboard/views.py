"""Glue between the reader and the presenters: what one view needs, fetched with named queries."""
from __future__ import annotations

import math
from pathlib import Path

from dashboard import urls
from dashboard.agenda_view import agenda_section, wijk_progress
from dashboard.components.legend import legend
from dashboard.components.profile import agenda_links, my_area_link, profile_panel, staff_links
from dashboard.db import PublishedData
from dashboard.present.figure import row_text
from dashboard.present.initiatives import initiative_points
from dashboard.present.legend import class_string, legend_entries, paint
from dashboard.present import catalogue
from dashboard.present.agenda import share_definition
from dashboard.present.profile import comparison, crosses_change, trend_image
from dashboard.present.sources import Sources
from dashboard.state import Available, ViewState
from dashboard.text import INITIATIVE_THEMES, STATUSES, t
from etl.codes import NEDERLAND, gemeente_of


def indicators(data: PublishedData) -> list[dict]:
    return data.cached("indicators")


def indicator(data: PublishedData, indicator_id: str) -> dict:
    return next(i for i in indicators(data) if i["id"] == indicator_id)


def sources(data: PublishedData) -> Sources:
    """The published sources, licences and attributions."""
    return data.memo(("sources",), lambda: Sources(data.cached("sources")))


def indicator_years(data: PublishedData, indicator_id: str) -> list[int]:
    """Every year with figures for an indicator, at any level."""
    return sorted({y for (i, _), ys in available(data).years.items() if i == indicator_id for y in ys})


def about_figure(data: PublishedData, indicator_id: str, lang: str) -> list[tuple[str, str]]:
    """What an indicator means (present/catalogue.py); nothing for an unknown id."""
    found = next((i for i in indicators(data) if i["id"] == indicator_id), None)
    return catalogue.about(found, indicator_years(data, indicator_id), sources(data), lang) if found else []


def catalogue_page(data: PublishedData, lang: str) -> list[dict]:
    """Every published indicator by theme and CBS group, each with its meaning and its map (once per version)."""
    return data.memo(("catalogue", lang), lambda: catalogue.catalogue(
        indicators(data), lambda i: indicator_years(data, i), sources(data), lambda i: urls.indicator_url(i, lang),
        lang))


def available(data: PublishedData) -> Available:
    """What is published (once per version: every callback checks its state against it)."""
    def build() -> Available:
        years = {(r["indicator_id"], r["level"]): list(r["years"]) for r in data.cached("available_years")}
        return Available(themes={i["id"]: i["theme"] for i in indicators(data)}, years=years)
    return data.memo(("available",), build)


def years_by_indicator(data: PublishedData) -> dict[str, dict[str, list[int]]]:
    """Indicator → level → years with figures: what the browser chooses a year from (assets/wijkbeeld.js)."""
    def build() -> dict:
        table: dict[str, dict[str, list[int]]] = {}
        for (indicator_id, level), years in available(data).years.items():
            table.setdefault(indicator_id, {})[level] = years
        return table
    return data.memo(("years_by_indicator",), build)


def geometry_year(data: PublishedData, year: int | None, level: str) -> int | None:
    rows = data.cached("geometry_year", (year or 9999, level))
    return rows[0]["year"] if rows else None


AGENDA_BREAKS = [25.0, 50.0, 75.0, 100.0]
# words the browser writes itself, in the table of the map (assets/table.js): its name for a word → the word's key
TABLE_WORDS = {"suppressed": "figure.suppressed", "missing": "figure.missing", "area": "page.area",
               "figure": "page.figure", "class": "page.class", "sort_by": "page.sort_by",
               "show_profile": "page.show_profile"}


def table_words(lang: str) -> dict[str, str]:
    return {name: t(key, lang) for name, key in TABLE_WORDS.items()}


def map_view(data: PublishedData, state: ViewState, overview: bool = False,
             scope: str | None = None) -> tuple[str | None, dict, list]:
    """Geometry URL, hideout (what the style function paints) and legend for a state; ``scope``: the gemeente the
    map shows on its own (see :func:`scope_of`), whose regions come from a file of their own.

    The hideout carries only the classes (one character per region of the whole level) and the address of the
    figures' texts (:func:`values_file`), which the browser fetches once for the tooltips; ``geometry`` names the
    regions it paints, so the browser restyles only those.
    """
    if state.layer == "agenda":
        return agenda_map_view(data, state)
    drawn_year = geometry_year(data, state.year, state.level)
    if drawn_year is None:
        return None, {"classes": ""}, []
    ind = indicator(data, state.indicator)
    painted = data.memo(("paint", state.indicator, state.year, state.level, drawn_year, state.scheme, state.k,
                         state.fixed), lambda: _paint(data, state, drawn_year), paints=True)
    version = Path(data.version()).name
    own = scope if scope in gemeenten_drawn(data, drawn_year, state.level) else None
    name = ind["label_nl" if state.lang == "nl" else "label_en"]
    hideout = {
        "classes": painted["class_string"], "colours": painted["colours"], "missing": painted["missing"],
        "suppressed": painted["suppressed"], "selected": state.region, "year": state.year,
        "labels": urls.values_url(version, state.lang, state.indicator, state.year, state.level),
        # for the map as a table (assets/table.js): its words, caption and the legend's classes
        "words": table_words(state.lang), "classLabels": [e["label"] for e in painted["legend"][state.lang]
                                                          if e["kind"] == "class"],
        "title": name, "unit": ind["unit"], "geometry": f"{drawn_year}-{state.level}",
        # the geometry file of either level of detail, so a zoom across the threshold needs no server
        "files": {detail: urls.geometry_url(data.geometry_version(), drawn_year, state.level, detail == "overview", own)
                  for detail in ("overview", "detail")},
    }
    source = f"{sources(data).attribution(ind)}, {state.year}"
    children = legend(painted["legend"][state.lang], name, state.year, source, painted["estimate"], state.lang)
    return hideout["files"]["overview" if overview else "detail"], hideout, children


def gemeenten_drawn(data: PublishedData, year: int, level: str) -> frozenset[str]:
    """The gemeenten with a geometry file of their own at this level and year (etl publish writes them for wijken
    and buurten)."""
    if level not in ("wijk", "buurt"):
        return frozenset()
    return data.memo(("gemeenten_drawn", year, level), lambda: frozenset(
        gemeente_of(r["code"]) for r in data.cached("region_codes", (year, level))))


def scope_of(data: PublishedData, state: ViewState) -> tuple[str | None, list | None]:
    """The gemeente a first view shows on its own, and its bounds: the selected region's gemeente, when the view
    opens on that region. The browser widens the map to every region once the view leaves these bounds."""
    if not state.region or state.lat is not None or (gemeente := gemeente_of(state.region)) is None:
        return None, None
    return gemeente, region_bounds(data, gemeente, margin=0.05)


def _paint(data: PublishedData, state: ViewState, drawn_year: int) -> dict:
    """What map_view sends of a paint, and no more: a paint of every indicator, year and level stays in memory."""
    rows = map_values(data, state.indicator, state.year, state.level, drawn_year)
    pooled = ([r["value"] for r in data.cached("level_values", (state.indicator, state.level))]
              if state.fixed else None)
    painted = paint(rows, state.scheme, state.k, breaks_from=pooled)
    entries = {lang: legend_entries(painted, indicator(data, state.indicator)["unit"], lang) for lang in ("nl", "en")}
    return {"class_string": class_string(painted["classes"]), "legend": entries,
            **{key: painted[key] for key in ("colours", "missing", "suppressed", "estimate")}}


def map_values(data: PublishedData, indicator_id: str, year: int, level: str, drawn_year: int) -> list[dict]:
    return data.rows("map_values", {"indicator": indicator_id, "year": year, "geometry_year": drawn_year,
                                    "level": level})


def values_file(data: PublishedData, indicator_id: str, year: int, level: str, lang: str) -> dict | None:
    """The figures of one indicator, year and level as the tooltips say them (:func:`row_text`), in
    geometry-file order; None when they are not published."""
    if indicator_id not in available(data).themes or year not in available(data).years_of(indicator_id, level):
        return None
    drawn_year = geometry_year(data, year, level)
    unit = indicator(data, indicator_id)["unit"]
    rows = map_values(data, indicator_id, year, level, drawn_year)
    # the texts for the tooltips and the table; the numbers only to sort the table by
    return {"labels": [row_text(r, unit, lang) for r in rows], "values": [r["value"] for r in rows]}


def agenda_map_view(data: PublishedData, state: ViewState) -> tuple[str | None, dict, list]:
    """Each wijk of the newest indeling coloured by the share of its agenda items done or on track."""
    drawn_year = geometry_year(data, None, "wijk")
    if drawn_year is None:
        return None, {"classes": []}, []
    progress = wijk_progress(data)
    codes = [r["code"] for r in data.cached("region_codes", (drawn_year, "wijk"))]
    rows = [{"code": c, "value": None if (p := progress.get(c)) is None or p["share_on_track"] is None
             else round(100 * p["share_on_track"], 1), "status": "ok" if c in progress else "missing"}
            for c in codes]
    painted = paint(rows, "equal_interval", 4, palette_name="YlOrBr", breaks=AGENDA_BREAKS)
    hideout = {"classes": class_string(painted["classes"]), "colours": painted["colours"],
               "missing": painted["missing"], "suppressed": painted["suppressed"], "selected": state.region,
               "year": None, "labels": [row_text(r, "%", state.lang) for r in rows],
               "values": [r["value"] for r in rows], "words": table_words(state.lang),
               "classLabels": [e["label"] for e in legend_entries(painted, "%", state.lang) if e["kind"] == "class"],
               "title": t("page.agenda_layer", state.lang), "unit": "%", "geometry": f"{drawn_year}-wijk"}
    painted["low"] = 0.0
    children = legend(legend_entries(painted, "%", state.lang), t("page.agenda_layer", state.lang), None,
                      share_definition(state.lang), False, state.lang)
    return urls.geometry_url(data.geometry_version(), drawn_year, "wijk"), hideout, children


def initial_zoom(view: dict, width_px: int = 1000) -> float:
    """The zoom a first view will have: as given, or what fitting its bounds into a map ~1000 px wide gives."""
    if "bounds" not in view:
        return view["zoom"]
    (_, west), (_, east) = view["bounds"]
    return math.log2(width_px * 360 / (256 * max(east - west, 1e-6)))


def initial_view(data: PublishedData, state: ViewState) -> dict:
    """Map props for the first view: the position in the URL, else the selected region, else all drawn."""
    if state.lat is not None and state.lon is not None and state.zoom is not None:
        return {"center": [state.lat, state.lon], "zoom": state.zoom}
    box = region_bounds(data, state.region) if state.region else None
    if box is None:
        extent = data.cached("bounds", (geometry_year(data, state.year, state.level), state.level))
        if extent and extent[0]["south"] is not None:
            e = extent[0]
            box = [[e["south"], e["west"]], [e["north"], e["east"]]]
    if box is None:
        return {"center": [52.1, 5.3], "zoom": 8}
    # fitted as the map is made (not moved there after: the regions would be drawn twice), with the centre that
    # fitting gives, which dash-leaflet compares the map's with (and moves the map to, were they different)
    return {"bounds": box, "center": fitted_centre(box)}


def fitted_centre(box: list) -> list[float]:
    """The centre Leaflet gives a map fitted to ``box`` ([[south, west], [north, east]]): the middle of its corners
    in Web Mercator, spelled as Leaflet's SphericalMercator does.

    >>> fitted_centre([[50.0, 3.0], [54.0, 7.0]])
    [52.04472343150887, 5.0]
    """
    def y_of(lat: float) -> float:
        s = math.sin(lat * math.pi / 180)
        return math.log((1 + s) / (1 - s)) / 2

    (south, west), (north, east) = box
    y = (y_of(south) + y_of(north)) / 2
    return [(2 * math.atan(math.exp(y)) - math.pi / 2) * 180 / math.pi, (west + east) / 2]


def region(data: PublishedData, code: str) -> dict | None:
    rows = data.rows("region", (code,))
    return rows[0] if rows else None


def region_bounds(data: PublishedData, code: str, margin: float = 0.4) -> list | None:
    """Bounds to fit a region in view, with some of its surroundings (``margin`` of its size each side)."""
    found = region(data, code)
    if not found:
        return None
    dlat = (found["lat_max"] - found["lat_min"]) * margin
    dlon = (found["lon_max"] - found["lon_min"]) * margin
    return [[found["lat_min"] - dlat, found["lon_min"] - dlon], [found["lat_max"] + dlat, found["lon_max"] + dlon]]


def profile_view(data: PublishedData, code: str | None, state: ViewState):
    found = region(data, code) if code else None
    if found is None:
        return [t("profile.hint", state.lang)]
    ind = indicator(data, state.indicator)
    parents = [c for c in (found["wijk_code"], found["gemeente_code"]) if c]
    names = {r["code"]: r["name"] for r in data.rows("region_names", (parents,))}
    rows = data.rows("compare_values", (state.indicator, state.year, [code, *parents, NEDERLAND]))
    figures = comparison(found, ind, state.year, rows, names, sources(data), state.lang)
    trend_rows = data.rows("trend", (state.indicator, code))
    years = data.rows("region_years", (code, found["level"]))[0]
    change = crosses_change(years["present"], years["loaded"], [r["year"] for r in trend_rows if r["value"] is not None])
    trend = trend_image(trend_rows, ind, state.lang) if sum(r["value"] is not None for r in trend_rows) > 1 else None
    name = ind["label_nl" if state.lang == "nl" else "label_en"]
    panel = profile_panel(found, name, state.year, figures, trend, change, state.lang)
    if data.audience == "staff":
        panel.append(staff_links(found["code"], state.lang, agenda_links(found, state.lang)))
    if found["level"] in ("buurt", "wijk"):
        panel.insert(2, my_area_link(found["code"], state.lang))
    agenda = agenda_section(data, found, state.lang)
    return panel + [agenda] if agenda is not None else panel


def search(data: PublishedData, typed: str) -> list[dict]:
    escaped = typed.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")[:60]
    if len(escaped) < 2:
        return []
    return data.rows("search_regions", (escaped,))


def initiatives(data: PublishedData) -> list[dict]:
    return data.cached("initiatives")


def initiative_choices(data: PublishedData) -> tuple[list[str], list[str]]:
    """Themes and statuses that occur, in the catalog's order."""
    rows = initiatives(data)
    themes = [th for th in INITIATIVE_THEMES if any(r["theme"] == th for r in rows)]
    statuses = [st for st in STATUSES if any(r["status"] == st for r in rows)]
    return themes, statuses


def initiative_filter(data: PublishedData, themes, statuses) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The chosen themes and statuses that occur, in the catalog's order; anything else is dropped."""
    known_themes, known_statuses = initiative_choices(data)
    themes = themes if isinstance(themes, (list, tuple)) else []
    statuses = statuses if isinstance(statuses, (list, tuple)) else []
    return (tuple(th for th in known_themes if th in themes), tuple(st for st in known_statuses if st in statuses))


def initiatives_url(data: PublishedData, themes, statuses, scope: str | None = None) -> str:
    """The (static, cacheable) file of the initiatives of the chosen themes and statuses; of the ``scope`` gemeente
    only while the map shows it on its own (see :func:`scope_of`)."""
    return urls.initiatives_url(Path(data.version()).name, *initiative_filter(data, themes, statuses),
                                initiative_scope(data, scope))


def initiative_scope(data: PublishedData, gemeente) -> str | None:
    """``gemeente`` if it is a gemeente on the map, else None: every initiative."""
    known = isinstance(gemeente, str) and gemeente_of(gemeente) == gemeente and region(data, gemeente) is not None
    return gemeente if known else None


def initiative_layer(data: PublishedData, themes: tuple[str, ...], statuses: tuple[str, ...],
                     gemeente: str | None = None) -> dict:
    """Points of the initiatives of these themes and statuses (see initiative_filter), of one gemeente (their
    buurt or wijk in it) when given."""
    rows = initiatives(data)
    if gemeente is not None:
        rows = [r for r in rows if gemeente_of(r["buurt_code"] or r["wijk_code"] or "") == gemeente]
    return initiative_points(rows, list(themes), list(statuses))
