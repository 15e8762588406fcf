// atende's pages work without this file. It keeps SLA countdowns current and gives agents
// keyboard shortcuts: r reply, n internal note, a assign to me, j next ticket, / focus search.
(function () {
  "use strict";

  function span(minutes) {
    var d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60;
    if (d > 0) return d + " d " + h + " h";
    if (h > 0) return h + " h " + (m < 10 ? "0" : "") + m + " min";
    return m + " min";
  }

  var lang = document.documentElement.lang;
  var words = {
    es: ["vence en ", "vencido hace "],
    "pt-BR": ["vence em ", "vencido há "],
    en: ["due in ", "overdue by "]
  }[lang] || ["", "-"];

  function tick() {
    var now = Date.now();
    document.querySelectorAll("[data-due]").forEach(function (el) {
      var due = Number(el.getAttribute("data-due"));
      var minutes = Math.floor((due - now) / 60000);
      var late = minutes < 0;
      el.textContent = (late ? words[1] : words[0]) + span(Math.abs(minutes));
      el.classList.toggle("overdue", late);
    });
  }
  tick();
  setInterval(tick, 30000);

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    var t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
    var body = document.getElementById("body");
    if (e.key === "r" && body && document.getElementById("send-public")) {
      e.preventDefault(); body.focus(); body.dataset.mode = "public";
    } else if (e.key === "n" && body && document.getElementById("send-note")) {
      e.preventDefault(); body.focus(); body.dataset.mode = "internal";
      body.classList.add("noting");
    } else if (e.key === "a" && document.getElementById("take-form")) {
      e.preventDefault(); document.getElementById("take-form").submit();
    } else if (e.key === "j" && document.getElementById("next-ticket")) {
      e.preventDefault(); window.location = document.getElementById("next-ticket").href;
    }
  });

  // Ctrl+Enter in the composer sends as the mode chosen by r or n.
  var composer = document.getElementById("body");
  if (composer) {
    composer.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        var which = composer.dataset.mode === "internal" ? "send-note" : "send-public";
        var button = document.getElementById(which);
        if (button) { e.preventDefault(); button.click(); }
      }
    });
  }
})();
