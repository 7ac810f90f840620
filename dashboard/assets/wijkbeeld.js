/* wijkbeeld: paints the choropleth from the hideout the server sends (values and classes only,
   never geometry), binds escaped tooltips, and keeps the view in the URL. */
(function () {
  "use strict";

  function formatNumber(value, lang) {
    return Number(value).toLocaleString(lang === "en" ? "en-GB" : "nl-NL", {maximumFractionDigits: 1});
  }

  function text(tag, content, className) {
    var element = document.createElement(tag);
    element.textContent = content;  // never innerHTML: names come from files
    if (className) { element.className = className; }
    return element;
  }

  var wijkbeeld = window.wijkbeeld = window.wijkbeeld || {};
  wijkbeeld.hideout = {};
  wijkbeeld.layers = {};

  wijkbeeld.style = function (feature, context) {
    var h = (context && context.hideout) || {};
    wijkbeeld.hideout = h;
    var props = feature.properties;
    var c = h.classes ? h.classes[props.i] : undefined;
    var selected = h.selected && h.selected === props.code;
    var style = {weight: selected ? 3 : 0.7, color: selected ? "#000000" : "#4d4d4d", opacity: 0.9,
                 fillOpacity: 0.78, dashArray: null};
    if (c === undefined || c === null) {
      style.fillOpacity = 0;
    } else if (c >= 0) {
      style.fillColor = h.colours[c];
    } else if (c === -2) {
      style.fillColor = h.suppressed;
    } else {
      style.fillColor = h.missing;
      style.fillOpacity = 0.6;
      style.dashArray = "4 3";
    }
    return style;
  };

  wijkbeeld.tooltip = function (feature) {
    var h = wijkbeeld.hideout || {};
    var props = feature.properties;
    var box = document.createElement("div");
    box.className = "map-tooltip";
    box.appendChild(text("strong", props.name || props.code));
    box.appendChild(text("div", props.code, "muted"));
    var value = h.values ? h.values[props.i] : null;
    var c = h.classes ? h.classes[props.i] : null;
    var words = h.words || {};
    var line;
    if (value !== null && value !== undefined) {
      line = formatNumber(value, h.lang) + " " + (h.unit || "") + (h.year ? " (" + h.year + ")" : "");
      if (h.estimate) { line += " · " + words.estimate; }
    } else {
      line = (c === -2 ? words.suppressed : words.missing) + (h.year ? " (" + h.year + ")" : "");
    }
    box.appendChild(text("div", line, "tooltip-value"));
    return box;
  };

  wijkbeeld.onEach = function (feature, layer) {
    wijkbeeld.layers[feature.properties.code] = layer;
    layer.bindTooltip(function () { return wijkbeeld.tooltip(feature); }, {sticky: true});
  };

  var KEYS = ["thema", "indicator", "jaar", "niveau", "indeling", "klassen", "vast", "regio", "lat", "lon", "zoom"];

  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    wijkbeeld: {
      writeUrl: function (theme, indicator, year, level, scheme, k, fixed, selected, center, zoom, lang) {
        var lat = center ? (center.lat !== undefined ? center.lat : center[0]) : null;
        var lon = center ? (center.lng !== undefined ? center.lng : center[1]) : null;
        var values = [theme, indicator, year, level, scheme, k, (fixed && fixed.length) ? "1" : null, selected,
                      lat === null ? null : lat.toFixed(5), lon === null ? null : lon.toFixed(5), zoom];
        var params = new URLSearchParams();
        KEYS.forEach(function (key, index) {
          var value = values[index];
          if (value !== null && value !== undefined && value !== "") { params.set(key, value); }
        });
        var other = new URLSearchParams(params);
        if (lang && lang !== "nl") { params.set("taal", lang); }
        other.set("taal", lang === "en" ? "nl" : "en");
        window.history.replaceState(null, "", "?" + params.toString());
        return ["?" + params.toString(), "?" + other.toString()];
      }
    }
  });
})();
