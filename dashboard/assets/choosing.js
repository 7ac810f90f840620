/* wijkbeeld: a figure chosen in the indicator dropdown whose paint the browser has is painted in the click on its
   option, not after Dash's round of callbacks (~30-45 ms from the click to `wanted` in assets/wijkbeeld.js), which
   then finds the map painted and brings the legend, the year and the address. Only on the regions drawn now: a
   paint of another geometry (year or level) waits for its file. */
(function () {
  "use strict";
  var wijkbeeld = window.wijkbeeld = window.wijkbeeld || {};
  var INDICATOR = "indicator";   // the indicator dropdown's id, as dashboard/ids.INDICATOR

  /* the view shown, with what decides its paint, is kept by assets/wijkbeeld.js (wijkbeeld.view) */
  wijkbeeld.chosen = function (indicator) {
    var view = wijkbeeld.view;
    if (!view || !view.table || !wijkbeeld.viewKey) { return false; }
    var year = wijkbeeld.yearFor(wijkbeeld.yearsOfFigure(view.table, indicator, view.level), view.year);
    var entry = wijkbeeld.paints[wijkbeeld.viewKey(view.detail, indicator, year, view.level, view.scheme, view.k,
                                                   view.fixed, view.layer, view.lang)];
    if (!entry || wijkbeeld.drawnGeometry() !== entry.paint.geometry) { return false; }
    wijkbeeld.restyleWith(entry, view.selected);
    return true;
  };

  /* the option's radio holds the indicator; its list names the dropdown it belongs to by aria-controls */
  document.addEventListener("click", function (event) {
    var option = event.target instanceof Element ? event.target.closest(".dash-dropdown-option") : null;
    var list = option && option.closest(".dash-dropdown-content");
    var radio = option && option.querySelector("input[type=radio]");
    var dropdown = list && list.id && document.querySelector('[aria-controls="' + list.id + '"]');
    if (radio && dropdown && dropdown.id === INDICATOR) { wijkbeeld.chosen(radio.value); }
  }, true);
})();
