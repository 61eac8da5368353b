// Sign-up starts in the browser's time zone when it is one of the choices; without JavaScript the
// server's default stays selected, and the person can always pick another.
(function () {
  var select = document.getElementById("id_time_zone");
  var zone = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (!select || !zone) return;
  for (var i = 0; i < select.options.length; i++) {
    if (select.options[i].value === zone) { select.value = zone; return; }
  }
})();
