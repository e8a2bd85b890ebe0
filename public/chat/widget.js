/*
 * Tierline web chat widget. Embed with one tag:
 *   <script src="https://tierline.example/chat/widget.js" data-tierline-team="Frontline" async></script>
 * Optional: data-tierline-title="Talk to us" (the button's label).
 * Plain JavaScript, no dependencies; everything lives in a shadow root, so the host page's styles and the
 * widget's do not touch each other. Visitor and agent text is only ever set as text (textContent), never as HTML.
 */
/* global window, document, localStorage, fetch, EventSource, URL */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector('script[src*="/chat/widget.js"]');
  if (!script || window.__tierlineChat) return;
  window.__tierlineChat = true;

  var api = new URL(script.src, document.baseURI).origin + "/api/v1/chat/conversations";
  var team = script.getAttribute("data-tierline-team") || "";
  var label = script.getAttribute("data-tierline-title") || "Chat with us";
  var storageKey = "tierline-chat:" + api + ":" + team;

  var CSS =
    ":host{all:initial;position:fixed;right:20px;bottom:20px;z-index:2147483000;font:14px/1.4 system-ui,-apple-system,'Segoe UI',sans-serif;color:#1f2933}" +
    "*{box-sizing:border-box;font:inherit}" +
    ".launcher{border:0;border-radius:24px;padding:12px 18px;background:#2563eb;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.2)}" +
    ".launcher.unread::after{content:'';display:inline-block;width:8px;height:8px;margin-left:8px;border-radius:50%;background:#fbbf24}" +
    ".panel{display:none;flex-direction:column;width:330px;height:460px;max-height:80vh;background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);overflow:hidden}" +
    ":host(.open) .panel{display:flex}:host(.open) .launcher{display:none}" +
    "header{display:flex;justify-content:space-between;align-items:center;padding:10px 14px;background:#2563eb;color:#fff;font-weight:600}" +
    "header button{border:0;background:none;color:#fff;font-size:20px;line-height:1;cursor:pointer}" +
    ".log{flex:1;overflow-y:auto;padding:10px 12px}" +
    ".msg{margin:6px 0;max-width:85%;padding:7px 10px;border-radius:10px;background:#eef2f7;white-space:pre-wrap;overflow-wrap:anywhere}" +
    ".msg.visitor{margin-left:auto;background:#2563eb;color:#fff}" +
    ".who{display:block;font-size:11px;opacity:.75}" +
    ".notice{padding:6px 12px;font-size:12px;color:#b42318}.notice:empty{display:none}" +
    "form{display:flex;flex-direction:column;gap:6px;padding:10px 12px;border-top:1px solid #e5e7eb}" +
    "input,textarea{width:100%;padding:7px 8px;border:1px solid #cbd2d9;border-radius:6px;color:#1f2933;background:#fff}" +
    "textarea{resize:vertical;min-height:54px}" +
    "form button{align-self:flex-end;border:0;border-radius:6px;padding:7px 14px;background:#2563eb;color:#fff;cursor:pointer}" +
    "form button:disabled{opacity:.6;cursor:default}[hidden]{display:none!important}";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var name in attrs || {}) node.setAttribute(name, attrs[name]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function field(form, tag, name, text, attrs) {
    var input = el(tag, Object.assign({ name: name, "aria-label": text, placeholder: text, required: "" }, attrs || {}));
    form.appendChild(input);
    return input;
  }

  var host = el("div", { "data-tierline-chat": "" });
  var root = host.attachShadow({ mode: "open" });
  root.appendChild(el("style", {}, CSS));
  var launcher = el("button", { class: "launcher", type: "button", "aria-expanded": "false" }, label);
  var panel = el("div", { class: "panel", role: "dialog", "aria-label": label });
  var header = el("header", {}, label);
  var closeButton = el("button", { type: "button", "aria-label": "Close chat" }, "×");
  header.appendChild(closeButton);
  var log = el("div", { class: "log", role: "log", "aria-live": "polite" });
  var notice = el("div", { class: "notice", role: "status" });
  var startForm = el("form", { class: "start" });
  var nameInput = field(startForm, "input", "name", "Your name", { autocomplete: "name", maxlength: "200" });
  var emailInput = field(startForm, "input", "email", "Your e-mail", { type: "email", autocomplete: "email", maxlength: "320" });
  var firstInput = field(startForm, "textarea", "message", "How can we help?", { maxlength: "10000" });
  var startButton = startForm.appendChild(el("button", { type: "submit" }, "Start chat"));
  var composeForm = el("form", { class: "compose", hidden: "" });
  var messageInput = field(composeForm, "textarea", "body", "Type a message", { maxlength: "10000" });
  var sendButton = composeForm.appendChild(el("button", { type: "submit" }, "Send"));
  [header, log, notice, startForm, composeForm].forEach(function (part) {
    panel.appendChild(part);
  });
  root.appendChild(launcher);
  root.appendChild(panel);

  var state = load(); // {id, token} of the conversation, kept across page loads
  var seen = {};
  var lastEventId = 0;
  var source = null;

  function load() {
    try {
      var saved = JSON.parse(localStorage.getItem(storageKey) || "null");
      return saved && saved.id && saved.token ? saved : null;
    } catch {
      return null;
    }
  }
  function save(value) {
    state = value;
    try {
      if (value) localStorage.setItem(storageKey, JSON.stringify(value));
      else localStorage.removeItem(storageKey);
    } catch {
      /* storage disabled: the conversation lasts as long as the page */
    }
  }

  function setOpen(open) {
    host.classList.toggle("open", open);
    launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      launcher.classList.remove("unread");
      (state ? messageInput : nameInput).focus();
    }
  }
  launcher.addEventListener("click", function () {
    setOpen(true);
  });
  closeButton.addEventListener("click", function () {
    setOpen(false);
  });

  function showMessage(m) {
    if (seen[m.id]) return;
    seen[m.id] = true;
    var item = el("div", { class: "msg " + (m.from === "visitor" ? "visitor" : "agent") });
    if (m.from !== "visitor" && m.authorName) item.appendChild(el("span", { class: "who" }, m.authorName));
    item.appendChild(document.createTextNode(m.body));
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    if (m.from !== "visitor" && !host.classList.contains("open")) launcher.classList.add("unread");
  }

  function request(method, path, body) {
    var headers = { accept: "application/json" };
    if (body) headers["content-type"] = "application/json";
    if (state) headers["x-tierline-chat-token"] = state.token;
    return fetch(api + path, { method: method, headers: headers, body: body ? JSON.stringify(body) : undefined }).then(function (res) {
      return res.json().then(
        function (json) {
          return { status: res.status, body: json };
        },
        function () {
          return { status: res.status, body: {} };
        },
      );
    });
  }

  function showConversation(history) {
    startForm.hidden = true;
    composeForm.hidden = false;
    history.messages.forEach(showMessage);
    lastEventId = Math.max(lastEventId, history.lastEventId);
    if (history.conversation.status === "closed") return ended();
    follow();
  }

  // Agent replies arrive on the conversation's event stream; the browser reconnects by itself, resuming
  // after the last event id it received.
  function follow() {
    if (source) source.close();
    source = new EventSource(api + "/" + state.id + "/stream?token=" + encodeURIComponent(state.token) + "&lastEventId=" + lastEventId);
    function onMessage(e) {
      var event = JSON.parse(e.data);
      lastEventId = Math.max(lastEventId, event.id);
      var m = event.message;
      if (m) showMessage({ id: m.id, from: m.kind === "customer" ? "visitor" : "agent", authorName: m.authorName, body: m.body });
    }
    source.addEventListener("message.public", onMessage);
    source.addEventListener("message.customer", onMessage);
    source.addEventListener("ticket.status_changed", function (e) {
      var event = JSON.parse(e.data);
      lastEventId = Math.max(lastEventId, event.id);
      if (event.data && event.data.status && event.data.status.to === "closed") ended();
    });
    source.addEventListener("resync", restore);
    source.addEventListener("error", function () {
      // A refused stream (the conversation is gone) is not retried by the browser: find out why.
      if (source && source.readyState === EventSource.CLOSED) restore();
    });
  }

  function ended() {
    if (source) source.close();
    source = null;
    save(null);
    notice.textContent = "This conversation has ended. Write again to start a new one.";
    composeForm.hidden = true;
    startForm.hidden = false;
  }

  function restore() {
    if (!state) return;
    request("GET", "/" + state.id).then(
      function (res) {
        if (res.status === 200) showConversation(res.body);
        else if (res.status === 401 || res.status === 404) ended();
      },
      function () {
        notice.textContent = "Chat is unavailable right now.";
      },
    );
  }

  function problemText(res) {
    return (res.body && res.body.detail) || "Something went wrong; please try again.";
  }

  startForm.addEventListener("submit", function (e) {
    e.preventDefault();
    startButton.disabled = true;
    notice.textContent = "";
    var body = { name: nameInput.value, email: emailInput.value, message: firstInput.value };
    if (team) body.team = team;
    save(null);
    request("POST", "", body)
      .then(function (res) {
        if (res.status !== 201) {
          notice.textContent = problemText(res);
          return;
        }
        log.textContent = "";
        seen = {};
        save({ id: res.body.conversation.id, token: res.body.token });
        firstInput.value = "";
        showConversation(res.body);
        // Until the address is confirmed, the chat is not connected to the customer who has it.
        if (res.body.verificationMailSent) notice.textContent = "We sent a link to " + body.email + ": open it to connect this chat to your customer account.";
        messageInput.focus();
      })
      .catch(function () {
        notice.textContent = "Chat is unavailable right now.";
      })
      .then(function () {
        startButton.disabled = false;
      });
  });

  composeForm.addEventListener("submit", function (e) {
    e.preventDefault();
    if (!state || !messageInput.value.trim()) return;
    sendButton.disabled = true;
    notice.textContent = "";
    request("POST", "/" + state.id + "/messages", { body: messageInput.value })
      .then(function (res) {
        if (res.status === 201) {
          messageInput.value = "";
          showMessage(res.body);
        } else if (res.status === 409 || res.status === 404 || res.status === 401) ended();
        else notice.textContent = problemText(res);
      })
      .catch(function () {
        notice.textContent = "Your message was not sent; please try again.";
      })
      .then(function () {
        sendButton.disabled = false;
      });
  });
  messageInput.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      composeForm.requestSubmit();
    }
  });

  function mount() {
    document.body.appendChild(host);
    restore();
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
