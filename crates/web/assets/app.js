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

  // While a customer types a ticket's subject, articles that may answer it are suggested.
  var subject = document.getElementById("subject");
  var box = document.getElementById("suggestions");
  if (subject && box) {
    var timer = null;
    subject.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = subject.value.trim();
        if (q.length < 3) { box.hidden = true; return; }
        fetch("/help/suggest?q=" + encodeURIComponent(q), { credentials: "same-origin" })
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (items) {
            box.textContent = "";
            if (!items.length) { box.hidden = true; return; }
            var intro = document.createElement("p");
            intro.textContent = box.getAttribute("data-intro");
            box.appendChild(intro);
            var list = document.createElement("ul");
            items.forEach(function (item) {
              var li = document.createElement("li");
              var a = document.createElement("a");
              a.href = item.url; a.textContent = item.title; a.target = "_blank"; a.rel = "noopener";
              li.appendChild(a); list.appendChild(li);
            });
            box.appendChild(list);
            box.hidden = false;
          })
          .catch(function () { box.hidden = true; });
      }, 250);
    });
  }

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
