// "My orders" keeps each order's stage live: every 5 s, while an order on the page is still being
// tracked, the same page of /api/orders/ is read and each order's stage and state redrawn in place
// (the form above is never reloaded, so nothing typed is lost).
(function () {
  "use strict";
  var list = document.querySelector("[data-orders-url]");
  if (!list) return;

  function poll() {
    fetch(list.dataset.ordersUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (body) {
        var active = false;
        body.results.forEach(function (order) {
          var item = list.querySelector("[data-order-id='" + order.id + "']");
          if (!item) return;
          item.querySelector("[data-field=stage]").textContent = order.stage_label;
          item.querySelector("[data-field=tracking]").textContent = order.tracking_label;
          item.className = item.className.replace(/tracking-\w+/g, "").trim() + " tracking-" + order.tracking;
          if (order.tracking === "active") active = true;
        });
        if (active) window.setTimeout(poll, 5000);
      })
      .catch(function () { window.setTimeout(poll, 15000); });
  }
  if (list.querySelector(".tracking-active")) window.setTimeout(poll, 5000);
})();
