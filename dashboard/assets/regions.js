/* wijkbeeld: the regions of the map, drawn by one canvas layer of our own (no Leaflet layer per region: making
   14,800 of them was most of the first draw), from geometry files read by a worker (assets/regions-reader.js).
   The layer fills each region from the paint in force (assets/wijkbeeld.js), finds the region under the pointer
   (a grid of the regions' boxes, then point in polygon) for its tooltip and click, and outlines the selected one.
   A repaint fills each region's path, kept once the page has settled; back to a paint it showed at the same
   position, it lays the picture it kept of it.
   It holds no figure of its own: every text comes from the server (wijkbeeld.tooltip). */
(function () {
  "use strict";
  var wijkbeeld = window.wijkbeeld = window.wijkbeeld || {};
  var MAP = "map";          // the map's id, as dashboard/ids.MAP
  var FIRST_PAINT = "first-paint";   // as dashboard/app.FIRST_PAINT
  var GRID = 128;           // cells a side of the hit-testing grid
  var SHAPE_AFTER_MS = 1000;   // a view's paths are kept once the page has settled after drawing it
  var PICTURES_KEPT = 4;       // pictures of what the canvas showed (each the size of the canvas, some MB)
  var OUTLINE = {weight: 0.7, colour: "#4d4d4d", opacity: 0.9}, SELECTED = {weight: 3, colour: "#000000"};

  var mercator = wijkbeeld.mercator;   // (assets/regions-reader.js)

  /* the fill of a region of class c (wijkbeeld.classOf) in a paint: colour and opacity, none without a class */
  function fillOf(paint, c) {
    if (c === undefined || c === null) { return null; }
    if (c >= 0) { return {colour: paint.colours[c], opacity: 0.78}; }
    if (c === -2) { return {colour: paint.suppressed, opacity: 0.78}; }
    return {colour: paint.missing, opacity: 0.6};
  }

  /* inside a region's rings (even-odd: holes are out), in metres */
  function inside(regions, f, x, y) {
    var xy = regions.xy, rings = regions.rings, odd = false;
    for (var q = regions.parts[f]; q < regions.parts[f + 1]; q++) {
      var start = 2 * rings[q], end = 2 * rings[q + 1];
      for (var k = start, j = end - 2; k < end; j = k, k += 2) {
        if ((xy[k + 1] > y) !== (xy[j + 1] > y) &&
            x < (xy[j] - xy[k]) * (y - xy[k + 1]) / (xy[j + 1] - xy[k + 1]) + xy[k]) { odd = !odd; }
      }
    }
    return odd;
  }

  var Regions = L.Layer.extend({
    initialize: function () {
      this.regions = null; this.url = null; this.geometry = undefined; this.drawn = null;
      this._grid = null; this._hovered = -1; this._shaped = null; this._pictures = new Map();
    },

    /* show the regions of a geometry file (``geometry``: the year and level its paints name) */
    load: function (url, geometry) {
      if (typeof url !== "string") { return; }
      if (url === this.url) { if (geometry !== undefined) { this.geometry = geometry; } this.repaint(); return; }
      this.url = url;
      var self = this;
      wijkbeeld.read(url).then(function (regions) {
        if (self.url !== url) { return; }    // another file was asked for since
        self.regions = regions; self._grid = null; self._shaped = null; self._pictures.clear();
        if (geometry !== undefined) { self.geometry = geometry; }
        self._hovered = -1;
        self.repaint();
        if (wijkbeeld.table) { wijkbeeld.table.refresh(); }
      }, function (error) { if (window.console) { window.console.error("wijkbeeld: regions", error); } });
    },

    /* the paint in force drawn in the next frame (what changes before it, such as the map's first fitting to its
       bounds, is drawn once) */
    repaint: function () {
      if (!this._map || !this.regions || this._frame) { return; }
      this._frame = L.Util.requestAnimFrame(function () { this._frame = null; this._draw(); }, this);
    },

    getEvents: function () {
      var events = {moveend: this._draw, viewreset: this._draw, resize: this._draw, mousemove: this._hover,
                    mouseout: this._leave, click: this._click};
      if (this._zoomAnimated) { events.zoomanim = this._animateZoom; }
      return events;
    },
    onAdd: function () {
      this._canvas = L.DomUtil.create("canvas", "leaflet-zoom-animated wijkbeeld-regions");
      this._canvas.setAttribute("aria-hidden", "true");   // the map's table is its text alternative
      this.getPane().appendChild(this._canvas);
      this._tooltip = L.tooltip({sticky: true});
      this.repaint();
    },
    onRemove: function () {
      L.DomUtil.remove(this._canvas);
      this._leave();
    },

    /* during a zoom animation the canvas is scaled as Leaflet scales its own renderers */
    _animateZoom: function (event) {
      if (!this._at) { return; }
      var map = this._map, scale = map.getZoomScale(event.zoom, this._at.zoom);
      var offset = map._latLngToNewLayerPoint(this._at.topLeft, event.zoom, event.center);
      L.DomUtil.setTransform(this._canvas, offset, scale);
    },

    /* ---- what is where */
    _cells: function () {
      if (this._grid) { return this._grid; }
      var boxes = this.regions.boxes, n = boxes.length / 4, e = [Infinity, Infinity, -Infinity, -Infinity];
      for (var f = 0; f < n; f++) {
        e = [Math.min(e[0], boxes[4 * f]), Math.min(e[1], boxes[4 * f + 1]),
             Math.max(e[2], boxes[4 * f + 2]), Math.max(e[3], boxes[4 * f + 3])];
      }
      var w = (e[2] - e[0]) / GRID || 1, h = (e[3] - e[1]) / GRID || 1, cells = [];
      for (var i = 0; i < n; i++) {
        var x0 = Math.floor((boxes[4 * i] - e[0]) / w), x1 = Math.min(GRID - 1, Math.floor((boxes[4 * i + 2] - e[0]) / w));
        var y0 = Math.floor((boxes[4 * i + 1] - e[1]) / h), y1 = Math.min(GRID - 1, Math.floor((boxes[4 * i + 3] - e[1]) / h));
        for (var x = x0; x <= x1; x++) {
          for (var y = y0; y <= y1; y++) { (cells[x * GRID + y] = cells[x * GRID + y] || []).push(i); }
        }
      }
      this._grid = {cells: cells, w: w, h: h, extent: e};
      return this._grid;
    },
    /* the region (its index in the file) at a point on the map, or -1 */
    regionAt: function (latlng) {
      if (!this.regions) { return -1; }
      var m = mercator.project(latlng.lng, latlng.lat), mx = m[0], my = m[1];
      var grid = this._cells(), e = grid.extent, boxes = this.regions.boxes;
      var x = Math.floor((mx - e[0]) / grid.w), y = Math.floor((my - e[1]) / grid.h);
      if (x < 0 || y < 0 || x >= GRID || y >= GRID) { return -1; }
      var found = grid.cells[x * GRID + y] || [];
      for (var n = 0; n < found.length; n++) {
        var f = found[n];
        if (mx >= boxes[4 * f] && mx <= boxes[4 * f + 2] && my >= boxes[4 * f + 1] && my <= boxes[4 * f + 3] &&
            inside(this.regions, f, mx, my)) { return f; }
      }
      return -1;
    },
    indexOf: function (code) {
      var properties = this.regions ? this.regions.properties : [];
      for (var f = 0; f < properties.length; f++) { if (properties[f].code === code) { return f; } }
      return -1;
    },
    /* the bounds of a region on the map (L.LatLngBounds), or null */
    boundsOf: function (code) {
      var f = this.indexOf(code), b = this.regions && this.regions.boxes;
      return f < 0 ? null : L.latLngBounds(mercator.unproject(b[4 * f], b[4 * f + 1]),
                                           mercator.unproject(b[4 * f + 2], b[4 * f + 3]));
    },
    /* what the canvas shows: each region's fill colour (null without one) and outline width, by code */
    shown: function () {
      var drawn = this.drawn, out = {};
      if (!drawn) { return out; }
      drawn.regions.properties.forEach(function (props, f) {
        var fill = drawn.own ? fillOf(drawn.paint, wijkbeeld.classOf(drawn.paint, props.i)) : null;
        out[props.code] = {fill: fill ? fill.colour : null,
                           weight: props.code === drawn.selected ? SELECTED.weight : OUTLINE.weight};
      });
      return out;
    },

    /* ---- the pointer */
    _hover: function (event) {
      var f = this.regionAt(event.latlng);
      this._map.getContainer().classList.toggle("over-region", f >= 0);
      if (f < 0) { this._leave(); return; }
      var tooltip = this._tooltip, self = this, props = this.regions.properties[f];
      if (f !== this._hovered) {
        this._hovered = f;
        tooltip.setContent(wijkbeeld.tooltip({properties: props}, {
          isTooltipOpen: function () { return self._hovered === f; },
          setTooltipContent: function (content) { tooltip.setContent(content); }
        }));
      }
      tooltip.setLatLng(event.latlng);
      if (!this._map.hasLayer(tooltip)) { this._map.openTooltip(tooltip); }
    },
    _leave: function () {
      this._hovered = -1;
      if (this._map && this._map.hasLayer(this._tooltip)) { this._map.closeTooltip(this._tooltip); }
    },
    /* a click (a tap) on a region shows its tooltip and selects it, as the table's buttons do (its profile opens) */
    _click: function (event) {
      this._hover(event);
      var f = this.regionAt(event.latlng);
      if (f < 0 || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
      window.dash_clientside.set_props("selected", {data: this.regions.properties[f].code});
    },

    /* ---- drawing */
    _draw: function () {
      var map = this._map, regions = this.regions;
      if (!map || !this._canvas) { return; }
      var paint = wijkbeeld.paint || {}, own = paint.geometry === this.geometry && typeof paint.classes === "string";
      if (own) { this._ownPaint = paint; } else if (this._ownPaint && this._ownPaint.geometry === this.geometry) {
        paint = this._ownPaint; own = true;   // a paint of other regions, whose file is coming: keep this one's
      }
      var size = map.getSize(), ratio = window.devicePixelRatio || 1, canvas = this._canvas;
      var topLeft = map.containerPointToLayerPoint([0, 0]), place = this._placing(topLeft);
      var selected = own && paint.selected ? paint.selected : null;
      var seen = [this._key(place, size, ratio), selected, own ? paint.classes : "", own ? paint.colours : "",
                  paint.missing, paint.suppressed].join("|");
      if (this.drawn && this.drawn.regions === regions && this.drawn.seen === seen) { return; }   // shown already
      var shown = this.drawn;
      if (shown && shown.own && shown.regions === regions && !this._pictures.has(shown.seen)) {
        this._keepPicture(shown.seen, canvas);   // kept as it is left (not as it is drawn: the first draw waits less)
      }
      this._at = {zoom: map.getZoom(), topLeft: map.layerPointToLatLng(topLeft)};
      L.DomUtil.setPosition(canvas, topLeft);
      if (canvas.width !== size.x * ratio || canvas.height !== size.y * ratio) {
        canvas.width = size.x * ratio; canvas.height = size.y * ratio;
        canvas.style.width = size.x + "px"; canvas.style.height = size.y + "px";
      }
      var ctx = canvas.getContext("2d");
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      if (!regions) { this.drawn = null; return; }
      var chosen = selected === null ? -1 : this.indexOf(selected), picture = this._pictures.get(seen);
      this.drawn = {regions: regions, paint: paint, own: own, selected: chosen >= 0 ? selected : null, seen: seen,
                    count: regions.properties.length, classes: own ? paint.classes : ""};
      if (picture) {   // back to a paint the canvas showed at this position: its picture (one drawImage)
        this._pictures.delete(seen); this._pictures.set(seen, picture);
        ctx.drawImage(picture, 0, 0);
        return;
      }
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      var shaped = this._shapes(place, size, ratio);
      if (shaped) { this._fillShapes(ctx, shaped, paint, own); } else { this._drawDirect(ctx, place, paint, own); }
      if (chosen >= 0) {
        ctx.lineJoin = "round"; ctx.globalAlpha = OUTLINE.opacity;
        ctx.lineWidth = SELECTED.weight; ctx.strokeStyle = SELECTED.colour;
        ctx.beginPath(); this._trace(ctx, place, chosen); ctx.stroke();
      }
      ctx.globalAlpha = 1;
      if (!shaped) { this._shapeWhenIdle(place, size, ratio); }
    },
    /* a picture of what the canvas shows, kept for going back to it (the oldest's canvas is used again); pictures
       of other regions were forgotten when their file was left */
    _keepPicture: function (seen, canvas) {
      var picture = null;
      if (this._pictures.size >= PICTURES_KEPT) {
        var oldest = this._pictures.keys().next().value;
        picture = this._pictures.get(oldest);
        this._pictures.delete(oldest);
      }
      picture = picture || document.createElement("canvas");
      picture.width = canvas.width; picture.height = canvas.height;
      picture.getContext("2d").drawImage(canvas, 0, 0);
      this._pictures.set(seen, picture);
    },
    /* metres to canvas pixels at the map's zoom and position */
    _placing: function (topLeft) {
      var map = this._map, half = 128 * Math.pow(2, map.getZoom()), at = topLeft.add(map.getPixelOrigin());
      return {scale: half / (Math.PI * mercator.R), x: half - at.x, y: half - at.y};
    },
    /* a region's rings into a path (the context's or a Path2D), in canvas pixels: a point less than half a pixel
       from the last one drawn adds nothing to the picture and is left out */
    _trace: function (path, place, f) {
      var regions = this.regions, xy = regions.xy, rings = regions.rings, s = place.scale, ox = place.x, oy = place.y;
      for (var q = regions.parts[f]; q < regions.parts[f + 1]; q++) {
        var start = 2 * rings[q], end = 2 * rings[q + 1];
        var lx = xy[start] * s + ox, ly = oy - xy[start + 1] * s;
        path.moveTo(lx, ly);
        for (var k = start + 2; k < end; k += 2) {
          var x = xy[k] * s + ox, y = oy - xy[k + 1] * s;
          if (x - lx > 0.5 || lx - x > 0.5 || y - ly > 0.5 || ly - y > 0.5) { path.lineTo(x, y); lx = x; ly = y; }
        }
        path.closePath();
      }
    },
    /* the fill of each region's class in a paint, by the class's character (wijkbeeld.classOfCode) */
    _fills: function (paint) {
      var fills = {};
      return function (code) {
        return fills[code] !== undefined ? fills[code] : (fills[code] = fillOf(paint, wijkbeeld.classOfCode(code)));
      };
    },
    /* the first draw of a view: every region traced, filled and outlined in turn (nothing kept: the quickest) */
    _drawDirect: function (ctx, place, paint, own) {
      var properties = this.regions.properties, fillOfCode = this._fills(paint);
      ctx.lineJoin = "round"; ctx.lineWidth = OUTLINE.weight; ctx.strokeStyle = OUTLINE.colour;
      for (var f = 0; f < properties.length; f++) {
        ctx.beginPath();
        this._trace(ctx, place, f);
        var fill = own ? fillOfCode(paint.classes.charAt(properties[f].i)) : null;
        if (fill) { ctx.globalAlpha = fill.opacity; ctx.fillStyle = fill.colour; ctx.fill("evenodd"); }
        ctx.globalAlpha = OUTLINE.opacity;
        ctx.stroke();
      }
    },
    /* each region's path at this position and a picture of all outlines, made when the page is idle after the
       first draw of a view: a repaint then fills the paths and lays the outlines over them */
    _key: function (place, size, ratio) {
      return [place.scale, place.x, place.y, size.x, size.y, ratio].join(",");
    },
    _shapes: function (place, size, ratio) {
      var shaped = this._shaped;
      return shaped && shaped.regions === this.regions && shaped.key === this._key(place, size, ratio) ? shaped : null;
    },
    _shapeWhenIdle: function (place, size, ratio) {
      var self = this, regions = this.regions, key = this._key(place, size, ratio);
      var idle = window.requestIdleCallback || function (f) { return window.setTimeout(f, 200); };
      window.setTimeout(function () { idle(shape, {timeout: 2000}); }, SHAPE_AFTER_MS);
      function shape() {
        if (!self._map || self.regions !== regions) { return; }
        var now = self._placing(self._map.containerPointToLayerPoint([0, 0]));
        if (self._key(now, self._map.getSize(), window.devicePixelRatio || 1) !== key) { return; }
        self._shaped = self._makeShapes(place, size, ratio, key);
      }
    },
    _makeShapes: function (place, size, ratio, key) {
      var n = this.regions.properties.length, paths = new Array(n), outlines = document.createElement("canvas");
      outlines.width = size.x * ratio; outlines.height = size.y * ratio;
      var ctx = outlines.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineJoin = "round"; ctx.lineWidth = OUTLINE.weight; ctx.strokeStyle = OUTLINE.colour;
      ctx.globalAlpha = OUTLINE.opacity;
      for (var f = 0; f < n; f++) {
        paths[f] = new Path2D();
        this._trace(paths[f], place, f);
        ctx.stroke(paths[f]);
      }
      return {key: key, regions: this.regions, paths: paths, outlines: outlines};
    },
    _fillShapes: function (ctx, shaped, paint, own) {
      var properties = this.regions.properties, fillOfCode = this._fills(paint);
      for (var f = 0; own && f < shaped.paths.length; f++) {
        var fill = fillOfCode(paint.classes.charAt(properties[f].i));
        if (!fill) { continue; }
        ctx.globalAlpha = fill.opacity;
        ctx.fillStyle = fill.colour;
        ctx.fill(shaped.paths[f], "evenodd");
      }
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.globalAlpha = 1;
      ctx.drawImage(shaped.outlines, 0, 0);
      ctx.restore();
    }
  });

  var layer = wijkbeeld.regions = new Regions();

  /* the first view's file, being read since the page's head (assets/regions-reader.js), and its paint (both
     named there by dashboard/app.py), so the regions are drawn as soon as dash-leaflet has made the map, not
     after Dash's first callbacks */
  var firstPaint = document.getElementById(FIRST_PAINT);
  try { firstPaint = firstPaint ? JSON.parse(firstPaint.textContent) : null; } catch (error) { firstPaint = null; }
  if (wijkbeeld.first && firstPaint && typeof firstPaint.classes === "string") {
    layer.load(wijkbeeld.first, firstPaint.geometry);
  }

  /* the map, once dash-leaflet has made it: the regions go on it */
  L.Map.addInitHook(function () {
    var map = this;
    if (!map.getContainer() || map.getContainer().id !== MAP) { return; }
    wijkbeeld.map = map;
    if (!wijkbeeld.paint && firstPaint && typeof firstPaint.classes === "string") { wijkbeeld.restyle(firstPaint); }
    map.whenReady(function () {
      if (layer._map && layer._map !== map) { layer._map.removeLayer(layer); }   // a page made again
      layer.addTo(map);
    });
  });
})();
