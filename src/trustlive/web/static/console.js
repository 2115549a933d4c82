// The anchor console: start and end the session, pin, unpin, reorder, spotlight, flash sales, and
// the live feed of comments and purchases with the session's stats.
"use strict";
(() => {
  TL.requireLogin();
  const { api, esc, yuan } = TL;
  const $ = (id) => document.getElementById(id);
  const roomId = $("console-page").dataset.roomId;
  const state = { room: null, session: null, pins: [], spotlight: null, flashSales: [] };
  const isLive = () => state.session && state.session.status !== "ended";
  let statsTimer = null;

  function showError(err) {
    $("page-error").textContent = err.message;
    $("page-error").hidden = false;
  }

  async function run(action) {
    $("page-error").hidden = true;
    try { await action(); } catch (err) { showError(err); }
  }

  // ---- rendering ----
  function renderSession() {
    $("session-off").hidden = isLive();
    $("session-on").hidden = !isLive();
    $("pins-card").hidden = !isLive();
    $("flash-card").hidden = !isLive();
    if (isLive()) $("session-title").textContent = state.session.title;
  }

  function renderPins() {
    const spot = state.spotlight?.id;
    $("clear-spotlight").hidden = !spot;
    $("pins").innerHTML = state.pins.length ? state.pins.map((pin, i) => `
      <div class="pin" data-pin-id="${esc(pin.id)}">
        <span class="pos">${pin.position}</span>${Live.image(pin.image_url)}
        <div class="grow"><div class="title">${esc(pin.title)}</div>
          <div class="muted">${yuan(pin.min_price_fen)} · 点击 ${pin.clicks} clicks · 售 ${pin.units_sold} sold</div></div>
        <div class="row">
          <button class="secondary small" data-act="up" ${i === 0 ? "disabled" : ""} aria-label="Move up">↑</button>
          <button class="secondary small" data-act="down" ${i === state.pins.length - 1 ? "disabled" : ""} aria-label="Move down">↓</button>
          ${pin.id === spot ? `<span class="live-dot">讲解中 Spotlit</span>`
            : `<button class="small" data-act="spotlight">讲解 Spotlight</button>`}
          <button class="secondary small" data-act="unpin">移除 Unpin</button>
        </div>
      </div>`).join("") : `<p class="muted">Pin products of the shop so buyers can buy them.</p>`;
    const pinned = new Set(state.pins.map((p) => p.product_id));
    const select = $("pin-product");
    if (select.tagName === "SELECT") {
      const options = [...select.querySelectorAll("option")];
      options.forEach((o) => { o.disabled = pinned.has(o.value); });
      const free = options.filter((o) => !o.disabled);
      if (select.selectedOptions[0]?.disabled) select.value = free[0]?.value ?? "";
      $("pin-form").querySelector("button").disabled = free.length === 0;
    }
    renderFlashForm();
  }

  function renderFlashForm() {
    const current = $("flash-pin").value;
    $("flash-pin").innerHTML = state.pins.map((p) =>
      `<option value="${esc(p.id)}" ${p.id === current ? "selected" : ""}>${esc(p.title)}</option>`).join("");
    const pin = state.pins.find((p) => p.id === $("flash-pin").value);
    $("flash-sku").innerHTML = (pin?.skus || []).map((s) =>
      `<option value="${esc(s.id)}">${esc(s.spec_name)} · ${yuan(s.price_fen)} · 库存 ${s.stock}</option>`).join("");
    $("flash-sales").innerHTML = state.flashSales.map((f) => {
      const pinTitle = state.pins.find((p) => p.id === f.pin_id)?.title || "";
      const ends = new Date(f.ends_at).toLocaleTimeString();
      return `<div class="flash" data-flash-id="${esc(f.id)}">${esc(pinTitle)} · ${Live.flashLabel(f)} · until ${ends}</div>`;
    }).join("");
  }

  async function refreshStats() {
    if (!isLive()) return;
    const s = await api("GET", `/sessions/${state.session.id}`);
    const cell = (label, value) => `<div><span class="muted">${label}</span><b>${value ?? "–"}</b></div>`;
    $("stats").innerHTML = cell("在线 Viewers", s.viewers) + cell("峰值 Peak", s.peak_viewers)
      + cell("累计 Total viewers", s.total_viewers) + cell("评论 Comments", s.comments)
      + cell("订单 Orders", s.orders) + cell("成交额 GMV", s.gmv_fen == null ? null : yuan(s.gmv_fen));
  }

  function statsSoon() {
    clearTimeout(statsTimer);
    statsTimer = setTimeout(() => refreshStats().catch(() => {}), 800);
  }

  function apply(room) {
    state.session = room.session;
    state.pins = room.pins || [];
    state.spotlight = room.spotlight;
    state.flashSales = room.flash_sales || [];
    renderSession();
    renderPins();
    renderStream();
    statsSoon();
  }

  async function reload() {
    const room = await api("GET", `/rooms/${roomId}`);
    state.room = room;
    $("room-name").textContent = room.name;
    document.title = `Console · ${room.name} · trustlive`;
    apply(room);
  }

  async function loadProducts() {
    if (!state.room.shop_id) {   // a creator's room: pin by product id
      $("pin-product").outerHTML = `<input name="product_id" id="pin-product" placeholder="Product id" required style="flex:1">`;
      return;
    }
    const page = await api("GET", `/shops/${state.room.shop_id}/products?status=listed&limit=100`);
    $("pin-product").innerHTML = page.items.map((p) =>
      `<option value="${esc(p.id)}">${esc(p.title)} · ${yuan(Math.min(...p.skus.map((s) => s.price_fen)))}</option>`).join("")
      || `<option value="" disabled>没有在售商品 No listed products</option>`;
    renderPins();
  }

  // ---- actions ----
  const sid = () => state.session.id;

  $("start-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target;
    const body = { title: f.title.value };
    if (f.cover_url.value) body.cover_url = f.cover_url.value;
    if (f.hls_url.value) body.hls_url = f.hls_url.value;
    run(async () => { await api("POST", `/rooms/${roomId}/sessions`, body); await reload(); });
  });

  $("end-session").addEventListener("click", () => {
    if (!confirm("End the broadcast?")) return;
    run(async () => { await api("POST", `/sessions/${sid()}/end`); await reload(); });
  });

  $("pin-form").addEventListener("submit", (e) => {
    e.preventDefault();
    run(async () => {
      state.pins = await api("POST", `/sessions/${sid()}/pins`, { product_id: $("pin-product").value });
      renderPins();
    });
  });

  $("pins").addEventListener("click", (e) => {
    const button = e.target.closest("button[data-act]");
    if (!button) return;
    const pinId = button.closest(".pin").dataset.pinId;
    const ids = state.pins.map((p) => p.id);
    const i = ids.indexOf(pinId);
    const actions = {
      async up() { [ids[i - 1], ids[i]] = [ids[i], ids[i - 1]]; state.pins = await api("PUT", `/sessions/${sid()}/pins`, { pin_ids: ids }); },
      async down() { [ids[i + 1], ids[i]] = [ids[i], ids[i + 1]]; state.pins = await api("PUT", `/sessions/${sid()}/pins`, { pin_ids: ids }); },
      async unpin() { state.pins = await api("DELETE", `/sessions/${sid()}/pins/${pinId}`); },
      async spotlight() {
        await api("PUT", `/sessions/${sid()}/spotlight`, { pin_id: pinId });
        state.spotlight = state.pins.find((p) => p.id === pinId);
      },
    };
    run(async () => { await actions[button.dataset.act](); renderPins(); });
  });

  $("clear-spotlight").addEventListener("click", () => run(async () => {
    await api("DELETE", `/sessions/${sid()}/spotlight`);
    state.spotlight = null;
    renderPins();
  }));

  $("flash-pin").addEventListener("change", renderFlashForm);

  $("flash-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const f = e.target;
    const start = new Date();
    const body = {
      pin_id: f.pin_id.value, sku_id: f.sku_id.value,
      price_fen: Math.round(Number(f.price.value) * 100), quantity: Number(f.quantity.value),
      per_buyer_limit: Number(f.per_buyer_limit.value), starts_at: start.toISOString(),
      ends_at: new Date(start.getTime() + Number(f.minutes.value) * 60000).toISOString(),
    };
    run(async () => {
      const sale = await api("POST", `/sessions/${sid()}/flash-sales`, body);
      state.flashSales = [...state.flashSales.filter((s) => s.id !== sale.id), sale];
      renderFlashForm();
    });
  });

  // ---- the video stream: key, state, warnings ----
  const STREAM_TEXT = { on_air: "● 推流中 on air", reconnecting: "⚠ 推流中断 stream dropped", none: "no stream" };

  function renderStream() {
    const s = isLive() && state.session.stream_status ? state.session.stream_status : "none";
    $("stream-status").dataset.state = s;
    $("stream-status").textContent = STREAM_TEXT[s] || s;
    if (s !== "reconnecting") $("stream-warning").hidden = true;
  }

  function showKey(k) {
    $("ingest-url").value = k.ingest_url;
    if (k.key) {
      $("stream-key").value = k.key;
      $("stream-key-note").textContent = "复制密钥 Copy the key now: it is shown only this once "
        + "(the platform keeps only its hash). Publish to Server + key, e.g. "
        + `ffmpeg … -f flv ${k.ingest_url}/<key>`;
      $("stream-key").select();
    } else {
      $("stream-key").value = k.hint ? `${k.hint}••••••••` : "";
      $("stream-key-note").textContent = k.hint
        ? `Issued ${new Date(k.rotated_at).toLocaleString()}; lost it? Issue a new one (the old one stops working).`
        : "No key yet: issue one, then paste it into OBS (Settings → Stream → Stream Key).";
    }
  }

  async function loadStreamKey() { showKey(await api("GET", `/rooms/${roomId}/stream-key`)); }

  $("rotate-key").addEventListener("click", () => {
    if ($("stream-key").value && !confirm("Issue a new key? The current one stops working at once.")) return;
    run(async () => showKey(await api("POST", `/rooms/${roomId}/stream-key`)));
  });

  // ---- the room channel ----
  const handlers = {
    snapshot(s) {
      apply({ session: s.session, pins: s.pins, spotlight: s.spotlight, flash_sales: s.flash_sales });
      if (typeof s.viewers === "number") $("viewers").textContent = s.viewers;
    },
    viewers(e) { $("viewers").textContent = e.count; },
    comment(e) { Live.feedLine($("comments"), Live.commentLine(e)); statsSoon(); },
    purchase(e) { Live.feedLine($("purchases"), Live.purchaseText(e), "purchase"); statsSoon(); },
    spotlight(e) { state.spotlight = e.pin; renderPins(); },
    pins(e) { state.pins = e.pins; renderPins(); },
    flash_stock(e) {
      const sale = state.flashSales.find((f) => f.id === e.flash_sale_id);
      if (sale) { sale.left = e.left; renderFlashForm(); } else { reload().catch(showError); }
    },
    session_started() { reload().catch(showError); },
    stream(e) {
      if (state.session && state.session.id === e.session_id) {
        state.session.stream_status = e.status;
        renderStream();
      }
    },
    stream_warning(e) {
      $("stream-warning").textContent = e.message;
      $("stream-warning").hidden = false;
    },
    session_ended() { reload().catch(showError); },
  };

  if (!TL.me()) return;
  setInterval(() => { if (!document.hidden) refreshStats().catch(() => {}); }, 10000);  // viewer stats move by themselves
  reload().then(loadProducts).then(() => {
    loadStreamKey().catch(showError);
    Live.channel(roomId, {
      onEvent: (event) => handlers[event.type]?.(event),
      onStatus: (s) => {
        $("channel-status").textContent = {
          live: "● 实时 live",
          "signed-out": "● 实时 live · 登录已过期 signed out, log in again to comment and buy",
          reconnecting: "reconnecting…",
          gone: "offline",
        }[s];
        if (s === "signed-out") TL.requireLogin();
        if (s === "gone") showError(new Error("This room does not exist."));
      },
    });
  }).catch(showError);
})();
