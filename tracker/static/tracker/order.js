// The order page follows the order by itself, from the product's own API (no Domino's session to
// time out): every 3 s it reads /api/orders/{id}/stages/ and redraws the stage, the timeline and
// the texts, until tracking ended and no text is pending. Without JavaScript the page reloads
// itself every 15 s instead (<noscript> refresh).
(function () {
  "use strict";
  var box = document.getElementById("order");
  if (!box) return;
  var url = box.dataset.stagesUrl;

  function item(parts, className) {
    var li = document.createElement("li");
    if (className) li.className = className;
    parts.forEach(function (part) {
      var node = document.createElement(part[0]);
      node.textContent = part[1];
      if (part[2]) node.className = part[2];
      li.appendChild(node);
      li.appendChild(document.createTextNode(" "));
    });
    return li;
  }
  function field(name) { return document.querySelector("[data-field=" + name + "]"); }

  function draw(data) {
    var order = data.order;
    field("stage_label").textContent = order.stage_label;
    field("tracking_label").textContent = order.tracking_label;
    field("last_polled_at").textContent = order.last_polled_at_text || "not yet";
    var error = field("last_error");
    error.textContent = order.last_error;
    error.hidden = !order.last_error;
    box.className = box.className.replace(/tracking-\w+/g, "").trim() + " tracking-" + order.tracking;
    if (order.tracking !== "active" && field("stop")) field("stop").remove();
    var stages = field("stages");
    stages.replaceChildren.apply(stages, data.stages.length ? data.stages.map(function (s) {
      var parts = [["strong", s.stage_label]];
      if (s.stage_label !== s.stage) parts.push(["code", s.stage]);
      parts.push(["time", s.seen_at_text]);  // formatted by the server, in the user's zone
      return item(parts);
    }) : [item([["span", order.tracking === "active" ? "No stage yet: the first poll runs within a minute."
      : "No stage was seen before tracking ended."]], "muted empty")]);
    var texts = field("texts");
    texts.replaceChildren.apply(texts, data.texts.length ? data.texts.map(function (t) {
      var parts = [["strong", t.status], ["span", t.body]];
      if (t.error) parts.push(["span", t.error, "failure"]);
      return item(parts, "text-" + t.status);
    }) : [item([["span", "None yet."]], "muted empty")]);
    return order.tracking === "active" || order.texts_pending.length > 0;
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) { if (draw(data)) window.setTimeout(poll, 3000); })
      .catch(function () { window.setTimeout(poll, 10000); });
  }
  if (box.dataset.active === "true") window.setTimeout(poll, 1000);
})();
