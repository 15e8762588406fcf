// atende's web chat: one script tag puts the smart contact on any page.
//   <script src="https://support.example.com/chat/widget.js" defer></script>
// It talks over a WebSocket and falls back to asking the server again (long polling) where a
// WebSocket does not get through; every message has an id, so a reconnection asks for what came
// after the last one shown and nothing is lost.
(function () {
  "use strict";
  if (window.__atendeChat) return;
  window.__atendeChat = true;
  var script = document.currentScript;
  var base = new URL(script ? script.src : "/", location.href).origin;
  var lang = (document.documentElement.lang || navigator.language || "en").toLowerCase();
  var T = {
    es: { open: "Chatear con soporte", title: "Soporte", placeholder: "Escribe un mensaje", send: "Enviar",
      close: "Cerrar", typing: "escribiendo…", email: "Tu correo", askCode: "Enviarme un código",
      code: "El código recibido", check: "Confirmar", codeSent: "Si el correo tiene una cuenta, te enviamos un código.",
      offline: "Sin conexión; reintentando…", read: "Leído" },
    pt: { open: "Conversar com o suporte", title: "Suporte", placeholder: "Escreva uma mensagem", send: "Enviar",
      close: "Fechar", typing: "digitando…", email: "Seu e-mail", askCode: "Enviar um código",
      code: "O código recebido", check: "Confirmar", codeSent: "Se o e-mail tiver uma conta, enviamos um código.",
      offline: "Sem conexão; tentando de novo…", read: "Lido" },
    en: { open: "Chat with support", title: "Support", placeholder: "Write a message", send: "Send",
      close: "Close", typing: "typing…", email: "Your e-mail", askCode: "Send me a code",
      code: "The code you received", check: "Confirm", codeSent: "If the address has an account, we sent it a code.",
      offline: "Offline; trying again…", read: "Read" },
  };
  var t = T[lang.slice(0, 2)] || T.en;
  var KEY = "atende-chat-visitor";
  var visitor = null, last = 0, known = false, socket = null, polling = false, failures = 0, shown = {};

  var host = document.createElement("div");
  host.id = "atende-chat";
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  // The styles come as a file: pages that forbid inline styles (atende's own) still show them.
  var sheet = document.createElement("link");
  sheet.rel = "stylesheet";
  sheet.href = base + "/chat/widget.css";
  root.appendChild(sheet);
  var shell = document.createElement("div");
  root.appendChild(shell);
  shell.innerHTML =
    "<button class='launch' type='button'></button>" +
    "<section class='panel' role='dialog' aria-modal='false' hidden><header><span class='title'></span>" +
    "<button type='button' class='close'>×</button></header>" +
    "<div class='log' role='log' aria-live='polite'></div><div class='typing' aria-live='polite'></div>" +
    "<div class='who' hidden><form class='ask'><input type='email' name='email' required><button type='submit'></button></form>" +
    "<form class='check'><input name='code' inputmode='numeric' autocomplete='one-time-code' required><button type='submit'></button></form>" +
    "<div class='note'></div></div>" +
    "<form class='say'><input name='text' autocomplete='off' maxlength='5000'><button type='submit'></button></form></section>";
  var $ = function (sel) { return root.querySelector(sel); };
  $(".launch").textContent = t.open;
  $(".title").textContent = t.title;
  $(".close").setAttribute("aria-label", t.close);
  $(".panel").setAttribute("aria-label", t.title);
  $(".say input").placeholder = t.placeholder;
  $(".say input").setAttribute("aria-label", t.placeholder);
  $(".say button").textContent = t.send;
  $(".ask input").placeholder = t.email;
  $(".ask input").setAttribute("aria-label", t.email);
  $(".ask button").textContent = t.askCode;
  $(".check input").placeholder = t.code;
  $(".check input").setAttribute("aria-label", t.code);
  $(".check button").textContent = t.check;

  function api(path, body) {
    return fetch(base + "/api/v1/chat/" + path, {
      method: body ? "POST" : "GET",
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
      credentials: base === location.origin ? "same-origin" : "omit",
    }).then(function (r) {
      if (!r.ok && r.status !== 202 && r.status !== 204) return r.json().then(function (e) { throw e; });
      return r.status === 204 || r.status === 202 ? null : r.json();
    });
  }

  function add(m) {
    if (shown[m.id]) return;
    shown[m.id] = true;
    last = Math.max(last, m.id);
    var log = $(".log");
    var el = document.createElement("div");
    el.className = "msg " + (m.direction === "in" ? "in" : "out");
    el.dataset.id = m.id;
    el.textContent = m.text;
    if (m.options && m.options.length) {
      var opts = document.createElement("div");
      opts.className = "opts";
      m.options.forEach(function (o) {
        var b = document.createElement("button");
        b.type = "button";
        b.textContent = o.title;
        if (o.detail) {
          var small = document.createElement("small");
          small.textContent = o.detail;
          b.appendChild(small);
        }
        b.addEventListener("click", function () { say({ type: "choice", id: o.id, title: o.title }); });
        opts.appendChild(b);
      });
      el.appendChild(opts);
    }
    log.appendChild(el);
    log.scrollTop = log.scrollHeight;
    $(".typing").textContent = "";
    markRead();
  }

  function markRead() {
    if (!$(".panel").classList.contains("open") || !last) return;
    if (socket && socket.readyState === 1) socket.send(JSON.stringify({ type: "read", id: last }));
    else api("read", { visitor: visitor, up_to: last }).catch(function () {});
  }

  function say(frame) {
    if (socket && socket.readyState === 1) {
      socket.send(JSON.stringify(frame));
      return;
    }
    $(".typing").textContent = t.typing;
    var body = { visitor: visitor };
    if (frame.type === "choice") { body.choice = frame.id; body.title = frame.title; } else body.text = frame.text;
    api("messages", body).then(function (list) { list.forEach(add); }).catch(function (e) {
      $(".typing").textContent = (e && e.error && e.error.message) || t.offline;
    });
  }

  function connect() {
    if (polling) return poll();
    var url = base.replace(/^http/, "ws") + "/api/v1/chat/ws?visitor=" + encodeURIComponent(visitor) + "&after=" + last;
    var opened = false;
    try { socket = new WebSocket(url); } catch (e) { polling = true; return poll(); }
    socket.onopen = function () { opened = true; failures = 0; $(".typing").textContent = ""; };
    socket.onmessage = function (e) {
      var f = JSON.parse(e.data);
      if (f.type === "message") add(f);
      else if (f.type === "typing") $(".typing").textContent = t.typing;
      else if (f.type === "error") $(".typing").textContent = f.message;
    };
    socket.onclose = function () {
      socket = null;
      failures += 1;
      if (!opened && failures >= 2) { polling = true; return poll(); }
      $(".typing").textContent = t.offline;
      setTimeout(connect, Math.min(30000, 500 * Math.pow(2, failures)));
    };
  }

  function poll() {
    api("messages?visitor=" + encodeURIComponent(visitor) + "&after=" + last + "&wait=20")
      .then(function (list) { list.forEach(add); setTimeout(poll, 100); })
      .catch(function () { $(".typing").textContent = t.offline; setTimeout(poll, 3000); });
  }

  function start() {
    var kept = null;
    try { kept = localStorage.getItem(KEY); } catch (e) {}
    api("sessions", { visitor: kept }).then(function (s) {
      visitor = s.visitor;
      known = s.known;
      $(".who").hidden = known;
      try { localStorage.setItem(KEY, visitor); } catch (e) {}
      s.messages.forEach(add);
      if (!s.messages.length) say({ type: "text", text: "menu" });
      connect();
    }).catch(function () {
      try { localStorage.removeItem(KEY); } catch (e) {}
      $(".typing").textContent = t.offline;
    });
  }

  $(".launch").addEventListener("click", function () {
    $(".panel").hidden = false;
    $(".panel").classList.add("open");
    $(".launch").hidden = true;
    if (!visitor) start(); else markRead();
    $(".say input").focus();
  });
  $(".close").addEventListener("click", function () {
    $(".panel").classList.remove("open");
    $(".panel").hidden = true;
    $(".launch").hidden = false;
  });
  $(".say").addEventListener("submit", function (e) {
    e.preventDefault();
    var input = $(".say input");
    var text = input.value.trim();
    if (!text || !visitor) return;
    input.value = "";
    say({ type: "text", text: text });
  });
  $(".ask").addEventListener("submit", function (e) {
    e.preventDefault();
    api("code", { visitor: visitor, email: $(".ask input").value }).then(function () {
      $(".note").textContent = t.codeSent;
    }).catch(function (err) { $(".note").textContent = (err && err.error && err.error.message) || t.offline; });
  });
  $(".check").addEventListener("submit", function (e) {
    e.preventDefault();
    api("code/check", { visitor: visitor, code: $(".check input").value }).then(function () {
      known = true;
      $(".who").hidden = true;
      say({ type: "text", text: "menu" });
    }).catch(function (err) { $(".note").textContent = (err && err.error && err.error.message) || t.offline; });
  });
  (document.body || document.documentElement).appendChild(host);
})();
