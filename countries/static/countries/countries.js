// While a fetch of this country is in flight, follow it through the API and reload the page once it
// is finished (the card and the history then come from the server, as without JavaScript).
(function () {
  var box = document.getElementById("fetch-status");
  var url = box && box.dataset.active;
  if (!url) return;
  var status = box.querySelector("[data-testid=active-status]");
  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (body && body.finished) { window.location.reload(); return; }
        if (body && status) status.textContent = body.status;
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
