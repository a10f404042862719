// Web chat for the Telegram sandbox: talks only to the control API under /_sandbox/.
// Bot text is rendered from Telegram entities with DOM nodes (never innerHTML), so only Telegram's
// formatting (b, i, u, s, code, pre, a, spoiler, blockquote) can appear and nothing the bot sends can run.
"use strict";

(() => {
  const $ = (selector) => document.querySelector(selector);
  const api = "/_sandbox";
  const params = new URLSearchParams(location.search);
  const botParam = params.get("bot");

  const state = {
    userId: null,
    lastSeq: 0,
    messages: new Map(), // message_id → view
    chat: null,
    loopToken: 0,
    typingUntil: 0,
    keyboardOpen: true,
  };

  // Exposed for automation (tests, sandbox.telegram.browser).
  const automation = {
    ready: false,
    get userId() { return state.userId; },
    get lastSeq() { return state.lastSeq; },
    sendText: (text) => sendText(text),
    selectUser: (id) => selectUser(id),
  };
  window.sandboxChat = automation;

  // ------------------------------------------------------------------ HTTP

  async function call(method, path, body) {
    const query = botParam ? (path.includes("?") ? "&" : "?") + "bot_id=" + encodeURIComponent(botParam) : "";
    const response = await fetch(api + path + query, {
      method,
      headers: body ? { "Content-Type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    let data = null;
    try { data = await response.json(); } catch (_) { /* empty body */ }
    if (!response.ok) {
      const error = new Error((data && data.error) || response.statusText);
      error.status = response.status;
      throw error;
    }
    return data;
  }

  // ---------------------------------------------------------- formatting

  const SAFE_LINK = /^(https?:|tg:|mailto:|tel:)/i;

  function renderEntities(text, entities) {
    const fragment = document.createDocumentFragment();
    const list = (entities || [])
      .filter((e) => e.length > 0)
      .map((e) => Object.assign({}, e))
      .sort(byPosition);
    build(fragment, text, 0, text.length, list);
    return fragment;
  }

  function byPosition(a, b) { return a.offset - b.offset || b.length - a.length; }

  // Nest entities; one that overlaps the end of another is split in two (Telegram allows overlaps).
  function build(parent, text, start, end, entities) {
    let position = start;
    let queue = entities.slice();
    while (queue.length) {
      const entity = queue.shift();
      const entityStart = Math.max(entity.offset, position);
      const entityEnd = Math.min(entity.offset + entity.length, end);
      if (entityStart >= entityEnd) continue;
      if (entityStart > position) parent.appendChild(document.createTextNode(text.slice(position, entityStart)));
      const inner = [];
      const rest = [];
      for (const other of queue) {
        const otherEnd = other.offset + other.length;
        if (other.offset >= entityEnd) { rest.push(other); continue; }
        if (otherEnd <= entityEnd) { inner.push(other); continue; }
        inner.push(Object.assign({}, other, { length: entityEnd - other.offset }));
        rest.push(Object.assign({}, other, { offset: entityEnd, length: otherEnd - entityEnd }));
      }
      const element = elementFor(entity, text.slice(entityStart, entityEnd));
      build(element, text, entityStart, entityEnd, inner);
      parent.appendChild(element);
      position = entityEnd;
      queue = rest.sort(byPosition);
    }
    if (position < end) parent.appendChild(document.createTextNode(text.slice(position, end)));
  }

  function link(href) {
    const a = document.createElement("a");
    if (SAFE_LINK.test(href)) {
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
    }
    return a;
  }

  function elementFor(entity, covered) {
    switch (entity.type) {
      case "bold": return document.createElement("b");
      case "italic": return document.createElement("i");
      case "underline": return document.createElement("u");
      case "strikethrough": return document.createElement("s");
      case "code": return document.createElement("code");
      case "pre": {
        const pre = document.createElement("pre");
        if (entity.language) pre.dataset.language = entity.language;
        return pre;
      }
      case "blockquote":
      case "expandable_blockquote": return document.createElement("blockquote");
      case "spoiler": {
        const span = document.createElement("span");
        span.className = "spoiler";
        span.title = "spoiler: click to reveal";
        span.addEventListener("click", () => span.classList.toggle("revealed"));
        return span;
      }
      case "text_link": return link(entity.url || "");
      case "url": return link(/^[a-z]+:/i.test(covered) ? covered : "http://" + covered);
      case "email": return link("mailto:" + covered);
      case "phone_number": return link("tel:" + covered.replace(/[^+\d]/g, ""));
      case "mention": return link("https://t.me/" + covered.replace(/^@/, ""));
      case "bot_command": {
        const a = document.createElement("a");
        a.className = "command";
        a.addEventListener("click", () => sendText(covered.split("@")[0]));
        return a;
      }
      default: {
        const span = document.createElement("span");
        span.className = "entity-" + String(entity.type).replace(/[^a-z_]/g, "");
        return span;
      }
    }
  }

  // ------------------------------------------------------------ messages

  function formatTime(unix) {
    const date = new Date(unix * 1000);
    return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function formatSize(bytes) {
    if (bytes == null) return "";
    if (bytes < 1024) return bytes + " B";
    if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(1) + " KB";
    return (bytes / 1024 / 1024).toFixed(1) + " MB";
  }

  function renderMessage(view) {
    const wrapper = document.createElement("div");
    wrapper.className = "msg " + (view.from_bot ? "bot" : "user") + (view.deleted ? " deleted" : "");
    wrapper.dataset.messageId = view.message_id;
    const bubble = document.createElement("div");
    bubble.className = "bubble";
    wrapper.appendChild(bubble);

    if (view.forward_origin) {
      const forwarded = document.createElement("div");
      forwarded.className = "forwarded";
      const sender = view.forward_origin.sender_user || {};
      forwarded.textContent = "Forwarded from " + (sender.first_name || "unknown");
      bubble.appendChild(forwarded);
    }
    if (view.reply_to_message_id) {
      const original = state.messages.get(view.reply_to_message_id);
      const quote = document.createElement("div");
      quote.className = "reply-quote";
      quote.textContent = original ? (original.text || original.caption || "[media]") : "…";
      bubble.appendChild(quote);
    }
    if (view.photo) {
      const img = document.createElement("img");
      img.className = "photo";
      img.src = view.photo.url;
      img.alt = view.caption || "photo";
      img.loading = "lazy";
      img.addEventListener("click", () => window.open(view.photo.url, "_blank", "noopener"));
      bubble.appendChild(img);
    }
    for (const key of ["document", "video", "audio", "voice", "animation", "sticker"]) {
      const file = view[key];
      if (!file) continue;
      const a = document.createElement("a");
      a.className = "file";
      a.href = file.url;
      a.download = file.file_name || key;
      const icon = document.createElement("span");
      icon.className = "file-icon";
      icon.textContent = "⬇";
      const meta = document.createElement("span");
      const name = document.createElement("div");
      name.className = "file-name";
      name.textContent = file.file_name || key;
      const size = document.createElement("div");
      size.className = "file-size";
      size.textContent = [formatSize(file.file_size), file.mime_type].filter(Boolean).join(" · ");
      meta.append(name, size);
      a.append(icon, meta);
      bubble.appendChild(a);
    }
    if (view.location) {
      const box = document.createElement("div");
      box.className = "location";
      const { latitude, longitude, live_period: live } = view.location;
      const a = link(`https://www.openstreetmap.org/?mlat=${latitude}&mlon=${longitude}#map=16/${latitude}/${longitude}`);
      a.textContent = `📍 ${latitude.toFixed(5)}, ${longitude.toFixed(5)}` + (live ? " (live)" : "");
      box.appendChild(a);
      bubble.appendChild(box);
    }
    if (view.contact) {
      const box = document.createElement("div");
      box.className = "contact";
      box.textContent = `👤 ${view.contact.first_name || ""} ${view.contact.last_name || ""} ${view.contact.phone_number}`;
      bubble.appendChild(box);
    }
    const text = view.text != null ? view.text : view.caption;
    const entities = view.text != null ? view.entities : view.caption_entities;
    if (text) {
      const content = document.createElement("div");
      content.className = "content";
      content.appendChild(renderEntities(text, entities));
      bubble.appendChild(content);
    }
    const meta = document.createElement("div");
    meta.className = "meta";
    if (view.deleted) meta.append("deleted · ");
    if (view.edited) {
      const edited = document.createElement("span");
      edited.className = "edited";
      edited.textContent = "edited";
      edited.title = (view.edits || []).length + " earlier version(s)";
      meta.appendChild(edited);
    }
    meta.append(formatTime(view.date));
    bubble.appendChild(meta);

    const keyboard = view.reply_markup && view.reply_markup.inline_keyboard;
    if (keyboard && !view.deleted) wrapper.appendChild(renderInlineKeyboard(view, keyboard));
    return wrapper;
  }

  function renderInlineKeyboard(view, rows) {
    const box = document.createElement("div");
    box.className = "inline-keyboard";
    for (const row of rows) {
      const rowElement = document.createElement("div");
      rowElement.className = "inline-row";
      for (const button of row) {
        const element = document.createElement("button");
        element.type = "button";
        element.className = "inline-button";
        element.textContent = button.text;
        if (button.url) {
          const kind = document.createElement("span");
          kind.className = "kind";
          kind.textContent = "↗";
          element.appendChild(kind);
        }
        element.addEventListener("click", () => pressInline(view.message_id, button, element));
        rowElement.appendChild(element);
      }
      box.appendChild(rowElement);
    }
    return box;
  }

  function upsertMessage(view) {
    state.messages.set(view.message_id, view);
    const container = $("#messages");
    $("#empty-state").hidden = true;
    const element = renderMessage(view);
    const existing = container.querySelector(`.msg[data-message-id="${view.message_id}"]`);
    const nearBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 120;
    if (existing) {
      existing.replaceWith(element);
    } else {
      // Keep message order by id even if events arrive out of order.
      const later = [...container.querySelectorAll(".msg")].find((m) => Number(m.dataset.messageId) > view.message_id);
      container.insertBefore(element, later || null);
    }
    if (!existing || nearBottom) container.scrollTop = container.scrollHeight;
  }

  // ------------------------------------------------------------- chat state

  function applyChat(chat) {
    state.chat = chat;
    const bot = chat.bot || {};
    $("#bot-name").textContent = bot.first_name || "Telegram sandbox";
    state.botUsername = bot.username || "";
    $("#bot-avatar").textContent = (bot.first_name || "S").slice(0, 1).toUpperCase();
    renderReplyKeyboard(chat);
    $("#menu-button").hidden = !(chat.commands && chat.commands.length);
    $("#composer-input").placeholder = (chat.force_reply && chat.force_reply.input_field_placeholder)
      || (chat.reply_keyboard && chat.reply_keyboard.input_field_placeholder) || "Message";
    updateStatus();
  }

  function renderReplyKeyboard(chat) {
    const box = $("#reply-keyboard");
    const keyboard = chat.reply_keyboard;
    $("#keyboard-toggle").hidden = !keyboard;
    box.replaceChildren();
    if (!keyboard) { box.hidden = true; return; }
    box.hidden = !state.keyboardOpen || chat.reply_keyboard_hidden && !state.keyboardForced;
    for (const row of keyboard.keyboard) {
      const rowElement = document.createElement("div");
      rowElement.className = "reply-row";
      for (const button of row) {
        const element = document.createElement("button");
        element.type = "button";
        element.className = "reply-button";
        element.textContent = (button.request_contact ? "👤 " : button.request_location ? "📍 " : "") + button.text;
        element.addEventListener("click", () => pressReply(button));
        rowElement.appendChild(element);
      }
      box.appendChild(rowElement);
    }
  }

  function updateStatus(text, kind) {
    const status = $("#bot-status");
    status.className = "status";
    if (text) {
      status.textContent = text;
      if (kind) status.classList.add(kind);
      return;
    }
    if (Date.now() < state.typingUntil) {
      status.textContent = state.typingText || "typing…";
      status.classList.add("typing");
      return;
    }
    const handle = state.botUsername ? "@" + state.botUsername : "bot";
    status.textContent = state.chat && state.chat.blocked ? handle + " · blocked by you" : handle;
  }

  const ACTION_TEXT = {
    typing: "typing…", upload_photo: "sending a photo…", upload_document: "sending a file…",
    find_location: "choosing a location…", record_voice: "recording voice…", upload_video: "sending a video…",
  };

  function applyEvent(event) {
    state.lastSeq = Math.max(state.lastSeq, event.event_seq);
    if (event.event === "action") {
      state.typingUntil = Date.now() + 5000;
      state.typingText = ACTION_TEXT[event.action] || event.action + "…";
      updateStatus();
      setTimeout(updateStatus, 5100);
      return;
    }
    if (event.from_bot && event.event === "new") state.typingUntil = 0;
    upsertMessage(event);
    updateStatus();
  }

  async function eventLoop(token) {
    let failures = 0;
    while (token === state.loopToken) {
      try {
        const result = await call("GET", `/chats/${state.userId}/events?after_seq=${state.lastSeq}&timeout=25`);
        if (token !== state.loopToken) return;
        failures = 0;
        for (const event of result.events) applyEvent(event);
        applyChat(result.chat);
      } catch (error) {
        if (token !== state.loopToken) return;
        failures += 1;
        updateStatus(error.status === 409 ? "waiting for the bot to start…" : "reconnecting…", "offline");
        await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 500 * failures)));
      }
    }
  }

  // ---------------------------------------------------------------- users

  async function loadUsers(selectId) {
    const users = await call("GET", "/users");
    const select = $("#user-select");
    select.replaceChildren();
    for (const user of users) {
      const option = document.createElement("option");
      option.value = user.id;
      option.textContent = `${user.first_name}${user.username ? " @" + user.username : ""} · ${user.id}`;
      select.appendChild(option);
    }
    if (!users.length) {
      const option = document.createElement("option");
      option.textContent = "no users yet";
      option.disabled = true;
      select.appendChild(option);
    }
    const wanted = selectId || Number(params.get("user")) || Number(localStorage.getItem("sandbox-user"));
    const found = users.find((u) => u.id === wanted) || users[users.length - 1];
    return found ? found.id : null;
  }

  async function selectUser(userId) {
    state.loopToken += 1;
    const token = state.loopToken;
    state.userId = Number(userId);
    state.messages.clear();
    state.lastSeq = 0;
    state.keyboardOpen = true;
    $("#user-select").value = String(userId);
    localStorage.setItem("sandbox-user", String(userId));
    const url = new URL(location.href);
    url.searchParams.set("user", userId);
    history.replaceState(null, "", url);
    const container = $("#messages");
    container.querySelectorAll(".msg").forEach((m) => m.remove());
    $("#empty-state").hidden = false;
    automation.ready = false;
    try {
      const [chat, messages] = await Promise.all([
        call("GET", `/chats/${userId}`),
        call("GET", `/chats/${userId}/messages`),
      ]);
      if (token !== state.loopToken) return;
      for (const view of messages) upsertMessage(view);
      state.lastSeq = chat.last_seq;
      applyChat(chat);
    } catch (error) {
      updateStatus(error.status === 409 ? "waiting for the bot to start…" : error.message, "offline");
    }
    automation.ready = true;
    eventLoop(token);
  }

  async function createUser(form) {
    const data = Object.fromEntries(new FormData(form).entries());
    for (const key of Object.keys(data)) if (!data[key]) delete data[key];
    const user = await call("POST", "/users", data);
    await loadUsers(user.id);
    await selectUser(user.id);
  }

  // --------------------------------------------------------------- actions

  function toast(text) {
    const element = $("#toast");
    element.textContent = text;
    element.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => { element.hidden = true; }, 3000);
  }

  function alertBox(text) {
    $("#alert-text").textContent = text;
    $("#alert-dialog").showModal();
  }

  async function guarded(action) {
    if (!state.userId) { $("#new-user-dialog").showModal(); return null; }
    try {
      return await action();
    } catch (error) {
      toast(error.message);
      return null;
    }
  }

  async function sendText(text) {
    text = (text || "").trim();
    if (!text) return null;
    return guarded(() => call("POST", `/users/${state.userId}/send`, { text }));
  }

  async function pressInline(messageId, button, element) {
    if (button.callback_data != null) {
      element.classList.add("pending");
      const result = await guarded(() => call("POST", `/users/${state.userId}/press`,
        { message_id: messageId, data: button.callback_data }));
      element.classList.remove("pending");
      const answer = result && result.callback_answer;
      if (answer && answer.text) (answer.show_alert ? alertBox : toast)(answer.text);
      if (answer && answer.url) window.open(answer.url, "_blank", "noopener");
      if (result && !answer) toast("the bot did not answer the button press");
    } else if (button.url) {
      if (SAFE_LINK.test(button.url)) window.open(button.url, "_blank", "noopener");
    } else if (button.copy_text) {
      navigator.clipboard && navigator.clipboard.writeText(button.copy_text.text);
      toast("copied");
    } else {
      toast("this kind of button is not supported in the sandbox");
    }
  }

  async function pressReply(button) {
    if (button.request_location) {
      openLocationDialog((location) => call("POST", `/users/${state.userId}/reply`, { text: button.text, location }));
      return;
    }
    if (button.request_contact) {
      const phone = prompt("Share your phone number", state.chat && state.chat.user.phone_number || "+998901234567");
      if (!phone) return;
      await guarded(() => call("POST", `/users/${state.userId}/reply`, { text: button.text, phone_number: phone }));
      return;
    }
    await guarded(() => call("POST", `/users/${state.userId}/reply`, { text: button.text }));
  }

  function readAsDataUrl(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result);
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
  }

  async function sendFiles(files, kind) {
    files = [...files].slice(0, 10);
    if (!files.length) return;
    const caption = $("#composer-input").value.trim() || undefined;
    const items = await Promise.all(files.map(async (file) => {
      const data = await readAsDataUrl(file);
      return kind === "photo"
        ? { photo: data }
        : { document: data, file_name: file.name, mime_type: file.type || undefined };
    }));
    items[0].caption = caption;
    const body = items.length > 1 ? { album: items } : items[0];
    const result = await guarded(() => call("POST", `/users/${state.userId}/send`, body));
    if (result) $("#composer-input").value = "";
  }

  let locationCallback = null;
  function openLocationDialog(onLocation) {
    locationCallback = onLocation;
    $("#location-error").hidden = true;
    $("#location-dialog").showModal();
  }

  async function submitLocation(form) {
    const data = new FormData(form);
    const latitude = Number(data.get("latitude"));
    const longitude = Number(data.get("longitude"));
    if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) throw new Error("coordinates must be numbers");
    const location = { latitude, longitude };
    if (data.get("live_period")) location.live_period = Number(data.get("live_period"));
    const send = locationCallback || ((loc) => call("POST", `/users/${state.userId}/send`, { location: loc }));
    locationCallback = null;
    await send(location);
  }

  function showCommands() {
    const menu = $("#commands-menu");
    menu.replaceChildren();
    for (const command of (state.chat && state.chat.commands) || []) {
      const button = document.createElement("button");
      button.type = "button";
      const name = document.createElement("span");
      name.className = "command-name";
      name.textContent = "/" + command.command;
      const description = document.createElement("span");
      description.className = "command-description";
      description.textContent = command.description;
      button.append(name, description);
      button.addEventListener("click", () => { menu.hidden = true; sendText("/" + command.command); });
      menu.appendChild(button);
    }
    menu.hidden = !menu.hidden;
    $("#attach-menu").hidden = true;
  }

  // ---------------------------------------------------------------- wiring

  function wire() {
    const input = $("#composer-input");
    const submit = async () => {
      const text = input.value;
      if (!text.trim()) return;
      input.value = "";
      autoGrow();
      const result = await sendText(text);
      if (!result) input.value = text;
    };
    const autoGrow = () => {
      input.style.height = "auto";
      input.style.height = Math.min(input.scrollHeight, 140) + "px";
    };
    input.addEventListener("input", autoGrow);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      }
    });
    $("#send-button").addEventListener("click", submit);
    $("#user-select").addEventListener("change", (event) => selectUser(event.target.value));
    $("#new-user-button").addEventListener("click", () => $("#new-user-dialog").showModal());
    $("#menu-button").addEventListener("click", showCommands);
    $("#keyboard-toggle").addEventListener("click", () => {
      const box = $("#reply-keyboard");
      state.keyboardOpen = box.hidden;
      state.keyboardForced = box.hidden;
      box.hidden = !box.hidden;
    });
    $("#attach-button").addEventListener("click", () => {
      $("#attach-menu").hidden = !$("#attach-menu").hidden;
      $("#commands-menu").hidden = true;
    });
    $("#attach-menu").addEventListener("click", (event) => {
      const kind = event.target.closest("button") && event.target.closest("button").dataset.attach;
      if (!kind) return;
      $("#attach-menu").hidden = true;
      if (kind === "photo") $("#photo-input").click();
      if (kind === "document") $("#document-input").click();
      if (kind === "location") openLocationDialog(null);
      if (kind === "contact") {
        const phone = prompt("Your phone number", state.chat && state.chat.user.phone_number || "+998901234567");
        if (phone) guarded(() => call("POST", `/users/${state.userId}/send`,
          { contact: { phone_number: phone, user_id: state.userId } }));
      }
    });
    $("#photo-input").addEventListener("change", (event) => { sendFiles(event.target.files, "photo"); event.target.value = ""; });
    $("#document-input").addEventListener("change", (event) => { sendFiles(event.target.files, "document"); event.target.value = ""; });

    document.querySelectorAll("dialog [data-close]").forEach((button) =>
      button.addEventListener("click", () => button.closest("dialog").close()));
    $("#new-user-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await createUser(event.target);
        $("#new-user-dialog").close();
      } catch (error) {
        $("#new-user-error").textContent = error.message;
        $("#new-user-error").hidden = false;
      }
    });
    $("#location-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      try {
        await submitLocation(event.target);
        $("#location-dialog").close();
      } catch (error) {
        $("#location-error").textContent = error.message;
        $("#location-error").hidden = false;
      }
    });
    $("#geolocate-button").addEventListener("click", () => {
      if (!navigator.geolocation) { toast("geolocation is not available"); return; }
      navigator.geolocation.getCurrentPosition(
        (position) => {
          const form = $("#location-form");
          form.latitude.value = position.coords.latitude.toFixed(6);
          form.longitude.value = position.coords.longitude.toFixed(6);
        },
        (error) => toast("location unavailable: " + error.message),
        { timeout: 10000 },
      );
    });
    document.addEventListener("click", (event) => {
      if (!event.target.closest("#attach-menu, #attach-button")) $("#attach-menu").hidden = true;
      if (!event.target.closest("#commands-menu, #menu-button")) $("#commands-menu").hidden = true;
    });
  }

  async function start() {
    wire();
    try {
      const userId = await loadUsers();
      if (userId) await selectUser(userId);
      else {
        automation.ready = true;
        updateStatus("create a user to start", "offline");
        $("#new-user-dialog").showModal();
      }
    } catch (error) {
      updateStatus(error.message, "offline");
      automation.ready = true;
    }
  }

  start();
})();
