/* wijkbeeld: what Dash 4's own form components get wrong for assistive technology, repaired in the DOM.

   - dcc.Dropdown names its button by its own value (aria-labelledby="<id>-value-count <id>-value"), so a
     screen reader hears "Armoede", not "Thema": the button is named by its <label for> and its value.
   - dcc.Dropdown puts an aria-hidden input in the tab order (for Safari) that forwards focus to the button:
     the input is taken out (disabled) and the button itself is put in the tab order.
   - dcc.RadioItems, dcc.Checklist and the open list of a dcc.Dropdown wrap native inputs in role="listbox"/"option": nested interactive
     controls that no screen reader announces as radio buttons. The roles are removed and the group is named
     by its label (a radiogroup or group of native inputs); the dropdown's popup (a dialog) is named by the
     dropdown's label.
   - dcc.Dropdown leaves the focus on its button when it opens, and only moves it to its search field a frame after
     the first key is released there: a second key pressed in that frame is lost ("kade" becomes "kde"). When a
     searchable dropdown opens from its focused button, its search field takes the focus at once (not on a touch
     screen, where that would raise the on-screen keyboard for every choice).

   React only writes an attribute again when its own prop changes, so each repair holds until Dash
   re-renders the component with new props (aria-selected on a choice): the observer repairs that too. */
(function () {
  "use strict";

  function labelOf(id) {
    var label = id && document.querySelector('label[for="' + CSS.escape(id) + '"]');
    if (label && !label.id) { label.id = id + "-label"; }
    return label;
  }

  function legendOf(element) {
    var fieldset = element.closest("fieldset");
    var legend = fieldset && fieldset.querySelector("legend");
    if (legend && !legend.id) { legend.id = (element.id || "choices") + "-legend"; }
    return legend;
  }

  /* the label of the dropdown whose open list (or popup) this element is part of */
  function dropdownLabelOf(element) {
    var wrapper = element.closest(".dash-dropdown-wrapper");
    var button = wrapper && wrapper.querySelector("button.dash-dropdown[id]");
    return button ? labelOf(button.id) : null;
  }

  var touch = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;

  function repairPopup(popup) {
    var label = dropdownLabelOf(popup);
    if (label && popup.getAttribute("aria-labelledby") !== label.id) {
      popup.setAttribute("aria-labelledby", label.id);
    }
    var field = popup.querySelector("input.dash-dropdown-search");
    var wrapper = popup.closest(".dash-dropdown-wrapper");
    if (field && !touch && !popup.dataset.focused && wrapper && wrapper.contains(document.activeElement) &&
        document.activeElement.matches("button.dash-dropdown")) {
      popup.dataset.focused = "1";
      field.focus();
    }
  }

  function repairDropdown(button) {
    var label = labelOf(button.id);
    var wanted = (label ? label.id + " " : "") + button.id + "-value";
    if (button.getAttribute("aria-labelledby") !== wanted) { button.setAttribute("aria-labelledby", wanted); }
    if (button.tabIndex !== 0 && !button.disabled) { button.tabIndex = 0; }
    var dummy = button.previousElementSibling;
    if (dummy && dummy.classList.contains("dash-dropdown-focus-target") && !dummy.disabled) {
      dummy.disabled = true;
    }
  }

  function repairChoices(list) {
    var radio = list.querySelector("input[type=radio]") !== null;
    var role = radio ? "radiogroup" : "group";
    if (list.getAttribute("role") !== role) { list.setAttribute("role", role); }
    var heading = labelOf(list.id) || legendOf(list) || dropdownLabelOf(list);
    if (heading && list.getAttribute("aria-labelledby") !== heading.id) {
      list.setAttribute("aria-labelledby", heading.id);
    }
    list.querySelectorAll(".dash-options-list-option").forEach(function (option) {
      if (option.hasAttribute("role")) { option.removeAttribute("role"); }
      if (option.hasAttribute("aria-selected")) { option.removeAttribute("aria-selected"); }
    });
  }

  function repair(root) {
    if (!root.querySelectorAll) { return; }
    root.querySelectorAll("button.dash-dropdown[id]").forEach(repairDropdown);
    root.querySelectorAll(".dash-options-list").forEach(repairChoices);
    root.querySelectorAll(".dash-dropdown-content").forEach(repairPopup);
  }

  var scheduled = false;
  function schedule() {
    if (scheduled) { return; }
    scheduled = true;
    /* a microtask: after React's commit, before the browser paints or anyone reads the tree */
    Promise.resolve().then(function () { scheduled = false; repair(document); });
  }

  function start() {
    repair(document);
    new MutationObserver(schedule).observe(document.body, {
      childList: true, subtree: true, attributes: true,
      attributeFilter: ["role", "aria-selected", "aria-labelledby", "tabindex"]});
  }

  window.wijkbeeld = window.wijkbeeld || {};
  window.wijkbeeld.repairA11y = repair;
  if (document.body) { start(); } else { document.addEventListener("DOMContentLoaded", start); }
})();
