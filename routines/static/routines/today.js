// Today page, progressive enhancement: without this file every checklist is a form with a Save
// button. With it, each tick is sent at once to the API toggle (one atomic DynamoDB update) and
// the "n/N done" counter follows, without a reload. A failed save puts the box back and says why.
(function () {
  "use strict";
  var status = document.querySelector(".js-status");

  function say(message) {
    if (!status) return;
    status.textContent = message || "";
    status.hidden = !message;
  }

  function firstError(data) {
    if (!data) return "";
    if (data.detail) return data.detail;
    for (var key in data) {
      var value = data[key];
      return Array.isArray(value) ? value.join(" ") : String(value);
    }
    return "";
  }

  document.querySelectorAll("form[data-toggle-url]").forEach(function (form) {
    var counter = form.querySelector("[data-counter]");
    var card = form.closest(".routine");
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    var newest = -1; // responses may arrive out of order: show the highest version only
    form.classList.add("enhanced");

    form.addEventListener("change", function (event) {
      var box = event.target;
      if (!box.matches("input[type=checkbox][name=checked]")) return;
      var done = box.checked;
      box.setAttribute("aria-busy", "true");
      fetch(form.dataset.toggleUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({ item: Number(box.value), done: done }),
      })
        .then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (data) {
            if (!response.ok) throw new Error(firstError(data) || "Could not save (" + response.status + ").");
            return data;
          });
        })
        .then(function (data) {
          say("");
          if (data.version < newest) return;
          newest = data.version;
          counter.textContent = data.done + "/" + data.total + " done";
          if (card) card.classList.toggle("complete", data.complete);
        })
        .catch(function (error) {
          box.checked = !done;
          say(error.message === "Failed to fetch" ? "You seem to be offline; that tick was not saved." : error.message);
        })
        .finally(function () { box.removeAttribute("aria-busy"); });
    });
  });

  // Drag and drop to reorder the routines (the Up/Down buttons do the same without JavaScript).
  var list = document.querySelector("ul.routines[data-reorder-url]");
  if (list) {
    var dragged = null;
    var csrfInput = document.querySelector("input[name=csrfmiddlewaretoken]");
    list.querySelectorAll(":scope > li.routine").forEach(function (card) {
      card.setAttribute("draggable", "true");
      card.addEventListener("dragstart", function () { dragged = card; card.classList.add("dragging"); });
      card.addEventListener("dragend", function () { card.classList.remove("dragging"); });
      card.addEventListener("dragover", function (event) {
        if (!dragged || dragged === card) return;
        event.preventDefault();
        var box = card.getBoundingClientRect();
        list.insertBefore(dragged, event.clientY > box.top + box.height / 2 ? card.nextSibling : card);
      });
      card.addEventListener("drop", function (event) { event.preventDefault(); });
    });
    list.addEventListener("drop", function () {
      if (!dragged) return;
      dragged = null;
      var ids = Array.prototype.map.call(list.querySelectorAll(":scope > li.routine"), function (card) {
        return Number(card.id.replace("routine-", ""));
      });
      (list.dataset.offIds || "").trim().split(/\s+/).forEach(function (id) { if (id) ids.push(Number(id)); });
      fetch(list.dataset.reorderUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfInput ? csrfInput.value : "" },
        body: JSON.stringify({ routines: ids }),
      }).then(function (response) {
        say(response.ok ? "" : "The new order was not saved; reload and try again.");
      }).catch(function () { say("You seem to be offline; the new order was not saved."); });
    });
  }
})();
