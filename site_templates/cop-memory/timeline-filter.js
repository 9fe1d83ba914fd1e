/* cop-memory: filter a timeline page by community, cycle and kind, in the browser.
 *
 * Progressive enhancement: without JavaScript the form stays hidden and the page lists
 * everything. The choice is kept in the address (?community=&cycle=&kind=), so a filtered
 * view can be shared. Works with Material's instant navigation (document$) and without it.
 */
(function () {
  "use strict";

  var FIELDS = ["community", "cycle", "kind"];

  function matches(item, chosen) {
    var cycles = (item.getAttribute("data-cycles") || "").split(" ").filter(Boolean);
    if (chosen.community && item.getAttribute("data-community") !== chosen.community) return false;
    if (chosen.kind && item.getAttribute("data-kind") !== chosen.kind) return false;
    if (chosen.cycle === "none") return cycles.length === 0;
    return !chosen.cycle || cycles.indexOf(chosen.cycle) >= 0;
  }

  function setUp(form) {
    if (form.getAttribute("data-copmem-ready")) return;
    form.setAttribute("data-copmem-ready", "1");
    var root = form.closest(".copmem-timeline") || document;
    var items = Array.prototype.slice.call(root.querySelectorAll("li.copmem-item[data-kind]"));
    var count = form.querySelector(".copmem-filter__count");
    var params = new URLSearchParams(window.location.search);

    FIELDS.forEach(function (name) {
      var field = form.elements[name];
      if (field && params.get(name) && field.querySelector('option[value="' + CSS.escape(params.get(name)) + '"]')) {
        field.value = params.get(name);
      }
    });

    function apply(remember) {
      var chosen = {};
      FIELDS.forEach(function (name) { chosen[name] = form.elements[name] ? form.elements[name].value : ""; });
      var shown = 0;
      items.forEach(function (item) {
        var keep = matches(item, chosen);
        item.hidden = !keep;
        if (keep) shown += 1;
      });
      // A month, or a year, with nothing left to show is hidden with its heading.
      var years = {};
      root.querySelectorAll("ul[data-copmem-month]").forEach(function (list) {
        var month = list.getAttribute("data-copmem-month");
        var any = list.querySelector("li.copmem-item:not([hidden])") !== null;
        list.hidden = !any;
        root.querySelectorAll('h3[data-copmem-month="' + month + '"]').forEach(function (h) { h.hidden = !any; });
        var year = month.slice(0, 4);
        years[year] = years[year] || any;
      });
      root.querySelectorAll("[data-copmem-year]").forEach(function (element) {
        element.hidden = !years[element.getAttribute("data-copmem-year")];
      });
      count.textContent = shown === items.length
        ? "Showing all " + items.length + " entries on this page"
        : "Showing " + shown + " of " + items.length + " entries on this page";
      if (remember && window.history && window.history.replaceState) {
        var query = new URLSearchParams(window.location.search);
        FIELDS.forEach(function (name) { if (chosen[name]) query.set(name, chosen[name]); else query.delete(name); });
        var search = query.toString();
        window.history.replaceState(window.history.state, "",
          window.location.pathname + (search ? "?" + search : "") + window.location.hash);
      }
    }

    form.addEventListener("change", function () { apply(true); });
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(true); });
    form.hidden = false;
    apply(false);
  }

  function setUpAll() {
    document.querySelectorAll("form[data-copmem-filter]").forEach(setUp);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUpAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUpAll);
  } else {
    setUpAll();
  }
})();
