"""``wijkbeeld export public-map``: the public map as a static folder that any web server or CDN can host.

The folder holds ``index.html`` (a folium map with every figure and outline embedded, so it also works
when opened from disk) and ``leaflet/`` (Leaflet's own files, vendored in ``dashboard/vendor/leaflet``).
The page requests nothing but its own folder and, when a basemap is set, the basemap tiles.

Only the public published file is read: what is not public was never in it (privacy is decided when
publishing). Every text from the data reaches the page HTML-escaped, inside JSON that cannot end its
``<script>``.
"""
from __future__ import annotations

import html
import json
import os
import re
import shutil
import uuid
from pathlib import Path

import folium

from dashboard import settings
from dashboard.db import NotPublished, PublishedData
from dashboard.present.figure import row_text
from dashboard.present.initiatives import initiative_points
from dashboard.present.legend import SUPPRESSED, legend_entries, paint
from dashboard.static_page import (TABLE_SCRIPT, TABLE_STYLE, BoundPopup, Choropleth, EmbeddedGeometry, Panels, legend_html,
                                   popup_html, region_table_html, tooltip_html)
from dashboard.text import t
from dashboard.views import available, geometry_year, indicators, initiatives, region, sources
from etl.errors import PublishError

LEVEL = "buurt"
SCHEME, CLASSES = "quantiles", 5
FICTIONAL_GEMEENTE = "GM9999"  # the demo's Voorbeeldstad, as in dashboard/page.py
LEAFLET = Path(__file__).with_name("vendor") / "leaflet"
LEAFLET_FILES = ("leaflet.js", "leaflet.css", "LICENSE", "images")
# Instead of folium's CDN links (Leaflet, jQuery, Bootstrap, awesome-markers): Leaflet beside the page.
# Nothing here uses jQuery or Bootstrap (popups and tooltips are bound with plain Leaflet calls).
LOCAL_JS = [("leaflet", "leaflet/leaflet.js")]
LOCAL_CSS = [("leaflet_css", "leaflet/leaflet.css")]
OUTPUT_NAMES = {"index.html", "leaflet"}
INITIATIVE_PANE = "initiatives"
USE_SETTINGS = object()


class ExportError(PublishError):
    """The export stopped; the output folder is as it was."""


def chosen_indicators(data: PublishedData, chosen: list[str] | None) -> list[dict]:
    """The indicators asked for, in the order asked; by default the featured ones. A resident's page with a
    layer for each of the catalogue's ~200 indicators would weigh megabytes and bury the few figures a theme
    leads with under a list no one reads, so any other is drawn when asked for by id."""
    catalog = {i["id"]: i for i in indicators(data)}
    if not chosen:
        return [i for i in catalog.values() if i["featured"]]
    unknown = [i for i in chosen if i not in catalog]
    if unknown:
        raise ExportError(f"no published public indicator {', '.join(repr(u[:60]) for u in unknown)}; the ids "
                          f"are listed by `wijkbeeld status` and on /cijfers")
    return [catalog[i] for i in dict.fromkeys(chosen)]


def choropleth_layers(data: PublishedData, lang: str, chosen: list[str] | None = None) -> list[dict]:
    """Per chosen indicator (:func:`chosen_indicators`) with buurt figures: its newest year, painted like the
    dashboard does."""
    years = available(data).years
    layers = []
    for ind in chosen_indicators(data, chosen):
        found = years.get((ind["id"], LEVEL))
        if not found:
            continue
        year = max(found)
        drawn = geometry_year(data, year, LEVEL)
        if drawn is None:
            continue
        rows = data.rows("map_values", {"indicator": ind["id"], "year": year, "geometry_year": drawn, "level": LEVEL})
        painted = paint(rows, SCHEME, CLASSES)
        colours = painted["colours"]
        fills = [colours[c] if c >= 0 else (painted["suppressed"] if c == SUPPRESSED else painted["missing"])
                 for c in painted["classes"]]
        layers.append({"indicator": ind, "year": year, "geometry_year": drawn, "rows": rows, "fills": fills,
                       "entries": legend_entries(painted, ind["unit"], lang), "classes": painted["classes"],
                       "source": f"{sources(data).attribution(ind)}, {year}"})
    return layers


def build_map(data: PublishedData, lang: str = "nl", basemap: str | None = None,
              chosen: list[str] | None = None) -> folium.Map:
    layers = choropleth_layers(data, lang, chosen)
    if not layers:
        raise ExportError(f"the published data has no {LEVEL} figures to draw")
    fmap = folium.Map(location=None, tiles=None, control_scale=True, zoom_start=12)
    # Local copies instead of folium's CDN lists; set on this map only, folium's own lists stay as they are.
    fmap.default_js, fmap.default_css = list(LOCAL_JS), list(LOCAL_CSS)
    fmap.get_root().title = "wijkbeeld"
    if basemap:
        folium.TileLayer(basemap, attr=settings.BASEMAP_ATTRIBUTION, name="basemap", control=False,
                         max_zoom=19).add_to(fmap)
    geometries: dict[int, EmbeddedGeometry] = {}
    names: dict[int, list[str]] = {}
    legends = []
    names_by_code: dict[str, str] = {}
    for index, layer in enumerate(layers):
        drawn = layer["geometry_year"]
        if drawn not in geometries:
            collection = json.loads((data.version_dir() / "geometry" / f"{drawn}-{LEVEL}.geojson").read_text())
            names[drawn] = [f["properties"]["name"] or f["properties"]["code"] for f in collection["features"]]
            names_by_code.update({f["properties"]["code"]: name for f, name in zip(collection["features"], names[drawn])})
            for feature in collection["features"]:  # the tooltips carry the names, escaped
                feature["properties"] = {"i": feature["properties"]["i"]}
            geometries[drawn] = EmbeddedGeometry(collection).add_to(fmap)
        ind = layer["indicator"]
        title = ind["label_nl" if lang == "nl" else "label_en"]
        tips = [tooltip_html(name, row_text(row, ind["unit"], lang)) for name, row in zip(names[drawn], layer["rows"])]
        choropleth = Choropleth(geometries[drawn], f"{title} ({layer['year']})", layer["fills"], tips,
                                show=index == 0).add_to(fmap)
        legends.append((choropleth, legend_html(title, layer["year"], layer["entries"], layer["source"])))
    points = initiative_points(initiatives(data), None, None)["features"]
    if points:
        # their own pane above the polygons, so a choropleth switched on later does not cover them
        folium.map.CustomPane(INITIATIVE_PANE, z_index=450, pointer_events=True).add_to(fmap)
        group = folium.FeatureGroup(name=html.escape(t("common.initiatives", lang)), overlay=True, show=True).add_to(fmap)
        for point in points:
            lon, lat = point["geometry"]["coordinates"]
            marker = folium.CircleMarker([lat, lon], radius=7, color="#333333", weight=1, fill=True,
                                         fill_color=point["properties"]["colour"], fill_opacity=0.9).add_to(group)
            marker.options["pane"] = INITIATIVE_PANE  # folium's path options leave ``pane`` out
            BoundPopup(popup_html(point, lang)).add_to(marker)
    folium.LayerControl(collapsed=False).add_to(fmap)
    info = [f"<strong>{html.escape(t('page.title', lang))}</strong> – {html.escape(t('page.tagline', lang))}",
            html.escape(sources(data).footer())]
    if region(data, FICTIONAL_GEMEENTE) is not None:
        info.append(f'<div class="notice" id="fictional-note">{html.escape(t("common.fictional", lang))}</div>')
    info.append(f'<a href="#wb-table">{html.escape(t("page.table_title", lang))}</a>')
    Panels("<br>".join(info), legends).add_to(fmap)
    root = fmap.get_root()
    root.header.add_child(folium.Element(f"<style>{TABLE_STYLE}</style>"))
    root.html.add_child(folium.Element(
        f'<a class="wb-skip" href="#wb-table">{html.escape(t("page.table_title", lang))}</a>'), index=0)
    # the table goes after the map's own <div>, which folium writes into the page only when it renders
    fmap.table_html = region_table_html(layers, names_by_code, lang)
    root.script.add_child(folium.Element(TABLE_SCRIPT))
    extent = data.cached("bounds", (layers[0]["geometry_year"], LEVEL))
    if extent and extent[0]["south"] is not None:
        e = extent[0]
        fmap.fit_bounds([[e["south"], e["west"]], [e["north"], e["east"]]])
    return fmap


def export_public_map(data_dir: Path, out_dir: Path, progress=print, lang: str = "nl",
                      basemap: str | None = USE_SETTINGS, chosen: list[str] | None = None) -> Path:
    """Write the static public map to ``out_dir`` (replacing an earlier export there) and return its index.html.

    ``basemap``: a tile URL template, or None for no basemap; default ``WIJKBEELD_BASEMAP`` (PDOK grijs).
    ``chosen``: indicator ids to draw; default the featured ones.
    """
    out_dir = Path(out_dir).resolve()
    _check_target(out_dir)
    data = PublishedData(Path(data_dir), "public")
    try:
        fmap = build_map(data, lang, settings.Settings.from_env(audience="public").basemap if basemap is USE_SETTINGS
                         else basemap, chosen)
    except NotPublished as error:
        raise ExportError(str(error)) from None
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    build = out_dir.with_name(f".{out_dir.name}.tmp-{uuid.uuid4().hex[:8]}")
    build.mkdir()
    try:
        page = (fmap.get_root().render().replace("<html>", f'<html lang="{"en" if lang == "en" else "nl"}">', 1)
                .replace("</body>", fmap.table_html + "\n</body>", 1))
        # folium forbids zooming the page (user-scalable=no): people who need larger text must be able to
        page = re.sub(r'<meta name="viewport" content="[^"]*"\s*/>',
                      '<meta name="viewport" content="width=device-width, initial-scale=1">', page, count=1)
        (build / "index.html").write_text(page, encoding="utf-8")
        (build / "leaflet").mkdir()
        for name in LEAFLET_FILES:
            source = LEAFLET / name
            (shutil.copytree if source.is_dir() else shutil.copyfile)(source, build / "leaflet" / name)
        _replace(build, out_dir)
    except BaseException:
        shutil.rmtree(build, ignore_errors=True)
        raise
    size = sum(p.stat().st_size for p in out_dir.rglob("*") if p.is_file())
    progress(f"static public map written to {out_dir}: index.html {(out_dir / 'index.html').stat().st_size:,} bytes, "
             f"{size:,} bytes in all (version {Path(data.version()).name})")
    return out_dir / "index.html"


def _check_target(out_dir: Path) -> None:
    """Refuse to replace anything but an empty folder or an earlier export."""
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportError(f"{out_dir} exists and is not a folder")
    if out_dir.is_dir():
        other = sorted(p.name for p in out_dir.iterdir() if p.name not in OUTPUT_NAMES)
        if other:
            raise ExportError(f"{out_dir} holds files that are not an earlier export ({', '.join(other[:3])}); "
                              "choose an empty or new folder")


def _replace(build: Path, out_dir: Path) -> None:
    """Swap the finished folder in: two renames: a reader sees the old export or the new one (or, for an instant, none), never a mix."""
    if not out_dir.exists():
        os.rename(build, out_dir)
        return
    old = out_dir.with_name(f".{out_dir.name}.old-{uuid.uuid4().hex[:8]}")
    os.rename(out_dir, old)
    os.rename(build, out_dir)
    shutil.rmtree(old, ignore_errors=True)
