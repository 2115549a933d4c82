// Shared by the live-room page and the anchor console: the room channel (WebSocket with resume
// from the last seq) and the small pieces of markup both show.
"use strict";
const Live = (() => {
  const { esc, yuan } = TL;
  const CLOSE_ROOM_NOT_FOUND = 4404;
  const CLOSE_BAD_TOKEN = 4401;
  const signedIn = () => Boolean(localStorage.getItem("trustlive.session"));

  /**
   * Connect to /ws/rooms/{roomId}. Calls onEvent(event) once per event, in seq order, and
   * onStatus("live" | "signed-out" | "reconnecting" | "gone"). A signed-in page first trades its
   * token for a one-use ticket (the token never goes in the URL); reconnects ask for a new one and
   * resume with ?after=<last seq> so missed events replay. A refused ticket is asked for again
   * once; if the session itself is no longer valid the page watches anonymously and says
   * "signed-out". A room that does not exist ("gone") is not retried.
   */
  function channel(roomId, { onEvent, onStatus = () => {} }) {
    let lastSeq = null;
    let socket = null;
    let retry = 0;
    let closed = false;
    let anonymous = !signedIn();
    let signedOut = false;   // the session was refused: watching anonymously now
    let ticketRefusals = 0;

    async function ticket() {
      if (anonymous) return null;
      try {
        return (await TL.api("POST", `/rooms/${roomId}/channel-tickets`)).ticket;
      } catch (err) {
        if (err.status !== 401) throw err;   // busy or offline: try again later
        anonymous = true; signedOut = true;  // TL.api has dropped the stale session
        return null;
      }
    }

    function url(t) {
      const q = new URLSearchParams();
      if (lastSeq !== null) q.set("after", String(lastSeq));
      if (t) q.set("ticket", t);
      const scheme = location.protocol === "https:" ? "wss" : "ws";
      return `${scheme}://${location.host}/ws/rooms/${roomId}${q.size ? `?${q}` : ""}`;
    }

    function again(delay) {
      onStatus("reconnecting");
      setTimeout(connect, delay ?? Math.min(10000, 500 * 2 ** Math.min(retry, 5)));
    }

    async function connect() {
      if (closed) return;
      let t = null;
      try { t = await ticket(); } catch (err) {
        if (err.status === 404) { onStatus("gone"); return; }
        retry += 1; again(); return;
      }
      if (closed) return;
      socket = new WebSocket(url(t));
      socket.addEventListener("open", () => { retry = 0; onStatus(signedOut ? "signed-out" : "live"); });
      socket.addEventListener("message", (message) => {
        const frame = JSON.parse(message.data);
        for (const event of frame.events || []) {
          if (lastSeq !== null && event.seq <= lastSeq && event.type !== "snapshot") continue;
          lastSeq = event.seq;
          try { onEvent(event); } catch (err) { console.error(err); }
        }
      });
      socket.addEventListener("close", (e) => {
        if (closed) return;
        if (e.code === CLOSE_ROOM_NOT_FOUND) { onStatus("gone"); return; }
        if (e.code === CLOSE_BAD_TOKEN) {
          ticketRefusals += 1;
          if (ticketRefusals > 1) { anonymous = true; signedOut = true; }
          again(0);   // at once: with a fresh ticket, or anonymously
          return;
        }
        ticketRefusals = 0;
        retry += 1;
        again();
      });
    }

    connect();
    return {
      close() { closed = true; socket?.close(); },
      get lastSeq() { return lastSeq; },
    };
  }

  function image(url, cls = "thumb") {
    return url
      ? `<img class="${cls}" src="${esc(url)}" alt="" data-broken="hide">`
      : `<div class="${cls}"></div>`;
  }

  function purchaseText(e) {
    const others = e.others > 0 ? ` 等${e.others}人 and ${e.others} others` : "";
    return `${esc(e.buyer)}${others} 购买了 bought <b>${esc(e.title)}</b> × ${e.quantity}`;
  }

  function feedLine(list, html, cls = "", limit = 200) {
    const li = document.createElement("li");
    li.className = cls;
    li.innerHTML = html;
    list.appendChild(li);
    while (list.children.length > limit) list.firstElementChild.remove();
    list.scrollTop = list.scrollHeight;
    return li;
  }

  function commentLine(e) {
    const badge = e.badge ? `<span class="badge">${esc(e.badge.label)}</span> ` : "";
    return `${badge}<span class="name">${esc(e.name)}</span>${esc(e.text)}`;
  }

  function flashLabel(sale) {
    return `秒杀 Flash ${yuan(sale.price_fen)} · 剩 ${sale.left}/${sale.quantity} left`;
  }

  function activeFlash(sales, now = Date.now()) {
    return sales.filter((s) => Date.parse(s.starts_at) <= now && now < Date.parse(s.ends_at));
  }

  return { channel, image, purchaseText, feedLine, commentLine, flashLabel, activeFlash };
})();
