"""The parts of the static public map's page (``wijkbeeld export public-map``, :mod:`dashboard.static_export`):
its texts as HTML (tooltips, popups, legend, the table of regions) and the folium elements that embed the geometry
once and bind the figures to it. Every text from the data is HTML-escaped, inside JSON that cannot end its
``<script>``."""
from __future__ import annotations

import html
import json

import folium
from branca.element import MacroElement
from folium.template import Template

from dashboard.present.figure import row_text
from dashboard.templating import script_json
from dashboard.text import label, t

OUTLINE = "#4d4d4d"


def tooltip_html(name: str, value: str) -> str:
    """The tooltip of one region, every part escaped.

    >>> tooltip_html("<b>Noord</b>", "12 %")
    '<strong>&lt;b&gt;Noord&lt;/b&gt;</strong><br>12 %'
    """
    return f"<strong>{html.escape(name)}</strong><br>{html.escape(value)}"


def popup_html(point: dict, lang: str) -> str:
    """The popup of one initiative (properties of :func:`dashboard.present.initiatives.initiative_points`), every part escaped."""
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
