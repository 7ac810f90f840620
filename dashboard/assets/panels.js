/* wijkbeeld: the panels that open and fold on a phone (assets/wijkbeeld.css, max-width 600px): the controls
   panel over the map and the legend. A button with data-toggle="<class>" data-target="<id>" switches that class on
   that element and tells assistive technology (aria-expanded on every button for it). The controls panel takes
   the focus when it opens, gives it back to its button when it closes, and closes with Escape. The profile panel's
   clientside callbacks (namespace "panels"). */
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

  /* the profile as a panel (a sheet on a phone) that closes; focus goes to it when chosen from the search or the
     table, and back where it came from when closed (dashboard/callbacks.py) */
  var wijkbeeld = window.wijkbeeld = window.wijkbeeld || {};
  window.dash_clientside = Object.assign({}, window.dash_clientside, {
    panels: {
      profileClass: function (selected) {
        return selected ? "profile has-region" : "profile";
      },
      closeProfile: function () {
        /* back to where the region was chosen (the search, a row of the table), else to the search */
        var back = wijkbeeld.returnFocus, code = wijkbeeld.returnCode;
        wijkbeeld.returnFocus = wijkbeeld.returnCode = null;
        window.requestAnimationFrame(function () {
          var row = code && document.querySelector('#region-table tr[data-code="' + code + '"] button');
          var target = (back && document.body.contains(back)) ? back : row || document.getElementById("search");
          if (target) { target.focus(); }
        });
        return "";
      },
      searched: function (code) {
        var layout = document.getElementById("layout");
        if (code && layout && layout.classList.contains("controls-open")) {
          /* on a phone: back to the map, where the region (and its profile) will be */
          layout.classList.remove("controls-open");
          document.querySelectorAll('[data-toggle="controls-open"][aria-expanded]').forEach(function (b) {
            b.setAttribute("aria-expanded", "false");
          });
        }
        if (code) {
          wijkbeeld.focusProfile = true;
          wijkbeeld.returnFocus = document.getElementById("search");
          wijkbeeld.returnCode = null;
        }
        return window.dash_clientside.no_update;
      },
      profileShown: function () {
        if (wijkbeeld.focusProfile) {
          wijkbeeld.focusProfile = false;
          window.requestAnimationFrame(function () {
            var heading = document.getElementById("profile-name");
            if (heading) { heading.focus(); }
          });
        }
        return window.dash_clientside.no_update;
      }
    }
  });

  document.addEventListener("keydown", function (event) {
    var layout = document.getElementById("layout");
    if (event.key === "Escape" && layout && layout.classList.contains("controls-open") &&
        !document.querySelector(".dash-dropdown-content")) {
      set(layout, "controls-open", false);
    }
  });
})();
