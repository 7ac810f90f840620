/* wijkbeeld: reads the regions' geometry files: fetched by the page, parsed and projected to Web Mercator metres
   in a worker (this same file, run as one), off the page's thread, while Dash starts. Loaded in the page's head
   (dashboard/app.py), it starts on the first view's file at once; assets/regions.js draws what it reads. Not one
   of the page's assets (Dash's assets_ignore): it must run before them. */
(function () {
  "use strict";
  var R = 6378137, D = Math.PI / 180, MAX_LAT = 85.0511287798;

  /* Web Mercator (EPSG:3857, as Leaflet's map) in metres */
  function project(lon, lat) {
    var s = Math.sin(Math.max(Math.min(MAX_LAT, lat), -MAX_LAT) * D);
    return [R * lon * D, R * Math.log((1 + s) / (1 - s)) / 2];
  }
  var KEPT = 3;   // files kept read (the overview, the detail and one more)

  /* ---------------------------------------------------------------- in the worker */

  if (typeof document === "undefined") {
    self.onmessage = function (event) {
      var url = event.data.url, regions;
      try {
        regions = projected(JSON.parse(new TextDecoder().decode(event.data.body)));
      } catch (error) {
        self.postMessage({url: url, error: url + ": " + error});
        return;
      }
      self.postMessage(Object.assign({url: url}, regions),
                       [regions.xy.buffer, regions.rings.buffer, regions.parts.buffer, regions.boxes.buffer]);
    };
    return;
  }

  /* every ring of every region as x, y pairs in one array: a region's rings are parts[f] to parts[f + 1], a ring's
     points rings[q] to rings[q + 1] (in pairs); boxes holds each region's [minx, miny, maxx, maxy] */
  function projected(collection) {
    var features = collection.features || [], n = features.length, points = 0, count = 0, f, p, q;
    for (f = 0; f < n; f++) {
      var g = features[f].geometry, polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
      for (p = 0; p < polygons.length; p++) {
        for (q = 0; q < polygons[p].length; q++) { points += polygons[p][q].length; count += 1; }
      }
    }
    var xy = new Float64Array(points * 2), rings = new Uint32Array(count + 1), parts = new Uint32Array(n + 1);
    var boxes = new Float64Array(n * 4), properties = new Array(n), at = 0, ring = 0;
    for (f = 0; f < n; f++) {
      var geometry = features[f].geometry, props = features[f].properties || {};
      var shapes = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
      var x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      properties[f] = {code: props.code, name: props.name, i: props.i};
      parts[f] = ring;
      for (p = 0; p < shapes.length; p++) {
        for (q = 0; q < shapes[p].length; q++) {
          var ringPoints = shapes[p][q];
          rings[ring++] = at;
          for (var k = 0; k < ringPoints.length; k++) {
            var m = project(ringPoints[k][0], ringPoints[k][1]), x = m[0], y = m[1];
            xy[2 * at] = x; xy[2 * at + 1] = y; at += 1;
            if (x < x0) { x0 = x; } if (x > x1) { x1 = x; } if (y < y0) { y0 = y; } if (y > y1) { y1 = y; }
          }
        }
      }
      boxes[4 * f] = x0; boxes[4 * f + 1] = y0; boxes[4 * f + 2] = x1; boxes[4 * f + 3] = y1;
    }
    rings[ring] = at;
    parts[n] = ring;
    return {xy: xy, rings: rings, parts: parts, boxes: boxes, properties: properties};
  }

  /* ---------------------------------------------------------------- on the page */

  var wijkbeeld = window.wijkbeeld = window.wijkbeeld || {};
  wijkbeeld.mercator = {
    R: R,
    project: project,
    unproject: function (x, y) { return L.latLng((2 * Math.atan(Math.exp(y / R)) - Math.PI / 2) / D, x / R / D); }
  };
  var script = document.currentScript, worker = null, files = new Map();   // url → {done, resolve, reject}

  function answered(event) {
    var file = files.get(event.data.url);
    if (!file) { return; }
    if (event.data.error) { files.delete(event.data.url); file.reject(new Error(event.data.error)); return; }
    file.resolve(event.data);
  }

  /* a geometry file's regions (a Promise), read once while kept */
  wijkbeeld.read = function (address) {
    var url = new URL(address, document.baseURI).href, known = files.get(url);
    if (known) { files.delete(url); files.set(url, known); return known.done; }
    if (!worker) { worker = new Worker(script.src); worker.onmessage = answered; }
    var file = {};
    file.done = new Promise(function (resolve, reject) { file.resolve = resolve; file.reject = reject; });
    files.set(url, file);
    while (files.size > KEPT) { files.delete(files.keys().next().value); }
    /* fetched here, where the page's first requests are queued (a worker's own script and fetches waited behind
       all of the page's scripts), and read there */
    fetch(url, {credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) { throw new Error(url + ": HTTP " + response.status); }
        return response.arrayBuffer();
      })
      .then(function (body) { worker.postMessage({url: url, body: body}, [body]); })
      .catch(function (error) { files.delete(url); file.reject(error); });
    return file.done;
  };

  /* the first view's file (its address as the page names it, which the map's store names too) */
  wijkbeeld.first = script.getAttribute("data-regions");
  if (wijkbeeld.first) { wijkbeeld.read(wijkbeeld.first); }
})();
