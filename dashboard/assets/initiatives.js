/* Initiatives: a marker per initiative, coloured and lettered by theme, with a popup of plain text. */
(function () {
  "use strict";
  var wijkbeeld = window.wijkbeeld = window.wijkbeeld || {};   // assets load in name order: before wijkbeeld.js

  function add(parent, tag, content, className) {
    if (content === null || content === undefined || content === "") { return null; }
    var element = document.createElement(tag);
    element.textContent = content;  // initiative texts come from files: never innerHTML
    if (className) { element.className = className; }
    parent.appendChild(element);
    return element;
  }

  wijkbeeld.initiativeMarker = function (feature, latlng) {
    var props = feature.properties;
    var badge = document.createElement("span");
    badge.className = "initiative-marker";
    badge.style.backgroundColor = /^#[0-9A-Fa-f]{6}$/.test(props.colour) ? props.colour : "#BBBBBB";
    badge.textContent = props.letter;
    var icon = L.divIcon({html: badge, className: "initiative-icon", iconSize: [22, 22], iconAnchor: [11, 11]});
    return L.marker(latlng, {icon: icon, title: props.name || "", alt: props.name || "", keyboard: true});
  };

  wijkbeeld.initiativePopup = function (feature, layer) {
    if (feature.properties.cluster) { return; }
    layer.bindPopup(function () {
      var props = feature.properties;
      var box = document.createElement("div");
      box.className = "initiative-popup";
      box.setAttribute("role", "dialog");
      add(box, "h3", props.name);
      add(box, "p", props.organisation, "initiative-organisation");
      add(box, "p", [props.status, [props.start, props.end].filter(Boolean).join(" – ")].filter(Boolean).join(" · "),
          "initiative-meta");
      add(box, "p", props.description, "initiative-description");
      if (props.serves) {   /* the wijkagenda item it serves, after the page's word for that (ids.SERVES_WORD) */
        var word = document.getElementById("word-serves");
        add(box, "p", (word ? word.textContent + ": " : "") + props.serves, "initiative-serves");
      }
      return box;
    });
  };
})();
