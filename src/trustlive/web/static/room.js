// The buyer's live room: video, pinned products, the spotlight card, buying in place (room order
// or flash sale, then the sandbox payment), the purchase feed and comments, all kept current by
// the room channel.
"use strict";
(() => {
  const { api, esc, yuan } = TL;
  const $ = (id) => document.getElementById(id);
  const roomId = $("room-page").dataset.roomId;
  const state = { room: null, session: null, pins: [], spotlight: null, flashSales: [] };
  let hls = null;

  function showError(err, box = "page-error") {
    $(box).textContent = err.message;
    $(box).hidden = false;
  }

  // ---- video ----
  // The stream's state comes from the platform (on air, reconnecting); the player adds its own
  // view: a playlist that fails to load also shows "reconnecting" and is retried.
  const STATES = {
    off: "未开播 off air",
    none: "直播中 live · no video",
    on_air: "● 直播中 on air",
    reconnecting: "重新连接中 reconnecting…",
  };
  let playerTrouble = false;
  let retryTimer = null;

  function streamState() {
    const session = state.session;
    if (!session || session.status === "ended") return "off";
    if (!session.hls_url) return "none";
    if (session.stream_status === "reconnecting" || playerTrouble) return "reconnecting";
    return "on_air";
  }

  function renderStreamState() {
    const s = streamState();
    $("stream-state").dataset.state = s;
    $("stream-state").textContent = STATES[s];
    $("video-reconnecting").hidden = s !== "reconnecting";
  }

  function renderMute(video) {
    $("mute").hidden = !video;
    if (!video) return;
    $("mute").setAttribute("aria-pressed", String(video.muted));
    $("mute").textContent = video.muted ? "开声音 Unmute" : "静音 Mute";
  }

  function startPlayer(video, url) {
    if (hls) { hls.destroy(); hls = null; }
    // hls.js wherever Media Source Extensions exist (its tuning and error events); a browser
    // without them that plays HLS itself (iOS Safari) gets the playlist as the source
    if (!(window.Hls && Hls.isSupported())) {
      video.src = url;
      return;
    }
    hls = new Hls({ liveSyncDurationCount: 2, liveMaxLatencyDurationCount: 6, lowLatencyMode: false });
    hls.on(Hls.Events.FRAG_BUFFERED, () => { if (playerTrouble) { playerTrouble = false; renderStreamState(); } });
    hls.on(Hls.Events.ERROR, (_event, data) => {
      if (!data.fatal) return;
      playerTrouble = true;
      renderStreamState();
      clearTimeout(retryTimer);   // the stream may come back: try again in a moment
      retryTimer = setTimeout(() => { if (streamState() !== "off") startPlayer(video, url); }, 2000);
    });
    hls.loadSource(url);
    hls.attachMedia(video);
  }

  function renderVideo() {
    const session = state.session;
    const live = session && session.status !== "ended";
    $("video-overlay").hidden = !live;
    $("session-title").textContent = live ? session.title : "";
    const old = $("video").querySelector("video");
    if (!live || !session.hls_url) {
      if (hls) { hls.destroy(); hls = null; }
      clearTimeout(retryTimer);
      playerTrouble = false;
      old?.remove();
      $("video-placeholder").hidden = false;
      $("placeholder-text").textContent = live
        ? `${session.title} — 直播中 live (no video stream)` : "主播暂未开播 Not live right now";
      renderStreamState();
      renderMute(null);
      return;
    }
    renderStreamState();
    if (old && old.dataset.src === session.hls_url) return;
    old?.remove();
    const video = document.createElement("video");
    Object.assign(video, { autoplay: true, muted: true, playsInline: true });
    video.id = "player";
    video.poster = session.cover_url || "/static/placeholder.svg";
    video.dataset.src = session.hls_url;
    video.addEventListener("volumechange", () => renderMute(video));
    $("video").prepend(video);
    $("video-placeholder").hidden = true;
    renderMute(video);
    if (video.canPlayType("application/vnd.apple.mpegurl") || (window.Hls && Hls.isSupported())) {
      startPlayer(video, session.hls_url);
    } else {
      video.remove();
      renderMute(null);
      $("video-placeholder").hidden = false;
      $("placeholder-text").textContent = "This browser cannot play the stream.";
    }
  }

  function streamChanged(e) {
    if (!state.session || state.session.id !== e.session_id) return;
    const back = state.session.stream_status === "reconnecting" && e.status === "on_air";
    state.session.stream_status = e.status;
    state.session.hls_url = e.hls_url;
    const video = $("video").querySelector("video");
    if (back && video && video.dataset.src === e.hls_url) startPlayer(video, e.hls_url);  // a new playlist
    renderVideo();
  }

  $("mute").addEventListener("click", () => {
    const video = $("video").querySelector("video");
    if (!video) return;
    video.muted = !video.muted;
    if (!video.muted) video.play().catch(() => {});
  });

  // ---- products ----
  const canBuy = () => state.session && state.session.status !== "ended";

  function skuButtons(pin, role) {
    return pin.skus.map((s) => `
      <button class="chip" data-role="${role}" data-pin-id="${esc(pin.id)}" data-sku-id="${esc(s.id)}"
              ${s.stock > 0 && canBuy() ? "" : "disabled"}>
        ${esc(s.spec_name)} · <span class="price">${yuan(s.price_fen)}</span>
        <span class="muted stock">${esc(TL.stockText(s))}</span></button>`).join("");
  }

  function flashFor(pin) {
    return Live.activeFlash(state.flashSales).filter((f) => f.pin_id === pin.id);
  }

  function flashButtons(pin) {
    return flashFor(pin).map((f) => {
      const sku = pin.skus.find((s) => s.id === f.sku_id);
      return `<div class="flash" data-flash-id="${esc(f.id)}">${esc(sku?.spec_name || "")} ${Live.flashLabel(f)}
        <button class="small" data-role="flash" data-flash-id="${esc(f.id)}" ${f.left > 0 && canBuy() ? "" : "disabled"}>
          抢 Grab</button></div>`;
    }).join("");
  }

  function renderSpotlight() {
    const pin = state.spotlight && state.pins.find((p) => p.id === state.spotlight.id) || state.spotlight;
    const card = $("spotlight");
    if (!pin) { card.hidden = true; card.innerHTML = ""; return; }
    card.hidden = false;
    card.dataset.pinId = pin.id;
    card.innerHTML = `
      <div class="spread"><span class="live-dot">讲解中 Now presenting</span>
        <a class="muted" href="/products/${esc(pin.product_id)}" target="_blank">详情 Details</a></div>
      <div class="row" style="margin-top:.5rem">${Live.image(pin.image_url)}
        <div class="grow"><div class="title"><b id="spotlight-title">${esc(pin.title)}</b></div>
          <div class="price">${yuan(pin.min_price_fen)} 起</div>
          <div class="muted">已售 ${pin.units_sold} sold</div></div></div>
      <div class="guarantees" id="spotlight-guarantees"></div>
      ${flashButtons(pin)}
      <div class="chips" style="margin-top:.5rem">${skuButtons(pin, "buy")}</div>`;
    TL.guaranteeBadges(pin.product_id).then((html) => {
      const box = document.getElementById("spotlight-guarantees");
      if (box && card.dataset.pinId === String(pin.id)) box.innerHTML = html;
    });
    // restart the pop animation so a new spotlight catches the eye
    card.classList.remove("spotlight"); void card.offsetWidth; card.classList.add("spotlight");
  }

  function renderPins() {
    $("pin-count").textContent = state.pins.length ? `(${state.pins.length})` : "";
    $("pins").innerHTML = state.pins.length ? state.pins.map((pin) => `
      <div class="pin" data-pin-id="${esc(pin.id)}">
        <span class="pos">${pin.position}</span>${Live.image(pin.image_url)}
        <div class="grow"><div class="title"><a href="/products/${esc(pin.product_id)}" target="_blank">${esc(pin.title)}</a></div>
          <div><span class="price">${yuan(pin.min_price_fen)}</span> <span class="muted">已售 ${pin.units_sold}</span></div>
          ${flashButtons(pin)}
          <div class="chips">${skuButtons(pin, "buy")}</div></div>
      </div>`).join("") : `<p class="muted">No products pinned yet.</p>`;
  }

  function renderProducts() { renderPins(); renderSpotlight(); }

  async function buySku(pinId, skuId) {
    const pin = state.pins.find((p) => p.id === pinId) || state.spotlight;
    const sku = pin.skus.find((s) => s.id === skuId);
    const sessionId = state.session.id;
    api("POST", `/sessions/${sessionId}/pins/${pinId}/clicks`).catch(() => {});
    await Checkout.open(
      { title: pin.title, spec: sku.spec_name, unitFen: sku.price_fen, imageUrl: pin.image_url,
        note: "直播间下单 bought in the live room", maxQuantity: Math.min(sku.stock, 999) },
      (body, key) => api("POST", `/sessions/${sessionId}/orders`, {
        lines: [{ sku_id: skuId, quantity: body.quantity }], address: body.address,
      }, { "Idempotency-Key": key }),
    );
  }

  async function buyFlash(flashId) {
    const sale = state.flashSales.find((f) => f.id === flashId);
    const pin = state.pins.find((p) => p.id === sale.pin_id) || state.spotlight;
    const sku = pin.skus.find((s) => s.id === sale.sku_id);
    await Checkout.open(
      { title: pin.title, spec: sku?.spec_name || "", unitFen: sale.price_fen, imageUrl: pin.image_url,
        note: `秒杀 flash sale, limit ${sale.per_buyer_limit} each`,
        maxQuantity: Math.min(sale.left, sale.per_buyer_limit) },
      (body, key) => api("POST", `/flash-sales/${flashId}/orders`, body, { "Idempotency-Key": key }),
    );
  }

  document.addEventListener("click", (e) => {
    const button = e.target.closest("button[data-role]");
    if (!button || !$("room-page").contains(button)) return;
    if (button.dataset.role === "buy") buySku(button.dataset.pinId, button.dataset.skuId).catch(showError);
    if (button.dataset.role === "flash") buyFlash(button.dataset.flashId).catch(showError);
  });

  // ---- the room channel ----
  function applySnapshot(s) {
    state.session = s.session;
    state.pins = s.pins || [];
    state.spotlight = s.spotlight;
    state.flashSales = s.flash_sales || [];
    if (typeof s.viewers === "number") $("viewers").textContent = s.viewers;
    renderVideo();
    renderProducts();
  }

  const handlers = {
    snapshot: applySnapshot,
    viewers(e) {
      $("viewers").textContent = e.count;
      const names = (e.joined || []).map((j) => j.name).join("、");
      if (names) {
        const more = e.more_joined ? ` 等${e.more_joined}人` : "";
        Live.feedLine($("comments"), `${esc(names)}${more} 来了 joined`, "system");
      }
    },
    comment(e) { Live.feedLine($("comments"), Live.commentLine(e)); },
    spotlight(e) { state.spotlight = e.pin; renderSpotlight(); },
    pins(e) { state.pins = e.pins; renderProducts(); },
    purchase(e) { Live.feedLine($("purchases"), Live.purchaseText(e), "purchase"); },
    flash_stock(e) {
      const sale = state.flashSales.find((f) => f.id === e.flash_sale_id);
      if (sale) { sale.left = e.left; renderProducts(); } else { reload(); }
    },
    session_started(e) { state.session = e.session; renderVideo(); renderProducts(); },
    stream: streamChanged,
    session_ended() {
      if (state.session) state.session.status = "ended";
      state.spotlight = null;
      renderVideo(); renderProducts();
      Live.feedLine($("comments"), "直播已结束 The broadcast has ended", "system");
    },
  };

  async function reload() {
    const room = await api("GET", `/rooms/${roomId}`);
    state.room = room;
    $("room-name").textContent = room.name;
    document.title = `${room.name} · trustlive`;
    applySnapshot({ session: room.session, pins: room.pins, spotlight: room.spotlight,
      flash_sales: room.flash_sales, viewers: room.session?.viewers });
  }

  $("comment-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    $("comment-error").hidden = true;
    if (!TL.me()) { TL.requireLogin(); return; }
    if (!state.session || state.session.status === "ended") {
      showError(new Error("The room is not live: comments open when a broadcast starts."), "comment-error");
      return;
    }
    try {
      await api("POST", `/sessions/${state.session.id}/comments`, { text: e.target.text.value });
      e.target.reset();
    } catch (err) { showError(err, "comment-error"); }
  });

  reload().then(() => {
    Live.channel(roomId, {
      onEvent: (event) => handlers[event.type]?.(event),
      onStatus: (s) => {
        $("channel-status").textContent = {
          live: "● 实时 live",
          "signed-out": "● 实时 live · 登录已过期 signed out, log in again to comment and buy",
          reconnecting: "reconnecting…",
          gone: "offline",
        }[s];
        if (s === "gone") showError(new Error("This room does not exist."));
      },
    });
  }).catch(showError);
})();
