/* wijkbeeld: paints the choropleth from the hideout the server sends (classes only, never geometry) and keeps
   every paint it has had, so a view painted before needs no server; makes the regions' escaped tooltips, and
   keeps the view in the URL. Every text a tooltip shows comes from the server, formatted as everywhere else
   (dashboard/present/figure.py): nothing is formatted here. */
(function () {
  "use strict";

  function text(tag, content, className) {
    var element = document.createElement(tag);
    element.textContent = content;  // never innerHTML: names come from files
    if (className) { element.className = className; }
    return element;
  }

  var wijkbeeld = window.wijkbeeld = window.wijkbeeld || {};
  wijkbeeld.hideout = {};
  var FINDER_SHOWN = 40;   // choices the finder lists at once: more is scrolling, not finding

  /* classes come as one character per feature: 0-6 a class, m missing, s suppressed */
  function classOfCode(code) {
    if (code === "") { return undefined; }
    if (code === "m") { return -1; }
    if (code === "s") { return -2; }
    return Number(code);
  }
  function classOf(h, i) {
    return classOfCode(h.classes ? h.classes.charAt(i) : "");
  }
  wijkbeeld.classOf = classOf;
  wijkbeeld.classOfCode = classOfCode;

  /* the figures as the tooltips say them (labels, made by the server) and their numbers (values, for sorting the
     table): inline in the hideout, or fetched once from its URL */
  wijkbeeld.files = {};
  function figuresOf(h, onLoaded) {
    if (Array.isArray(h.labels)) { return {labels: h.labels, values: h.values || []}; }
    if (typeof h.labels !== "string") { return null; }
    var known = wijkbeeld.files[h.labels];
    if (known === undefined) {
      wijkbeeld.files[h.labels] = null;
      fetch(h.labels, {credentials: "same-origin"}).then(function (r) { return r.ok ? r.json() : null; })
        .then(function (body) {
          wijkbeeld.files[h.labels] = {labels: (body && body.labels) || [], values: (body && body.values) || []};
          if (onLoaded) { onLoaded(); }
        })
        .catch(function () { wijkbeeld.files[h.labels] = {labels: [], values: []}; });
      return null;
    }
    return known;
  }
  function labelsOf(h, onLoaded) {
    var figures = figuresOf(h, onLoaded);
    return figures === null ? null : figures.labels;
  }
  wijkbeeld.figuresOf = figuresOf;

  /* the paint in force: the latest from the paint store */
  function current() {
    var h = wijkbeeld.paint || {};
    if (h !== wijkbeeld.hideout) {
      wijkbeeld.hideout = h;
      labelsOf(h);   // fetch the figures for tooltips now, before anyone hovers
    }
    return h;
  }

  /* a new paint: the regions on the map (assets/regions.js) are drawn with it in the next frame; regions of
     another geometry (a level or year change) keep theirs until the paint's own file is read */
  wijkbeeld.restyle = function (paint) {
    if (!paint || typeof paint.classes !== "string") { return; }
    wijkbeeld.paint = paint;
    current();
    wijkbeeld.regions.repaint();
    if (wijkbeeld.table) { wijkbeeld.table.refresh(); }
  };

  /* Paints the browser has (geometry URLs, hideout, legend), by everything that decides them but the selected
     region (only the outline) and the level of detail (the paint names the geometry file of either). Kept while
     the page is open; a published version is seen on the next load or for a view not painted yet. */
  wijkbeeld.paints = {};
  wijkbeeld.view = {key: null, selected: null, overview: false};
  wijkbeeld.asked = 0;
  function viewKey(detail, indicator, year, level, scheme, k, fixed, layer, lang) {
    /* with the gemeente the map shows on its own, if any (its regions have a file of their own); URI-encoded: what
       the server sends back with its answer (dashboard/callbacks.py VIEW_KEY) */
    var scope = detail && typeof detail.scope === "string" ? detail.scope : null;
    return encodeURIComponent(JSON.stringify([indicator, year, level, scheme, k, fixed || [], layer, lang, scope]));
  }
  wijkbeeld.viewKey = viewKey;
  /* the view shown: its key, selected region and level of detail, and what decides its paint (for a figure
     painted in the click that chooses it, assets/choosing.js) */
  function showing(key, overview, detail, year, level, scheme, k, fixed, selected, layer, lang, table) {
    wijkbeeld.view = {key: key, selected: selected || null, overview: overview, detail: detail, year: year,
                      level: level, scheme: scheme, k: k, fixed: fixed, layer: layer, lang: lang, table: table};
  }

  /* a kept paint shown: the regions restyled at once (the paint is not handed through a store and another round
     of Dash), and what the map's components need: the geometry URL for the level of detail shown, if another,
     and the legend, if another; no_update for what they show already */
  function show(entry) {
    var view = wijkbeeld.view, nothing = window.dash_clientside.no_update;
    var files = entry.paint.files;
    var url = files ? files[view.overview ? "overview" : "detail"] : entry.url;
    var same = wijkbeeld.shown === entry;
    wijkbeeld.regions.load(url, entry.paint.geometry);
    restyleWith(entry, view.selected);
    wijkbeeld.shown = entry;
    var newUrl = url !== wijkbeeld.url;
    wijkbeeld.url = url;
    return [newUrl ? url : nothing, same ? nothing : entry.legend];
  }

  /* the map restyled with a kept paint, unless it shows that paint with that region selected already */
  function restyleWith(entry, selected) {
    if (wijkbeeld.restyledWith === entry && (wijkbeeld.paint || {}).selected === selected) { return; }
    wijkbeeld.restyledWith = entry;
    wijkbeeld.restyle(Object.assign({}, entry.paint, {selected: selected}));
  }

  /* the years of an indicator at a level (ids.YEARS), and the year a view of it shows: the year asked for if the
     figure has it, else its latest (as dashboard/state.py) */
  function yearsOf(table, indicator, level) {
    return (table && table[indicator] && table[indicator][level]) || [];
  }
  function yearFor(years, year) {
    return years.indexOf(year) >= 0 ? year : (years.length ? years[years.length - 1] : null);
  }

  /* for a figure painted in the click that chooses it (assets/choosing.js) */
  wijkbeeld.restyleWith = restyleWith;
  wijkbeeld.yearsOfFigure = yearsOf;
  wijkbeeld.yearFor = yearFor;
  /* the geometry (year and level) of the regions on the map, if any */
  wijkbeeld.drawnGeometry = function () { return wijkbeeld.regions.geometry; };

  /* a region's tooltip (assets/regions.js shows it): ``layer`` says whether it is still open, and takes the
     figure once fetched */
  wijkbeeld.tooltip = function (feature, layer) {
    var h = wijkbeeld.hideout || {};
    var props = feature.properties;
    var box = document.createElement("div");
    box.className = "map-tooltip";
    box.appendChild(text("strong", props.name || props.code));
    box.appendChild(text("div", props.code, "muted"));
    var labels = labelsOf(h, function () {
      if (layer && layer.isTooltipOpen()) { layer.setTooltipContent(wijkbeeld.tooltip(feature, layer)); }
    });
    var line = labels === null ? "…" : (labels[props.i] || "–");
    box.appendChild(text("div", h.year && labels !== null ? h.year + ": " + line : line, "tooltip-value"));
    return box;
  };

  /* Addresses come from the page (dashboard/urls.py for_the_browser), never spelled here. */
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    wijkbeeld: {
      writeUrl: function (theme, indicator, year, level, scheme, k, fixed, selected, center, zoom, layer, lang, urls) {
        var lat = center ? (center.lat !== undefined ? center.lat : center[0]) : null;
        var lon = center ? (center.lng !== undefined ? center.lng : center[1]) : null;
        var view = {theme: theme, indicator: indicator, year: year, level: level, scheme: scheme, k: k,
                    fixed: (fixed && fixed.length) ? "1" : null, region: selected,
                    lat: lat === null ? null : lat.toFixed(5), lon: lon === null ? null : lon.toFixed(5), zoom: zoom,
                    layer: layer === "indicator" ? null : layer};
        var keys = urls.view_keys;
        var params = new URLSearchParams();
        Object.keys(keys).forEach(function (field) {
          var value = view[field];
          if (value !== null && value !== undefined && value !== "") { params.set(keys[field], value); }
        });
        var other = new URLSearchParams(params);
        if (lang && lang !== urls.default_lang) { params.set(keys.lang, lang); }
        other.set(keys.lang, lang === "en" ? "nl" : "en");
        window.history.replaceState(null, "", "?" + params.toString());
        return ["?" + params.toString(), "?" + other.toString()];
      },
      detail: function (zoom, center, shown) {
        /* as dashboard/routes.detail: the overview at and below the threshold zoom; a gemeente on its own while
           the view stays on it (its centre within its bounds, not zoomed out from where the map opened it) */
        if (typeof zoom !== "number" || !shown) { return window.dash_clientside.no_update; }
        var next = Object.assign({}, shown, {overview: zoom <= shown.overview_max_zoom});
        if (shown.scope) {
          if (typeof wijkbeeld.scopeZoom !== "number") { wijkbeeld.scopeZoom = zoom; }
          var lat = center ? (center.lat !== undefined ? center.lat : center[0]) : null;
          var lon = center ? (center.lng !== undefined ? center.lng : center[1]) : null;
          var box = shown.scope_bounds;
          var inside = box && lat !== null && lat >= box[0][0] && lat <= box[1][0] && lon >= box[0][1] && lon <= box[1][1];
          if (zoom < wijkbeeld.scopeZoom || !inside) { next.scope = null; }
        }
        if (next.overview === shown.overview && next.scope === shown.scope) { return window.dash_clientside.no_update; }
        return next;
      },
      wanted: function (detail, indicator, year, level, scheme, k, fixed, selected, layer, lang, table) {
        /* the year first, as the server would choose it (dashboard/state.py): the year shown if the figure has
           it, else its latest; then a view painted before is shown at once, any other asked of the server */
        var nothing = window.dash_clientside.no_update;
        var years = yearsOf(table, indicator, level), chosen = yearFor(years, year);
        var yearOptions = years.slice().reverse().map(function (y) { return {label: String(y), value: y}; });
        var key = viewKey(detail, indicator, chosen, level, scheme, k, fixed, layer, lang);
        showing(key, !!(detail && detail.overview === true), detail, chosen, level, scheme, k, fixed, selected, layer,
                lang, table);
        var kept = wijkbeeld.paints[key];
        var shown = kept === undefined ? [nothing, nothing] : show(kept);
        if (kept === undefined) { wijkbeeld.asked += 1; }
        var yearsShown = indicator + "/" + level, newYears = yearsShown !== wijkbeeld.yearsShown;
        wijkbeeld.yearsShown = yearsShown;
        return [newYears ? yearOptions : nothing, chosen === year ? nothing : chosen].concat(shown)
          .concat([kept === undefined ? {key: key, n: wijkbeeld.asked} : nothing]);
      },
      answered: function (answer) {
        var nothing = window.dash_clientside.no_update;
        if (!answer || !answer.paint) { return [nothing, nothing]; }
        var entry = {url: answer.url, paint: Object.assign({}, answer.paint, {key: answer.key}), legend: answer.legend};
        /* the agenda layer (no files of both levels) follows its items as they change: asked every time */
        if (typeof answer.key === "string" && answer.paint.files) { wijkbeeld.paints[answer.key] = entry; }
        /* an answer to an older question, come after the view changed again: kept, not shown */
        if (answer.key !== wijkbeeld.view.key) { return [nothing, nothing]; }
        return show(entry);
      },
      repaint: function (paint, legend, url, detail, indicator, year, level, scheme, k, fixed, layer, lang, table) {
        /* the page's paint: kept under the view the page shows, and painted */
        var shown = paint;
        if (paint && paint.files) {
          var key = viewKey(detail, indicator, year, level, scheme, k, fixed, layer, lang);
          var entry = {url: url, paint: Object.assign({}, paint, {key: key}), legend: legend};
          wijkbeeld.paints[key] = entry;
          wijkbeeld.shown = wijkbeeld.restyledWith = entry;
          shown = entry.paint;
          showing(key, wijkbeeld.view.overview, detail, year, level, scheme, k, fixed, paint.selected, layer, lang,
                  table);
        }
        wijkbeeld.url = url;
        wijkbeeld.regions.load(url, paint && paint.geometry);
        wijkbeeld.restyle(shown);
        return paint && paint.classes ? paint.classes.length : 0;
      },
      initiativesEverywhere: function (shown, url, urls) {
        /* as dashboard/urls.initiatives_url: a gemeente's initiatives are the file of all less its gemeente */
        var key = urls && urls.initiative_keys && urls.initiative_keys.gemeente;
        if (!shown || shown.scope || typeof url !== "string" || !key) { return window.dash_clientside.no_update; }
        var at = url.indexOf("?");
        var params = new URLSearchParams(at < 0 ? "" : url.slice(at + 1));
        if (!params.has(key)) { return window.dash_clientside.no_update; }
        params.delete(key);
        return (at < 0 ? url : url.slice(0, at)) + "?" + params.toString();
      },
      pageWanted: function (search, rendered) {
        /* as dashboard/page.layout: the page the layout brought is the one for this address, unless it is not */
        if (typeof search !== "string" || search === rendered) { return window.dash_clientside.no_update; }
        return search;
      },
      findFigures: function (typed, choices) {
        /* the finder's choices whose label or search words hold every word typed (dashboard/components/finder.py) */
        if (typeof typed !== "string" || !Array.isArray(choices)) { return window.dash_clientside.no_update; }
        var words = typed.toLowerCase().split(/\s+/).filter(Boolean);
        if (!words.length) { return window.dash_clientside.no_update; }
        return choices.filter(function (choice) {
          var text = (choice.label + " " + (choice.search || "")).toLowerCase();
          return words.every(function (word) { return text.indexOf(word) >= 0; });
        }).slice(0, FINDER_SHOWN);
      },
      exportLinks: function (query, urls) {
        return [urls.exports.csv + (query || ""), urls.exports.geojson + (query || "")];
      }
    }
  });
})();
