// Filters the offers list in place; the filter lives in the URL (?thema=..&sprache=..),
// so a filtered list can be bookmarked and shared. Without JavaScript the form stays
// hidden and the complete grouped list is shown.
(function () {
  "use strict";
  var form = document.querySelector("[data-ww-filter]");
  if (!form) return;
  var selects = Array.prototype.slice.call(form.querySelectorAll("select[data-key]"));
  var offers = Array.prototype.slice.call(document.querySelectorAll(".ww-group .ww-offer"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-ww-group]"));
  var count = form.querySelector("[data-ww-count]");

  function matches(offer) {
    return selects.every(function (select) {
      if (!select.value) return true;
      var values = (offer.getAttribute("data-" + select.dataset.key) || "").split(" ");
      if (select.dataset.key === "district") values = [offer.getAttribute("data-district")];
      return values.indexOf(select.value) !== -1;
    });
  }

  function apply() {
    var shown = 0;
    offers.forEach(function (offer) {
      var ok = matches(offer);
      offer.hidden = !ok;
      if (ok) shown += 1;
    });
    groups.forEach(function (group) {
      group.hidden = !group.querySelector(".ww-offer:not([hidden])");
    });
    var text = shown === 0 ? count.dataset.none
      : shown === 1 ? count.dataset.one : count.dataset.other.replace("{n}", String(shown));
    count.textContent = text;
  }

  function toUrl() {
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      if (select.value) params.set(select.name, select.value); else params.delete(select.name);
    });
    var query = params.toString();
    history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") +
      window.location.hash);
  }

  function fromUrl() {
    var params = new URLSearchParams(window.location.search);
    selects.forEach(function (select) {
      var value = params.get(select.name) || "";
      var known = Array.prototype.some.call(select.options, function (o) {
        return o.value === value;
      });
      select.value = known ? value : "";
    });
  }

  form.hidden = false;
  fromUrl();
  apply();
  form.addEventListener("change", function () { apply(); toUrl(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () {
    window.setTimeout(function () { apply(); toUrl(); }, 0);
  });
})();

// The language switcher leads to the same page in another language (the paths are the same
// in every language); it keeps the filter (?thema=..) and the #anchor of this one as well.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a.md-select__link") : null;
    if (!link || (!location.search && !location.hash)) return;
    var target = new URL(link.href);
    target.search = location.search;
    target.hash = location.hash;
    link.href = target.href;
  }, true);
})();
