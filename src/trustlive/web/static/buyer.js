// What every buyer page shares: its translated labels, errors as sentences, dates, and the
// follow and message-the-shop buttons that product, room and order pages carry.
"use strict";
const Buyer = (() => {
  const { api, esc } = TL;
  const $ = (id) => document.getElementById(id);
  let cached = null;
  // Labels come from the page's <script type="application/json" id="labels">, written by the
  // template through _() so the language catalogues translate them.
  function label(key) {
    if (cached === null) cached = JSON.parse(($("labels") || { textContent: "{}" }).textContent);
    return cached[key] ?? key;
  }
  function say(box, err) {
    const el = typeof box === "string" ? $(box) : box;
    el.textContent = err instanceof Error ? err.message : String(err);
    el.classList.remove("ok");
    el.hidden = false;
    el.focus?.();
  }
  function ok(box, text) {
    const el = typeof box === "string" ? $(box) : box;
    el.textContent = text; el.classList.add("ok"); el.hidden = false;
  }
  const when = (iso) => (iso ? new Date(iso).toLocaleString() : "");

  // A follow button for a user (a shop's fans follow its owner; a room's, its owner).
  async function followButton(button, userId) {
    const me = TL.me();
    if (!me || String(me.id) === String(userId)) { button.hidden = true; return; }
    const show = (following) => {
      button.dataset.following = following ? "true" : "false";
      button.setAttribute("aria-pressed", following ? "true" : "false");
      button.textContent = following ? button.dataset.labelFollowing : button.dataset.labelFollow;
      button.hidden = false;
    };
    try { show((await api("GET", `/me/following/${userId}`)).following); } catch { return; }
    button.addEventListener("click", async () => {
      button.disabled = true;
      try {
        if (button.dataset.following === "true") {
          await api("DELETE", `/me/following/${userId}`); show(false);
        } else {
          await api("PUT", `/me/following/${userId}`); show(true);
        }
      } catch (err) { alert(err.message); }
      button.disabled = false;
    });
  }

  const messageHref = (shopId, about) =>
    `/me/messages?shop=${encodeURIComponent(shopId)}${about ? `&about=${encodeURIComponent(about)}` : ""}`;

  return { $, label, say, ok, when, esc, followButton, messageHref };
})();
