// Live progress of scrapes, progressive enhancement: without this file a page with a running
// scrape reloads itself every few seconds (<noscript> refresh). With it, each unfinished run's
// counts are fetched from its API every second and updated in place; on a run's own page the
// errors list is redrawn (from the page itself) whenever the error count moved, so the count and
// the list agree; when a run finishes, a run's own page reloads once to show its errors and links.
(function () {
  "use strict";
  var FIELDS = ["rows_seen", "rows_sent", "rows_stored", "error_count"];

  function statusText(run) {
    return run.interrupted ? "interrupted" : run.status;
  }

  function update(box, run) {
    FIELDS.forEach(function (name) {
      var cell = box.querySelector("[data-field=" + name + "]");
      if (cell) cell.textContent = run[name];
    });
    var status = box.querySelector("[data-field=status]");
    if (status) status.textContent = statusText(run);
    var bar = box.parentElement.querySelector("progress[data-field=progress_percent]");
    if (bar) { bar.value = run.progress_percent; bar.textContent = run.progress_percent + "%"; }
    var card = box.closest(".run");
    if (card) card.className = card.className.replace(/status-\w+/g, "").trim() + " status-" + statusText(run);
  }

  var refreshing = false;
  function refreshErrors() {
    var list = document.getElementById("run-errors");
    if (!list || refreshing) return;
    refreshing = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("run-errors");
        if (fresh) list.replaceWith(fresh);
      })
      .catch(function () {})
      .then(function () { refreshing = false; });
  }

  function follow(box) {
    var url = box.dataset.runUrl;
    function poll() {
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (!response.ok) throw new Error(response.status);
          return response.json();
        })
        .then(function (run) {
          update(box, run);
          if (String(run.error_count) !== box.dataset.errorCount && box.closest("[data-reload-when-finished]")) {
            box.dataset.errorCount = String(run.error_count);
            refreshErrors();
          }
          if (!run.finished) return window.setTimeout(poll, 1000);
          box.dataset.finished = "true";
          if (box.closest("[data-reload-when-finished]")) window.location.reload();
        })
        .catch(function () { window.setTimeout(poll, 3000); });
    }
    window.setTimeout(poll, 500);
  }

  document.querySelectorAll("[data-run-url][data-finished=false]").forEach(follow);
})();
