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
from branca.element import MacroElement
from folium.template import Template

from dashboard import settings
from dashboard.db import NotPublished, PublishedData
from dashboard.present.figure import row_text
from dashboard.present.initiatives import initiative_points
from dashboard.present.legend import SUPPRESSED, legend_entries, paint
from dashboard.text import label, t
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
OUTLINE = "#4d4d4d"
INITIATIVE_PANE = "initiatives"
USE_SETTINGS = object()


class ExportError(PublishError):
    """The export stopped; the output folder is as it was."""


def script_json(value) -> str:
    """JSON safe inside ``<script>``: no ``</script>``, ``<!--`` or line separators can end or break it.

    >>> script_json("</script>")
    '"\\\\u003c/script\\\\u003e"'
    """
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":"))
            .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def tooltip_html(name: str, value: str) -> str:
    """The tooltip of one region, every part escaped.

    >>> tooltip_html("<b>Noord</b>", "12 %")
    '<strong>&lt;b&gt;Noord&lt;/b&gt;</strong><br>12 %'
    """
    return f"<strong>{html.escape(name)}</strong><br>{html.escape(value)}"


def popup_html(point: dict, lang: str) -> str:
    """The popup of one initiative (properties of :func:`initiative_points`), every part escaped."""
    p = point["properties"]
    period = " – ".join(d for d in (p["start"], p["end"]) if d)
    lines = [f"<strong>{html.escape(p['name'] or '')}</strong>",
             html.escape(f"{label('theme', p['theme'], lang)} · {label('status', p['status'], lang)}")]
    if p["organisation"]:
        lines.append(html.escape(f"{t('common.organisation', lang)}: {p['organisation']}"))
    if period:
        lines.append(html.escape(f"{t('common.period', lang)}: {period}"))
    if p["description"]:
        lines.append(html.escape(p["description"]))
    if p.get("serves"):
        lines.append(html.escape(f"{t('edit.serves', lang)}: {p['serves']}"))
    return "<br>".join(lines)


def region_table_html(layers: list[dict], names: dict[str, str], lang: str) -> str:
    """The map's text alternative: every buurt with, per indicator, its figure and class; sortable by any column
    (a few lines of script on the page); without script it is a plain table in the order of the names."""
    columns = [(layer["indicator"]["label_nl" if lang == "nl" else "label_en"], layer["year"]) for layer in layers]
    cells: dict[str, list[tuple[str, str, str]]] = {code: [("", "", "")] * len(layers) for code in names}
    for index, layer in enumerate(layers):
        entries = [e for e in layer["entries"] if e["kind"] == "class"]
        for row, cls in zip(layer["rows"], layer["classes"]):
            if row["code"] not in cells:
                continue
            text = row_text(row, layer["indicator"]["unit"], lang)
            class_text = entries[cls]["label"] if 0 <= cls < len(entries) else ""
            sort = "" if row["value"] is None else repr(row["value"])
            cells[row["code"]][index] = (text, class_text, sort)
    head = "".join(f'<th scope="col" aria-sort="none"><button type="button" data-column="{i + 1}">'
                   f'{html.escape(title)} ({year})</button></th>' for i, (title, year) in enumerate(columns))
    body = "".join(
        f'<tr data-code="{html.escape(code)}"><th scope="row">{html.escape(name)}</th>'
        + "".join(f'<td data-sort="{sort}">{html.escape(text)}'
                  f'{"<br><small>" + html.escape(t("page.class", lang)) + " " + html.escape(cls) + "</small>" if cls else ""}'
                  "</td>" for text, cls, sort in cells[code]) + "</tr>"
        for code, name in sorted(names.items(), key=lambda item: item[1].casefold()))
    return (f'<section id="wb-table" aria-labelledby="wb-table-title"><h2 id="wb-table-title">'
            f'{html.escape(t("page.table_title", lang))}</h2><p>{html.escape(t("page.table_hint_static", lang))}</p>'
            f'<div class="wb-table-scroll"><table><thead><tr><th scope="col" aria-sort="ascending">'
            f'<button type="button" data-column="0">{html.escape(t("page.area", lang))}</button></th>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div></section>")


TABLE_STYLE = """
html, body { height: auto; }
.folium-map { height: 100vh !important; }
#wb-table { font: 14px/1.4 system-ui, sans-serif; padding: 0.8rem; max-width: 100%; }
#wb-table h2 { font-size: 1.1rem; margin: 0.2rem 0; }
.wb-table-scroll { overflow-x: auto; }
#wb-table table { border-collapse: collapse; }
#wb-table th, #wb-table td { border-bottom: 1px solid #ddd; padding: 0.25rem 0.4rem; text-align: left;
  vertical-align: top; }
#wb-table td { text-align: right; white-space: nowrap; }
#wb-table small { color: #555; }
#wb-table th button { font: inherit; font-weight: 600; border: none; background: none; padding: 0; color: #154273;
  text-align: left; cursor: pointer; text-decoration: underline; }
.wb-skip { position: absolute; left: -9999px; }
.wb-skip:focus { left: 8px; top: 8px; z-index: 2000; background: #fff; padding: 4px 8px; }
:focus-visible { outline: 3px solid #ffb612; }
@media (max-width: 600px) {
  .leaflet-control-layers { max-height: 30vh; overflow-y: auto; font-size: 12px; max-width: 55vw; }
  div.wb-panel.leaflet-control { max-width: 44vw; font-size: 11px; padding: 4px 6px; }
}
"""

TABLE_SCRIPT = """
(function () {
  /* sort the table of the map by a column; empty figures last */
  var table = document.querySelector("#wb-table table");
  if (!table) { return; }
  table.querySelectorAll("thead button").forEach(function (button) {
    button.addEventListener("click", function () {
      var column = Number(button.dataset.column), th = button.parentNode;
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      table.querySelectorAll("thead th").forEach(function (h) { h.setAttribute("aria-sort", "none"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column], y = b.cells[column], result;
        if (column === 0) { result = x.textContent.localeCompare(y.textContent); }
        else {
          var p = x.dataset.sort, q = y.dataset.sort;
          if (p === "" || q === "") { return p === q ? 0 : (p === "" ? 1 : -1); }
          result = Number(p) - Number(q);
        }
        return ascending ? result : -result;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
  /* on a phone the legend starts folded (once the map has made it) */
  function fold() {
    if (window.matchMedia && window.matchMedia("(max-width: 600px)").matches) {
      document.querySelectorAll("#wb-legend details").forEach(function (d) { d.open = false; });
    }
  }
  if (document.readyState === "complete") { fold(); } else { window.addEventListener("load", fold); }
})();
"""


def legend_html(title: str, year: int, entries: list[dict], source: str) -> str:
    rows = "".join(
        f'<li><span class="swatch" style="background:{html.escape(e["colour"])}"></span>'
        f'{html.escape(e["label"])} <span class="count">({e["count"]})</span></li>' for e in entries)
    return (f"<details open><summary><strong>{html.escape(title)}</strong> {year}</summary><ul>{rows}</ul>"
            f'<div class="source">{html.escape(source)}</div></details>')


class EmbeddedGeometry(MacroElement):
    """One geometry file as a JavaScript value, embedded once and drawn by every layer of its year."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = {{ this.json }};
        {% endmacro %}
    """)

    def __init__(self, collection: dict):
        super().__init__()
        self._name = "geometry"
        self.json = script_json(collection)


class Choropleth(folium.map.Layer):
    """A base layer painting embedded geometry with one fill colour and one tooltip per feature."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = (function () {
                var fills = {{ this.fills }}, tips = {{ this.tooltips }};
                return L.geoJson({{ this.geometry.get_name() }}, {
                    style: function (f) {
                        return {fillColor: fills[f.properties.i], fillOpacity: 0.75,
                                color: {{ this.outline }}, weight: 0.7};
                    },
                    onEachFeature: function (f, layer) { layer.bindTooltip(tips[f.properties.i], {sticky: true}); }
                });
            })();
        {% endmacro %}
    """)

    def __init__(self, geometry: EmbeddedGeometry, name: str, fills: list[str], tooltips: list[str], show: bool):
        super().__init__(name=html.escape(name), overlay=False, control=True, show=show)
        self._name = "choropleth"
        self.geometry = geometry
        self.fills, self.tooltips = script_json(fills), script_json(tooltips)
        self.outline = script_json(OUTLINE)


class BoundPopup(MacroElement):
    """A popup with ready, escaped HTML bound with plain Leaflet (folium's Popup needs jQuery)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindPopup({{ this.html }});
        {% endmacro %}
    """)

    def __init__(self, text: str):
        super().__init__()
        self._name = "popup"
        self.html = script_json(text)


class Panels(MacroElement):
    """The info panel (title, sources, demo note) and the legend of whichever choropleth is shown."""

    _template = Template("""
        {% macro header(this, kwargs) %}
            <style>
                .wb-panel { background: #fff; padding: 6px 10px; border-radius: 4px; max-width: 320px;
                            font: 13px/1.4 system-ui, sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,.3); }
                .wb-panel ul { list-style: none; margin: 4px 0; padding: 0; }
                .wb-panel .swatch { display: inline-block; width: 14px; height: 14px; margin-right: 6px;
                                    vertical-align: middle; border: 1px solid #999; }
                .wb-panel .count, .wb-panel .source { color: #555; font-size: 12px; }
                .wb-panel .notice { background: #fff3cd; padding: 4px; margin-top: 4px; }
            </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            (function (map) {
                function panel(position, id, content) {
                    var control = L.control({position: position});
                    control.onAdd = function () {
                        var div = L.DomUtil.create("div", "wb-panel");
                        div.id = id;
                        div.innerHTML = content;
                        L.DomEvent.disableClickPropagation(div);
                        return div;
                    };
                    return control.addTo(map);
                }
                panel("bottomleft", "wb-info", {{ this.info }});
                var legends = [
                    {%- for layer, text in this.legends %}
                    [{{ layer.get_name() }}, {{ text }}],
                    {%- endfor %}
                ];
                if (legends.length) {
                    var legend = panel("bottomright", "wb-legend", legends[0][1]);
                    map.on("baselayerchange", function (e) {
                        legends.forEach(function (l) {
                            if (l[0] === e.layer) { legend.getContainer().innerHTML = l[1]; }
                        });
                    });
                }
            })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, info: str, legends: list[tuple[Choropleth, str]]):
        super().__init__()
        self._name = "panels"
        self.info = script_json(info)
        self.legends = [(layer, script_json(text)) for layer, text in legends]


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
