// Keeps a page live: when the server announces a change (server-sent events on /live), the page
// fetches its main content again and swaps it in, keeping open what the reader had opened.
(function () {
  "use strict";
  var main = document.getElementById("main");
  if (!main || !main.hasAttribute("data-live") || !window.EventSource) {
    return;
  }
  var run = main.getAttribute("data-run") || "";
  var source = new EventSource("/live" + (run ? "?run=" + encodeURIComponent(run) : ""));
  var busy = false;
  var again = false;

  function openDetails() {
    var ids = [];
    main.querySelectorAll("details[open][id]").forEach(function (d) { ids.push(d.id); });
    return ids;
  }

  // Someone using a form of the page (typing a filter, pressing Cancel) keeps it until they leave it.
  function editing() {
    var active = document.activeElement;
    return active && main.contains(active) && /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(active.tagName);
  }

  function refresh() {
    if (busy) {
      again = true;
      return;
    }
    if (editing()) {
      setTimeout(refresh, 1000);
      return;
    }
    busy = true;
    var open = openDetails();
    fetch(window.location.href, { headers: { "X-Opflow-Fragment": "main" } })
      .then(function (response) { return response.ok ? response.text() : null; }) // 404: not yet
      .then(function (html) {
        if (html !== null) {
          main.innerHTML = html;
          open.forEach(function (id) {
            var d = document.getElementById(id);
            if (d) { d.open = true; }
          });
          main.setAttribute("data-refreshed", String(Date.now()));
        }
      })
      .catch(function () { /* the next change tries again */ })
      .finally(function () {
        busy = false;
        if (again) {
          again = false;
          refresh();
        }
      });
  }

  source.addEventListener("change", refresh);
})();
