// Who I follow and who follows me; unfollow, follow back, and a way into rooms live now.
"use strict";
(() => {
  TL.requireLogin();
  const me = TL.me();
  if (!me) return;
  const { api } = TL;
  const { $, label, say, esc } = Buyer;
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");
  let list = "following", before = null;
  const liveRooms = api("GET", "/rooms").then((rooms) =>
    new Map(rooms.map((r) => [String(r.owner_user_id), r.id]))).catch(() => new Map());

  function person(entry, live) {
    const u = entry.user;
    const room = live.get(String(u.id));
    const action = list === "following"
      ? `<button class="small secondary" data-act="unfollow">${esc(label("unfollow"))}</button>`
      : entry.mutual ? "" : `<button class="small" data-act="follow">${esc(label("follow_back"))}</button>`;
    return `<li class="card spread" data-user-id="${esc(u.id)}">
      <div><b>${esc(u.display_name)}</b>
        ${entry.mutual ? `<span class="badge">${esc(label("mutual"))}</span>` : ""}
        <div class="muted">${esc(fill(label("since"), { date: new Date(entry.followed_at).toLocaleDateString() }))}</div></div>
      <div class="row">${room ? `<a class="button small" href="/rooms/${esc(room)}">${esc(label("live_now"))}</a>` : ""}${action}</div>
    </li>`;
  }

  let generation = 0;
  async function load(reset) {
    if (reset) { before = null; $("people").innerHTML = ""; generation += 1; }
    const mine = generation;
    const q = new URLSearchParams({ limit: "50" });
    if (before) q.set("before", before);
    const [page, live] = await Promise.all([api("GET", `/users/${me.id}/${list}?${q}`), liveRooms]);
    if (mine !== generation) return;  // the other tab was chosen meanwhile
    $("people").insertAdjacentHTML("beforeend", page.items.map((e) => person(e, live)).join(""));
    before = page.next_before;
    $("more-people").hidden = !before;
    $("people-empty").textContent = label(`empty.${list}`);
    $("people-empty").hidden = $("people").children.length > 0;
  }

  async function counts() {
    const mine = await api("GET", "/users/me");
    $("count-following").textContent = `(${mine.following})`;
    $("count-followers").textContent = `(${mine.followers})`;
  }

  $("people").addEventListener("click", async (e) => {
    const button = e.target.closest("button[data-act]");
    if (!button) return;
    const row = button.closest("[data-user-id]");
    button.disabled = true;
    try {
      if (button.dataset.act === "unfollow") {
        await api("DELETE", `/me/following/${row.dataset.userId}`);
        row.remove();
      } else {
        await api("PUT", `/me/following/${row.dataset.userId}`);
        button.remove();
      }
      $("people-empty").hidden = $("people").children.length > 0;
      await counts();
    } catch (err) { say("page-error", err); button.disabled = false; }
  });
  $("follow-tabs").querySelectorAll("button").forEach((tab) => tab.addEventListener("click", () => {
    $("follow-tabs").querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", b === tab));
    list = tab.dataset.list;
    load(true).catch((err) => say("page-error", err));
  }));
  $("more-people").addEventListener("click", () => load(false).catch((err) => say("page-error", err)));
  Promise.all([load(true), counts()]).catch((err) => say("page-error", err));
})();
