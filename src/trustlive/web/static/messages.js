// Messages with shops: the buyer's threads, one conversation, writing to a shop (?shop=&about=).
"use strict";
(() => {
  TL.requireLogin();
  if (!TL.me()) return;
  const { api } = TL;
  const { $, label, say, when, esc } = Buyer;
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");
  const params = new URLSearchParams(location.search);
  const names = new Map();
  let openShop = null;

  const shopName = (id) => {
    if (!names.has(id)) names.set(id, api("GET", `/shops/${id}`).then((s) => s.name).catch(() => `#${id}`));
    return names.get(id);
  };

  async function showThread(shopId, threadId) {
    openShop = shopId;
    $("conversation").hidden = false;
    $("conversation-title").textContent = fill(label("write_to"), { shop: await shopName(shopId) });
    $("threads").querySelectorAll("a").forEach((a) =>
      a.setAttribute("aria-current", a.dataset.shopId === String(shopId) ? "true" : "false"));
    const messages = threadId ? (await api("GET", `/message-threads/${threadId}`)).messages : [];
    $("thread-messages").innerHTML = messages.length ? messages.map((m) =>
      `<li class="msg ${m.sender === "buyer" ? "mine" : "theirs"}"><span class="muted">${
        esc(m.sender === "buyer" ? label("you") : label("shop"))} · ${when(m.sent_at)}</span>
        <div>${esc(m.text)}</div></li>`).join("") : `<li class="muted">${esc(label("new"))}</li>`;
  }

  async function loadThreads() {
    const { items } = await api("GET", "/message-threads?limit=100");
    const rows = await Promise.all(items.map(async (th) => `<li><a href="?shop=${esc(th.shop_id)}"
      data-shop-id="${esc(th.shop_id)}" data-thread-id="${esc(th.id)}"><b>${esc(await shopName(th.shop_id))}</b>
      <span class="muted">${when(th.last_message_at)}${th.waiting_since ? ` · ${esc(label("waiting"))}` : ""}</span></a></li>`));
    $("threads").innerHTML = rows.join("");
    $("threads-empty").hidden = items.length > 0;
    $("threads").querySelectorAll("a").forEach((a) => a.addEventListener("click", (e) => {
      e.preventDefault();
      history.replaceState(null, "", `?shop=${a.dataset.shopId}`);
      showThread(a.dataset.shopId, a.dataset.threadId).catch((err) => say("page-error", err));
      $("conversation").scrollIntoView({ block: "nearest" });
    }));
    return items;
  }

  $("message-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = $("message-text").value.trim();
    if (!text) { say("message-error", label("empty_text")); return; }
    $("message-send").disabled = true;
    try {
      const sent = await api("POST", `/shops/${openShop}/messages`, { text });
      $("message-text").value = "";
      $("message-error").hidden = true;
      await loadThreads();
      await showThread(openShop, sent.thread_id);
    } catch (err) { say("message-error", err); }
    $("message-send").disabled = false;
  });

  (async () => {
    const items = await loadThreads();
    const wanted = params.get("shop");
    if (!wanted) return;
    const thread = items.find((th) => String(th.shop_id) === wanted);
    await showThread(wanted, thread?.id);
    const about = params.get("about");
    if (about) $("message-text").value = fill(label("about"), { order: about });
    $("message-text").focus();
  })().catch((err) => say("page-error", err));
})();
