// runlift demo: a Telegram-like chat with the real bot, through the local Bot API server.
// No framework, no build step. Message text is rendered from Telegram entities with
// createElement/textContent only, so nothing a message contains is ever parsed as HTML.
"use strict";

(() => {
  const STORE_KEY = "runlift-demo-runner";
  const NAMES = ["Alex", "Sam", "Jo", "Kim", "Robin", "Charlie", "Noor", "Mika", "Tess", "Ravi"];
  const $ = (id) => document.getElementById(id);

  const state = {
    runner: null,
    zone: "UTC",
    clock: null, // {nowMs, at}: bot time nowMs at performance.now() == at
    messages: new Map(), // message_id -> message view
    nodes: new Map(), // message_id -> row element
    replyTo: null,
    ws: null,
    retry: 0,
    commands: [],
    actionTimer: null,
  };

  // ---------------------------------------------------------------- identity

  function loadRunner() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(STORE_KEY) || "null");
      if (saved && Number.isInteger(saved.id) && saved.id > 0) return saved;
    } catch (_) { /* a fresh runner below */ }
    const id = 100000 + Math.floor(Math.random() * 2000000000);
    const name = NAMES[Math.floor(Math.random() * NAMES.length)];
    const runner = { id: Math.min(id, 2147483647), name };
    sessionStorage.setItem(STORE_KEY, JSON.stringify(runner));
    return runner;
  }

  // ---------------------------------------------------------------- HTTP helpers

  async function post(url, body) {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    let data = null;
    try { data = await response.json(); } catch (_) { data = null; }
    if (!response.ok) {
      const text = (data && data.description) || response.statusText || "request failed";
      throw new Error(text);
    }
    return data;
  }

  // ---------------------------------------------------------------- formatting

  const ENTITY_TAGS = {
    bold: "b", italic: "i", underline: "u", strikethrough: "s", spoiler: "span",
    code: "code", pre: "pre", text_link: "a", url: "a", blockquote: "blockquote",
    expandable_blockquote: "blockquote", email: "a",
  };

  function safeHref(url) {
    try {
      const parsed = new URL(url, window.location.href);
      if (["http:", "https:", "mailto:"].includes(parsed.protocol)) return parsed.href;
    } catch (_) { /* not a URL */ }
    return null;
  }

  function elementFor(entity, slice) {
    const tag = ENTITY_TAGS[entity.type];
    if (tag === "a") {
      let href = entity.type === "text_link" ? entity.url : slice;
      if (entity.type === "email") href = "mailto:" + slice;
      else if (entity.type === "url" && !/^[a-z]+:/i.test(slice)) href = "https://" + slice;
      const safe = safeHref(href || "");
      if (!safe) return document.createElement("span");
      const a = document.createElement("a");
      a.href = safe;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      return a;
    }
    const el = document.createElement(tag);
    if (entity.type === "spoiler") {
      el.className = "spoiler";
      el.addEventListener("click", () => el.classList.add("revealed"));
    }
    if (entity.type === "bot_command") el.className = "command";
    return el;
  }

  function build(parent, text, entities, start, end) {
    let pos = start;
    let i = 0;
    while (i < entities.length) {
      const entity = entities[i];
      if (entity.offset >= end) break;
      if (entity.offset < pos) { i += 1; continue; } // overlapping: Telegram never sends these
      const stop = Math.min(entity.offset + entity.length, end);
      parent.appendChild(document.createTextNode(text.slice(pos, entity.offset)));
      const inner = [];
      let j = i + 1;
      while (j < entities.length && entities[j].offset < entity.offset + entity.length) {
        inner.push(entities[j]);
        j += 1;
      }
      const el = elementFor(entity, text.slice(entity.offset, stop));
      build(el, text, inner, entity.offset, stop);
      parent.appendChild(el);
      pos = stop;
      i = j;
    }
    parent.appendChild(document.createTextNode(text.slice(pos, end)));
  }

  // Text plus Telegram entities (offsets in UTF-16 units, as JavaScript strings count them).
  function renderRich(text, entities) {
    const fragment = document.createDocumentFragment();
    const known = (entities || [])
      .filter((e) => ENTITY_TAGS[e.type] || e.type === "bot_command")
      .map((e) => ({ ...e, offset: Number(e.offset) || 0, length: Number(e.length) || 0 }))
      .sort((a, b) => a.offset - b.offset || b.length - a.length);
    build(fragment, text || "", known, 0, (text || "").length);
    return fragment;
  }

  function clockFormat(options) {
    try {
      return new Intl.DateTimeFormat("en-GB", { timeZone: state.zone, ...options });
    } catch (_) {
      return new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", ...options });
    }
  }

  function timeOf(seconds) {
    return clockFormat({ hour: "2-digit", minute: "2-digit" }).format(new Date(seconds * 1000));
  }

  function sizeOf(bytes) {
    if (!bytes && bytes !== 0) return "";
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }

  // ---------------------------------------------------------------- messages

  const list = $("messages");
  const chat = $("chat");

  function nearBottom() {
    return chat.scrollHeight - chat.scrollTop - chat.clientHeight < 120;
  }

  function scrollDown() {
    chat.scrollTop = chat.scrollHeight;
  }

  function previewText(message) {
    if (!message) return "";
    if (message.text) return message.text;
    if (message.caption) return message.caption;
    if (message.photo) return "🖼 Photo";
    if (message.document) return "📄 " + (message.document.file_name || "File");
    return "";
  }

  function renderMessage(message) {
    const row = document.createElement("div");
    row.className = "row " + (message.from_bot ? "in" : "out");
    row.dataset.messageId = String(message.message_id);

    const bubble = document.createElement("div");
    bubble.className = "bubble";
    if (message.photo) bubble.classList.add("has-photo");

    if (message.reply_to_message_id) {
      const quoted = state.messages.get(message.reply_to_message_id);
      const quote = document.createElement("div");
      quote.className = "quote";
      const who = document.createElement("div");
      who.className = "quote-who";
      who.textContent = quoted && !quoted.from_bot ? state.runner.name : "runlift";
      const what = document.createElement("div");
      what.className = "quote-text";
      what.textContent = previewText(quoted).slice(0, 120) || "Message";
      quote.append(who, what);
      bubble.appendChild(quote);
    }

    if (message.photo && message.file_url) {
      const link = document.createElement("a");
      link.href = message.file_url;
      link.target = "_blank";
      link.rel = "noopener";
      const img = document.createElement("img");
      img.className = "photo";
      img.alt = message.caption || "Photo";
      img.src = message.file_url;
      const size = message.photo[message.photo.length - 1];
      if (size && size.width && size.height) {
        img.style.aspectRatio = `${size.width} / ${size.height}`;
      }
      img.addEventListener("load", () => {
        if (list.lastElementChild === row || nearBottom()) scrollDown();
      });
      link.appendChild(img);
      bubble.appendChild(link);
    }

    if (message.document && message.file_url) {
      const doc = document.createElement("a");
      doc.className = "document";
      doc.href = message.file_url;
      doc.setAttribute("download", message.document.file_name || "file");
      const icon = document.createElement("span");
      icon.className = "doc-icon";
      icon.textContent = "⬇";
      const info = document.createElement("span");
      info.className = "doc-info";
      const name = document.createElement("span");
      name.className = "doc-name";
      name.textContent = message.document.file_name || "file";
      const meta = document.createElement("span");
      meta.className = "doc-meta";
      meta.textContent = [sizeOf(message.document.file_size), message.document.mime_type]
        .filter(Boolean).join(" · ");
      info.append(name, meta);
      doc.append(icon, info);
      bubble.appendChild(doc);
    }

    const body = message.text != null ? message.text : message.caption;
    const entities = message.text != null ? message.entities : message.caption_entities;
    if (body) {
      const text = document.createElement("div");
      text.className = "text";
      text.appendChild(renderRich(body, entities));
      bubble.appendChild(text);
    }
    if (message.location) {
      const loc = document.createElement("div");
      loc.className = "text";
      loc.textContent = `📍 ${message.location.latitude.toFixed(4)}, ` +
        `${message.location.longitude.toFixed(4)}`;
      bubble.appendChild(loc);
    }

    const meta = document.createElement("span");
    meta.className = "meta";
    meta.textContent = (message.edit_date ? "edited " : "") + timeOf(message.date) +
      (message.from_bot ? "" : " ✓✓");
    bubble.appendChild(meta);

    const reply = document.createElement("button");
    reply.type = "button";
    reply.className = "reply-button";
    reply.title = "Reply";
    reply.setAttribute("aria-label", "Reply");
    reply.textContent = "↩";
    reply.addEventListener("click", () => startReply(message.message_id));

    const column = document.createElement("div");
    column.className = "column";
    column.appendChild(bubble);

    const rows = (message.reply_markup && message.reply_markup.inline_keyboard) || [];
    if (rows.length) {
      const keyboard = document.createElement("div");
      keyboard.className = "keyboard";
      for (const buttons of rows) {
        const line = document.createElement("div");
        line.className = "kb-row";
        for (const button of buttons) {
          const b = document.createElement("button");
          b.type = "button";
          b.className = "kb-button";
          b.textContent = button.text;
          if (button.callback_data != null) {
            b.addEventListener("click", () => press(message.message_id, button.callback_data, b));
          } else if (button.url && safeHref(button.url)) {
            b.classList.add("kb-link");
            b.addEventListener("click", () => window.open(safeHref(button.url), "_blank",
                                                           "noopener"));
          } else {
            b.disabled = true;
          }
          line.appendChild(b);
        }
        keyboard.appendChild(line);
      }
      column.appendChild(keyboard);
    }

    row.append(column, reply);
    return row;
  }

  function upsert(message) {
    if (message.deleted) { remove(message.message_id); return; }
    const empty = $("empty");
    if (empty) empty.remove();
    const stick = nearBottom();
    state.messages.set(message.message_id, message);
    const node = renderMessage(message);
    const old = state.nodes.get(message.message_id);
    if (old) {
      old.replaceWith(node);
    } else {
      let before = null;
      for (const [id, el] of state.nodes) {
        if (id > message.message_id && (!before || id < Number(before.dataset.messageId))) {
          before = el;
        }
      }
      list.insertBefore(node, before);
      if (message.from_bot) setStatus("bot");
    }
    state.nodes.set(message.message_id, node);
    if (stick || !old) scrollDown();
  }

  function remove(messageId) {
    const node = state.nodes.get(messageId);
    if (node) node.remove();
    state.nodes.delete(messageId);
    state.messages.delete(messageId);
  }

  function resetChat(messages) {
    list.textContent = "";
    state.messages.clear();
    state.nodes.clear();
    if (!messages.length) {
      const hello = document.createElement("div");
      hello.className = "empty";
      hello.id = "empty";
      const line1 = document.createElement("div");
      line1.textContent = "This is a live chat with the real runlift bot, running on this computer.";
      const start = document.createElement("button");
      start.type = "button";
      start.className = "start-button";
      start.textContent = "START";
      start.addEventListener("click", () => sendText("/start"));
      hello.append(line1, start);
      list.appendChild(hello);
    }
    for (const message of messages) upsert(message);
    scrollDown();
  }

  // ---------------------------------------------------------------- actions

  async function sendText(text) {
    const clean = text.replace(/\s+$/, "");
    if (!clean.trim()) return;
    const empty = $("empty");
    if (empty) empty.remove();
    const body = { text: clean };
    if (state.replyTo) body.reply_to_message_id = state.replyTo;
    cancelReply();
    try {
      await post(`/api/runners/${state.runner.id}/messages`, body);
    } catch (error) {
      toast("Not sent: " + error.message);
    }
  }

  async function sendFile(file) {
    if (!file) return;
    const form = new FormData();
    form.append("document", file, file.name);
    try {
      const response = await fetch(`/api/runners/${state.runner.id}/documents`, {
        method: "POST",
        body: form,
      });
      if (!response.ok) {
        let data = null;
        try { data = await response.json(); } catch (_) { data = null; }
        throw new Error((data && data.description) || response.statusText);
      }
    } catch (error) {
      toast("Not sent: " + error.message);
    }
  }

  async function press(messageId, data, button) {
    button.classList.add("pressed");
    try {
      await post(`/api/runners/${state.runner.id}/press`, { message_id: messageId, data });
    } catch (error) {
      toast(error.message);
    } finally {
      setTimeout(() => button.classList.remove("pressed"), 600);
    }
  }

  function startReply(messageId) {
    const message = state.messages.get(messageId);
    if (!message) return;
    state.replyTo = messageId;
    $("reply-text").textContent = previewText(message).slice(0, 140);
    document.querySelector(".reply-title").textContent =
      "Reply to " + (message.from_bot ? "runlift" : state.runner.name);
    $("reply-bar").classList.remove("hidden");
    $("input").focus();
  }

  function cancelReply() {
    state.replyTo = null;
    $("reply-bar").classList.add("hidden");
  }

  let toastTimer = null;
  function toast(text, long) {
    const el = $("toast");
    el.textContent = text;
    el.classList.remove("hidden");
    el.classList.add("show");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => {
      el.classList.remove("show");
      el.classList.add("hidden");
    }, long ? 5000 : 2600);
  }

  function setStatus(text) {
    $("bot-status").textContent = text;
    $("bot-status").classList.toggle("busy", text !== "bot");
  }

  const ACTIONS = {
    typing: "typing…", upload_photo: "sending a photo…", upload_document: "sending a file…",
  };

  // ---------------------------------------------------------------- clock

  function setClock(view) {
    if (!view) return;
    state.zone = view.timezone || state.zone;
    state.clock = { nowMs: view.now_ms, at: performance.now() };
    const ff = $("fast-forward");
    const next = view.next_reminder;
    ff.title = next
      ? "Demo only: jump to your next reminder (" +
        clockFormat({ weekday: "short", hour: "2-digit", minute: "2-digit" })
          .format(new Date(next.due_at)) + ")"
      : "Demo only: no reminder is scheduled yet — finish /start first";
    tick();
  }

  function tick() {
    if (!state.clock) return;
    const now = new Date(state.clock.nowMs + (performance.now() - state.clock.at));
    const day = clockFormat({ weekday: "short", day: "numeric", month: "short" }).format(now);
    const time = clockFormat({ hour: "2-digit", minute: "2-digit" }).format(now);
    $("clock-text").textContent = `${day} · ${time}`;
    $("clock").dataset.zone = state.zone;
    $("clock").title = `The bot's time in ${state.zone}`;
  }

  async function refreshClock() {
    try {
      const response = await fetch(`/api/runners/${state.runner.id}/clock`);
      if (response.ok) setClock(await response.json());
    } catch (_) { /* next time */ }
  }

  function describeJump(seconds) {
    const minutes = Math.round(seconds / 60);
    if (minutes < 1) return "a moment";
    const days = Math.floor(minutes / 1440);
    const hours = Math.floor((minutes % 1440) / 60);
    const mins = minutes % 60;
    return [days && `${days} d`, hours && `${hours} h`, mins && `${mins} min`]
      .filter(Boolean).join(" ");
  }

  async function fastForward() {
    const button = $("fast-forward");
    button.disabled = true;
    try {
      const result = await post("/api/fast-forward", { runner_id: state.runner.id });
      setClock(result);
      if (!result.kind) {
        toast("No reminder is scheduled for you yet — finish setting up with /start.", true);
      } else {
        const when = clockFormat({ weekday: "short", hour: "2-digit", minute: "2-digit" })
          .format(new Date(result.now_ms));
        toast(`⏩ Jumped ${describeJump(result.jumped_seconds)} — it's now ${when}`);
      }
    } catch (error) {
      toast("Fast-forward failed: " + error.message);
    } finally {
      button.disabled = false;
    }
  }

  // ---------------------------------------------------------------- commands menu

  function renderCommands(commands) {
    state.commands = commands || [];
    const menu = $("commands");
    menu.textContent = "";
    for (const command of state.commands) {
      const item = document.createElement("button");
      item.type = "button";
      item.className = "command-item";
      item.setAttribute("role", "menuitem");
      const name = document.createElement("span");
      name.className = "command-name";
      name.textContent = "/" + command.command;
      const description = document.createElement("span");
      description.className = "command-description";
      description.textContent = command.description;
      item.append(name, description);
      item.addEventListener("click", () => {
        toggleCommands(false);
        sendText("/" + command.command);
      });
      menu.appendChild(item);
    }
  }

  function toggleCommands(show) {
    const menu = $("commands");
    const open = show === undefined ? menu.classList.contains("hidden") : show;
    if (open && !state.commands.length) {
      fetch("/api/commands").then((r) => r.json()).then(renderCommands).catch(() => {});
    }
    menu.classList.toggle("hidden", !open);
    $("menu-button").classList.toggle("active", open);
  }

  // ---------------------------------------------------------------- live events

  function handleEvent(event) {
    switch (event.type) {
      case "snapshot":
        resetChat(event.messages || []);
        break;
      case "message_sent":
      case "user_message":
      case "message_edited":
        upsert(event.message);
        if (event.type === "message_sent") refreshClockSoon();
        break;
      case "message_deleted":
        remove(event.message.message_id);
        break;
      case "callback_answered":
        if (event.answer && event.answer.text) toast(event.answer.text, event.answer.show_alert);
        break;
      case "chat_action":
        setStatus(ACTIONS[event.action] || "typing…");
        clearTimeout(state.actionTimer);
        state.actionTimer = setTimeout(() => setStatus("bot"), 5000);
        break;
      case "clock":
        setClock(event.clock);
        break;
      default:
        break;
    }
  }

  let clockSoon = null;
  function refreshClockSoon() {
    clearTimeout(clockSoon);
    clockSoon = setTimeout(refreshClock, 400); // the zone changes when onboarding ends
  }

  function connect() {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${scheme}://${window.location.host}/api/runners/${state.runner.id}/ws`);
    state.ws = ws;
    ws.addEventListener("open", () => {
      state.retry = 0;
      document.body.classList.remove("offline");
      document.body.dataset.connected = "1";
    });
    ws.addEventListener("message", (msg) => {
      try { handleEvent(JSON.parse(msg.data)); } catch (error) { console.error(error); }
    });
    ws.addEventListener("close", () => {
      document.body.classList.add("offline");
      document.body.dataset.connected = "0";
      setStatus("connecting…");
      state.retry = Math.min(state.retry + 1, 6);
      setTimeout(connect, 300 * 2 ** state.retry);
    });
  }

  // ---------------------------------------------------------------- start

  function wireUi() {
    const input = $("input");
    const grow = () => {
      input.style.height = "auto";
      input.style.height = Math.min(input.scrollHeight, 160) + "px";
    };
    input.addEventListener("input", () => {
      grow();
      if (input.value === "/") toggleCommands(true);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        $("composer").requestSubmit();
      } else if (event.key === "Escape") {
        toggleCommands(false);
        cancelReply();
      }
    });
    $("composer").addEventListener("submit", (event) => {
      event.preventDefault();
      const text = input.value;
      input.value = "";
      grow();
      toggleCommands(false);
      sendText(text);
      input.focus();
    });
    $("menu-button").addEventListener("click", () => toggleCommands());
    $("file-input").addEventListener("change", (event) => {
      const picker = event.target;
      sendFile(picker.files && picker.files[0]);
      picker.value = "";
    });
    $("reply-cancel").addEventListener("click", cancelReply);
    $("fast-forward").addEventListener("click", fastForward);
    $("new-runner").addEventListener("click", () => {
      sessionStorage.removeItem(STORE_KEY);
      window.location.reload();
    });
    document.addEventListener("click", (event) => {
      const menu = $("commands");
      if (!menu.contains(event.target) && event.target !== $("menu-button")) {
        toggleCommands(false);
      }
    });
    setInterval(tick, 1000);
    setInterval(refreshClock, 30000);
  }

  async function main() {
    wireUi();
    const runner = loadRunner();
    state.runner = runner;
    $("runner-name").textContent = runner.name;
    $("runner-id").textContent = `(id ${runner.id})`;
    try {
      const session = await post("/api/session", { runner_id: runner.id, name: runner.name });
      $("bot-name").textContent = session.bot.first_name || "runlift";
      renderCommands(session.commands);
      setClock(session.clock);
    } catch (error) {
      toast("The demo server did not answer: " + error.message, true);
    }
    connect();
    $("input").focus();
  }

  main();
})();
