"""The naive baseline the benchmark compares with: full-detail GeoJSON of every buurt, all properties, no
simplification, and a repaint that sends the whole GeoJSON again with new colours.

A minimal Dash app with dash-leaflet (so Leaflet comes from the package, never a CDN), canvas renderer like the
real dashboard, serving the files as they are (no gzip: a static file server's default).
"""
from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pyogrio

PALETTE = ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"]
MISSING = "#ffffff"

STYLE_JS = """
<script>
window.naive = {layers: {}, count: 0,
  style: function (feature) { return {fillColor: feature.properties.fill, fillOpacity: 0.78, weight: 0.7,
                                      color: "#4d4d4d", opacity: 0.9}; },
  onEach: function (feature, layer) {
    var code = feature.properties.buurtcode;
    window.naive.layers[code] = layer; window.naive.count++;
    layer.on("remove", function () { if (window.naive.layers[code] === layer) {
      delete window.naive.layers[code]; window.naive.count--; } });
  }};
</script>
"""


def coloured_file(gpkg: Path, column: str, indicator: str, out: Path) -> Path:
    """All buurten of the boundary file in EPSG:4326 at full detail, every property, plus a ``fill`` colour
    (quantiles of ``column``, 5 classes) and the ``indicator`` it shows (its id)."""
    frame = pyogrio.read_dataframe(gpkg, layer="buurten").to_crs("EPSG:4326")
    values = frame[column].to_numpy(dtype=float)
    present = values > -99990
    breaks = np.quantile(values[present], [0.2, 0.4, 0.6, 0.8])
    classes = np.searchsorted(breaks, values, side="left")
    frame["fill"] = np.where(present, np.array(PALETTE)[np.minimum(classes, 4)], MISSING)
    frame["indicator"] = indicator
    pyogrio.write_dataframe(frame, out, driver="GeoJSON", layer_options={"COORDINATE_PRECISION": 7,
                                                                          "WRITE_BBOX": "NO"})
    return out


def naive_app(folder: Path, files: dict[str, str]):
    """A Dash app: a dropdown of ``files`` (label -> file name in ``folder``) and one GeoJSON layer."""
    import dash
    import dash_leaflet as dl
    from dash import Input, Output, dcc, html
    from flask import send_from_directory

    app = dash.Dash(__name__, serve_locally=True, update_title=None, assets_folder=str(folder / "no-assets"))
    app.index_string = app.index_string.replace("{%scripts%}", STYLE_JS + "{%scripts%}")
    first = next(iter(files.values()))
    app.layout = html.Div([
        dcc.Dropdown(id="indicator", options=[{"label": k, "value": v} for k, v in files.items()], value=first,
                     clearable=False),
        dl.Map([dl.GeoJSON(id="regions", url=f"/naive/{first}", style={"variable": "naive.style"},
                           onEachFeature={"variable": "naive.onEach"})],
               center=[52.2, 5.3], zoom=8, renderer={"method": "canvas", "options": {}},
               style={"height": "90vh", "width": "100%"}),
    ])

    @app.server.route("/naive/<name>")
    def geojson(name: str):
        return send_from_directory(folder, name, mimetype="application/geo+json")

    @app.callback(Output("regions", "url"), Input("indicator", "value"), prevent_initial_call=True)
    def repaint(name):
        return f"/naive/{name}"

    return app


def serve_in_thread(wsgi):
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):
            pass

    server = make_server("127.0.0.1", 0, wsgi, threaded=True, request_handler=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}"


@contextmanager
def serving(wsgi):
    """``wsgi`` served on 127.0.0.1 in a thread while the block runs: its URL."""
    server, url = serve_in_thread(wsgi)
    try:
        yield url
    finally:
        server.shutdown()


def feature_count(path: Path) -> int:
    return len(json.loads(path.read_bytes())["features"])
