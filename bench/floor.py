"""The floor the first draw is measured against: the same published buurt geometry file drawn by plain Leaflet on
canvas in a bare page (no Dash, no React, no callbacks), fill colours from a class per feature, fitted to its bounds.

Leaflet is the copy vendored in ``dashboard/vendor/leaflet`` (never a CDN); the geometry file is served as the
product serves it, pre-gzipped with ``Content-Encoding: gzip``. What this page costs is what drawing the file
costs in this browser on this machine; the dashboard's first draw is budgeted as a multiple of it.
"""
from __future__ import annotations

from pathlib import Path

LEAFLET = Path(__file__).resolve().parents[1] / "dashboard" / "vendor" / "leaflet"
PALETTE = ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"]


def page(title: str, script: str) -> str:
    """A bare page with Leaflet, a full-window map element, the geometry file preloaded, and ``script``."""
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>{title}</title>
<link rel="preload" href="/geometry.geojson" as="fetch" crossorigin="anonymous">
<link rel="stylesheet" href="/leaflet.css"><script src="/leaflet.js"></script>
<style>html, body, #map {{ height: 100%; margin: 0; }}</style></head>
<body><div id="map"></div>
<script>
{script}</script></body></html>"""


PAGE = page("floor", """window.floor = {count: 0, layers: []};
var palette = __PALETTE__;
var map = L.map("map", {renderer: L.canvas(), preferCanvas: true}).setView([52.1, 5.3], 8);
fetch("/geometry.geojson", {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
  var layer = L.geoJSON(data, {
    style: function (feature) { return {fillColor: palette[feature.properties.i % palette.length], fillOpacity: 0.78,
                                        weight: 0.7, color: "#4d4d4d", opacity: 0.9}; },
    onEachFeature: function (feature, layer) { window.floor.layers.push(layer); }});
  map.fitBounds(layer.getBounds(), {animate: false});
  layer.addTo(map);
  window.floor.count = window.floor.layers.length;
});
""")


def floor_app(geometry: Path, html: str = PAGE):
    """A WSGI app: the page ``html`` (the floor's, or another drawing the same file: bench/canvas.py), Leaflet,
    and ``geometry`` (its ``.gz`` beside it when there is one)."""
    from flask import Flask, Response, request, send_file

    app = Flask(__name__)
    document = html.replace("__PALETTE__", repr(PALETTE).replace("'", '"'))
    zipped = geometry.with_name(geometry.name + ".gz")

    @app.get("/")
    def index():
        return Response(document, mimetype="text/html")

    @app.get("/leaflet.<kind>")
    def leaflet(kind: str):
        if kind not in ("js", "css"):
            return Response(status=404)
        return send_file(LEAFLET / f"leaflet.{kind}")

    @app.get("/geometry.geojson")
    def geojson():
        if zipped.exists() and "gzip" in request.headers.get("Accept-Encoding", ""):
            response = send_file(zipped, mimetype="application/geo+json")
            response.headers["Content-Encoding"] = "gzip"
            return response
        return send_file(geometry, mimetype="application/geo+json")

    return app
