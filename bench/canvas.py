"""A reference beside the floor: the same geometry file drawn by one canvas layer of its own, without a Leaflet
layer per region. Each region's rings are projected once to Web Mercator metres in typed arrays; a draw maps them
to the screen with one scale and offset, and fills and strokes each region on one canvas (a path per region:
Skia strokes one path of every region together many times slower).

It has no hover, click or keyboard: it measures what drawing the regions costs when no object per region is made,
which is what a map layer of wijkbeeld's own would start from (bench/README.md, "What would close it").
"""
from __future__ import annotations

from pathlib import Path

from bench.floor import floor_app, page

PAGE = page("canvas", """window.canvasFloor = {count: 0, draws: 0};
var palette = __PALETTE__;
var R = 6378137, D = Math.PI / 180, MAX_LAT = 85.0511287798;
var Regions = L.Layer.extend({
  initialize: function (features) {
    var rings = [], fills = [], box = [Infinity, Infinity, -Infinity, -Infinity];
    features.forEach(function (feature) {
      var g = feature.geometry, polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates, own = [];
      polygons.forEach(function (polygon) { polygon.forEach(function (ring) {
        var xy = new Float64Array(ring.length * 2);
        for (var k = 0; k < ring.length; k++) {
          var s = Math.sin(Math.max(Math.min(MAX_LAT, ring[k][1]), -MAX_LAT) * D);
          var x = xy[2 * k] = R * ring[k][0] * D, y = xy[2 * k + 1] = R * Math.log((1 + s) / (1 - s)) / 2;
          box = [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)];
        }
        own.push(xy); }); });
      rings.push(own); fills.push(palette[feature.properties.i % palette.length]);
    });
    this._rings = rings; this._fills = fills;
    var lat = function (y) { return (2 * Math.atan(Math.exp(y / R)) - Math.PI / 2) / D; };
    this.bounds = L.latLngBounds([lat(box[1]), box[0] / R / D], [lat(box[3]), box[2] / R / D]);
  },
  onAdd: function (map) {
    this._canvas = L.DomUtil.create("canvas", "leaflet-zoom-animated");
    map.getPanes().overlayPane.appendChild(this._canvas);
    map.on("moveend", this._draw, this);
    this._draw();
  },
  _draw: function () {
    var map = this._map, size = map.getSize(), ratio = window.devicePixelRatio || 1, canvas = this._canvas;
    var topLeft = map.containerPointToLayerPoint([0, 0]), at = topLeft.add(map.getPixelOrigin());
    L.DomUtil.setPosition(canvas, topLeft);
    canvas.width = size.x * ratio; canvas.height = size.y * ratio;
    canvas.style.width = size.x + "px"; canvas.style.height = size.y + "px";
    var half = 128 * Math.pow(2, map.getZoom()), scale = half / (Math.PI * R), ox = half - at.x, oy = half - at.y;
    var ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.lineWidth = 0.7; ctx.strokeStyle = "#4d4d4d"; ctx.lineJoin = "round";
    for (var i = 0; i < this._rings.length; i++) {
      ctx.beginPath();
      for (var q = 0; q < this._rings[i].length; q++) {
        var r = this._rings[i][q];
        ctx.moveTo(r[0] * scale + ox, oy - r[1] * scale);
        for (var k = 2; k < r.length; k += 2) { ctx.lineTo(r[k] * scale + ox, oy - r[k + 1] * scale); }
        ctx.closePath();
      }
      ctx.globalAlpha = 0.78; ctx.fillStyle = this._fills[i]; ctx.fill("evenodd");
      ctx.globalAlpha = 0.9; ctx.stroke();
    }
    window.canvasFloor.draws += 1;
  }
});
var map = L.map("map", {preferCanvas: true}).setView([52.1, 5.3], 8);
fetch("/geometry.geojson", {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
  var regions = new Regions(data.features);
  map.fitBounds(regions.bounds, {animate: false});
  regions.addTo(map);
  window.canvasFloor.count = data.features.length;
});
""")

# every region drawn once on the map
JS_DRAWN = "n => { const c = window.canvasFloor; return !!c && c.count === n && c.draws > 0; }"


def canvas_app(geometry: Path):
    """A WSGI app as the floor's (bench/floor.py), with this page."""
    return floor_app(geometry, PAGE)
