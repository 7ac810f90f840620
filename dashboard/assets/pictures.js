/* wijkbeeld: the map's canvas as painted, kept per paint and map position. Going back to a paint the map showed
   at the same position draws that picture (one drawImage) instead of every region again (~65 ms for 14,800
   buurten in Chromium's software canvas). The regions' options are restyled all the same (hit-testing, tooltips,
   the table and any later partial redraw use them). A picture is taken only of a paint applied to every region
   on the map, and drawn only at exactly the position it was taken at. */
(function () {
  "use strict";
  var wijkbeeld = window.wijkbeeld = window.wijkbeeld || {};
  var KEPT = 4;              // pictures (each the size of the canvas, some MB)
  var kept = new Map();      // paint + position → canvas, oldest first
  var applied = null;        // the paint applied to every region on the map now, else null

  function position(renderer) {
    var map = renderer._map, b = renderer._bounds, o = map.getPixelOrigin(), c = renderer._container;
    return [map.getZoom(), o.x, o.y, b.min.x, b.min.y, b.max.x, b.max.y, c.width, c.height].join(",");
  }

  function keep(key, source) {
    var canvas = kept.get(key);
    kept.delete(key);
    if (!canvas && kept.size >= KEPT) {
      var oldest = kept.keys().next().value;
      canvas = kept.get(oldest);
      kept.delete(oldest);
    }
    canvas = canvas || document.createElement("canvas");
    canvas.width = source.width;
    canvas.height = source.height;
    canvas.getContext("2d").drawImage(source, 0, 0);
    kept.set(key, canvas);
  }

  /* the renderer's redraw, with pictures: the picture of the paint at this position if there is one, else the
     regions drawn (whole or the part asked for: either way the canvas then shows every region as styled) and the
     picture kept */
  function watch(renderer) {
    if (renderer.__pictures) { return; }
    renderer.__pictures = true;
    var redraw = renderer._redraw;
    renderer._redraw = function () {
      /* a paint the style function applied to every region of a new geometry (wijkbeeld.js paintedWhole) */
      applied = applied || (wijkbeeld.paintedWhole ? wijkbeeld.paintedWhole() : null);
      var key = this._map && applied ? applied + "@" + position(this) : null;
      var picture = key ? kept.get(key) : undefined;
      if (picture) {
        var ctx = this._ctx;
        this._redrawRequest = null;
        this._redrawBounds = null;
        ctx.save();
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, this._container.width, this._container.height);
        ctx.drawImage(picture, 0, 0);
        ctx.restore();
        return;
      }
      var out = redraw.apply(this, arguments);
      if (key) { keep(key, this._container); }
      return out;
    };
  }

  wijkbeeld.pictures = {
    /* restyle applied a paint (``key``: the paint and the selected region) to every region drawn by ``renderer`` */
    applied: function (renderer, key) {
      if (renderer) { watch(renderer); }
      applied = key;
    },
    watch: watch,
    /* the regions changed otherwise (another geometry, styled one by one): no picture stands for them */
    forget: function () { applied = null; },
    kept: kept
  };
})();
