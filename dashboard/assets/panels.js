/* wijkbeeld: the panels that open and fold on a phone (assets/wijkbeeld.css, max-width 600px): the controls
   panel over the map and the legend. A button with data-toggle="<class>" data-target="<id>" switches that class on
   that element and tells assistive technology (aria-expanded on every button for it). The controls panel takes
   the focus when it opens, gives it back to its button when it closes, and closes with Escape. */
(function () {
  "use strict";

  function set(target, name, open) {
    target.classList.toggle(name, open);
    document.querySelectorAll('[data-toggle="' + name + '"][data-target="' + target.id + '"]')
      .forEach(function (button) {
        if (button.hasAttribute("aria-expanded")) { button.setAttribute("aria-expanded", String(open)); }
      });
    if (name === "controls-open") {
      var focus = document.getElementById(open ? "panel-close" : "panel-toggle");
      if (focus && focus.offsetParent !== null) { focus.focus(); }
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-toggle]");
    var target = button && document.getElementById(button.dataset.target);
    if (target) { set(target, button.dataset.toggle, !target.classList.contains(button.dataset.toggle)); }
  });

  document.addEventListener("keydown", function (event) {
    var layout = document.getElementById("layout");
    if (event.key === "Escape" && layout && layout.classList.contains("controls-open") &&
        !document.querySelector(".dash-dropdown-content")) {
      set(layout, "controls-open", false);
    }
  });
})();
