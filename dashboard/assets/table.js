/* wijkbeeld: the map as a table, its text alternative. Built in the browser when opened, from what the map
   draws (the regions on it, in geometry order), the figures fetched for the tooltips (their texts made by the
   server, dashboard/present/figure.py; their numbers only to sort by) and the classes painted,
   and rebuilt when the map changes while it is open. Sortable by each column; each area's button shows its
   profile (and moves the keyboard focus there; closing the profile brings it back). */
(function () {
  "use strict";
  var wijkbeeld = window.wijkbeeld = window.wijkbeeld || {};
  var sortKey = "name", ascending = true, timer = null;

  function cell(tag, content, className) {
    var element = document.createElement(tag);
    if (content !== undefined && content !== null) { element.textContent = content; }  // never innerHTML
    if (className) { element.className = className; }
    return element;
  }

  function rows() {
    var h = wijkbeeld.hideout || {};
    var figures = wijkbeeld.figuresOf ? wijkbeeld.figuresOf(h, refresh) : null;
    var classLabels = h.classLabels || [], words = h.words || {};
    var drawn = wijkbeeld.regions && wijkbeeld.regions.regions;
    return (drawn ? drawn.properties : [])
      .map(function (props) {
        var c = wijkbeeld.classOf(h, props.i);
        var value = figures ? figures.values[props.i] : undefined;
        var text = figures ? figures.labels[props.i] : undefined;
        var classText = c === undefined || c === null ? "" : c >= 0 ? (classLabels[c] || String(c + 1))
          : (c === -2 ? words.suppressed : words.missing);
        return {code: props.code, name: props.name || props.code, value: value === undefined ? null : value,
                text: text === undefined || text === null ? "–" : text,
                cls: c === undefined || c === null ? -3 : c, classText: classText,
                colour: c >= 0 ? h.colours[c] : (c === -2 ? h.suppressed : h.missing)};
      });
  }

  function compare(a, b) {
    var result;
    if (sortKey === "value" || sortKey === "cls") {
      var x = a[sortKey], y = b[sortKey];
      if (x === null || x < 0) { return (y === null || y < 0) ? a.name.localeCompare(b.name) : 1; }  // empty last
      if (y === null || y < 0) { return -1; }
      result = x - y;
    } else {
      result = a.name.localeCompare(b.name, document.documentElement.lang || "nl");
    }
    return ascending ? result : -result;
  }

  function choose(code, button) {
    var bounds = wijkbeeld.regions.boundsOf(code);
    wijkbeeld.focusProfile = true;
    wijkbeeld.returnFocus = button;
    wijkbeeld.returnCode = code;   // the row is rebuilt when the map repaints: find its button again by code
    window.dash_clientside.set_props("selected", {data: code});
    if (bounds && wijkbeeld.map) { wijkbeeld.map.fitBounds(bounds, {maxZoom: 15}); }
  }

  function build() {
    var box = document.getElementById("region-table");
    var details = document.getElementById("map-table");
    if (!box || !details || !details.open) { return; }
    var h = wijkbeeld.hideout || {}, words = h.words || {};
    /* a rebuild keeps the keyboard focus on the same button */
    var focused = box.contains(document.activeElement) ? document.activeElement : null;
    var focusedSort = focused && focused.dataset.sort;
    var focusedRow = focused && focused.closest("tr[data-code]");
    var focusedCode = focusedRow && focusedRow.dataset.code;
    var list = rows().sort(compare);
    var table = cell("table", null, "figures region-table-grid");
    var caption = cell("caption", (h.title || "") + (h.year ? ", " + h.year : "") + (h.unit ? " (" + h.unit + ")" : ""));
    table.appendChild(caption);
    var head = cell("tr");
    [["name", words.area], ["value", words.figure], ["cls", words["class"]]].forEach(function (column) {
      var th = cell("th");
      th.scope = "col";
      th.setAttribute("aria-sort", column[0] === sortKey ? (ascending ? "ascending" : "descending") : "none");
      var button = cell("button", column[1], "sort");
      button.type = "button";
      button.dataset.sort = column[0];
      button.setAttribute("aria-label", column[1] + ", " + (words.sort_by || "sort by"));
      if (column[0] === sortKey) { button.appendChild(cell("span", ascending ? " ▲" : " ▼", "sort-mark")); }
      button.addEventListener("click", function () {
        ascending = sortKey === column[0] ? !ascending : true;
        sortKey = column[0];
        build();
      });
      th.appendChild(button);
      head.appendChild(th);
    });
    var thead = cell("thead");
    thead.appendChild(head);
    table.appendChild(thead);
    var body = cell("tbody");
    list.forEach(function (row) {
      var tr = cell("tr");
      tr.dataset.code = row.code;
      var name = cell("th");
      name.scope = "row";
      var button = cell("button", row.name, "region-choose");
      button.type = "button";
      button.setAttribute("aria-label", row.name + ", " + (words.show_profile || "show profile"));
      button.addEventListener("click", function () { choose(row.code, button); });
      name.appendChild(button);
      tr.appendChild(name);
      tr.appendChild(cell("td", row.text, "num"));
      var cls = cell("td");
      var swatch = cell("span", null, "swatch");
      swatch.style.backgroundColor = row.colour || "transparent";
      cls.appendChild(swatch);
      cls.appendChild(cell("span", " " + row.classText));
      tr.appendChild(cls);
      body.appendChild(tr);
    });
    table.appendChild(body);
    box.replaceChildren(table);
    var again = focusedSort ? box.querySelector('button[data-sort="' + focusedSort + '"]')
      : focusedCode ? box.querySelector('tr[data-code="' + focusedCode + '"] button') : null;
    if (again) { again.focus(); }
  }

  /* rebuilt 60 ms after the last of a burst of changes (a paint, the regions' file, the figures): a call only
     moves the time due */
  var due = 0;
  function refresh() {
    due = Date.now() + 60;
    if (timer === null) { timer = window.setTimeout(whenDue, 60); }
  }
  function whenDue() {
    var left = due - Date.now();
    timer = left > 0 ? window.setTimeout(whenDue, left) : null;
    if (timer === null) { build(); }
  }

  wijkbeeld.table = {refresh: refresh, build: build};
  document.addEventListener("toggle", function (event) {
    if (event.target && event.target.id === "map-table") { build(); }
  }, true);
})();
