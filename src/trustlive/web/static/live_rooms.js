// Rooms live now (listLiveRooms), each a card linking to its live-room page.
"use strict";
(async () => {
  const { api, esc } = TL;
  const $ = (id) => document.getElementById(id);
  try {
    const rooms = await api("GET", "/rooms?live=true");
    $("rooms").innerHTML = rooms.map((room) => {
      const s = room.session;
      const cover = s?.cover_url ? `<img src="${esc(s.cover_url)}" alt="" data-broken="remove">` : "";
      return `<a class="card room-card" href="/rooms/${esc(room.id)}" data-room-id="${esc(room.id)}">
        <div class="cover">${cover}<span class="live-dot">LIVE</span>${esc(room.name.slice(0, 1))}</div>
        <div class="meta"><b>${esc(s?.title || room.name)}</b>
          <div class="spread muted"><span>${esc(room.name)}</span><span>${s?.viewers ?? 0} 人在看 watching</span></div></div>
      </a>`;
    }).join("");
    $("rooms-empty").hidden = rooms.length > 0;
  } catch (err) {
    $("page-error").textContent = err.message;
    $("page-error").hidden = false;
  }
})();
