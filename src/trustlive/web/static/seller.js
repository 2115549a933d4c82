// The seller center's shared part: which shop, its name in the tabs, small helpers, and the
// "my shops" page (pick a shop or open one).
"use strict";
const Seller = (() => {
  const { api, esc, t } = TL;
  const root = document.getElementById("seller-page") || document.getElementById("seller-tabs");
  const shopId = root ? root.dataset.shopId : null;
  const $ = (id) => document.getElementById(id);
  const when = (iso) => (iso ? new Date(iso).toLocaleString() : "—");
  const fail = (err) => TL.showError($("page-error"), err);

  const ROLE_LABELS = {
    owner: t("Owner"), admin: t("Admin"), operations: t("Operations"),
    customer_service: t("Customer service"), fulfilment: t("Fulfilment"), anchor: t("Anchor"),
  };

  // Status chips: one pressed at a time; `load(status)` shows that status.
  function chips(box, load) {
    box.addEventListener("click", (e) => {
      const chip = e.target.closest("[data-status]");
      if (!chip) return;
      for (const c of box.querySelectorAll("[data-status]")) c.setAttribute("aria-pressed", String(c === chip));
      load(chip.dataset.status);
    });
    return () => box.querySelector("[aria-pressed=true]").dataset.status;
  }

  async function showShopName() {
    if (!shopId || !$("shop-name")) return;
    try { $("shop-name").textContent = (await api("GET", `/shops/${shopId}`)).name; } catch (err) { fail(err); }
  }

  async function home() {
    const list = $("my-shops");
    try {
      const mine = await api("GET", "/me/shops");
      list.innerHTML = mine.map(({ shop, role }) => `<div class="spread pin shop-row">
        <span><b>${esc(shop.name)}</b> <span class="muted">${esc(ROLE_LABELS[role] || role)}</span></span>
        <a class="button small" href="/seller/shops/${esc(shop.id)}/products">${esc(t("Manage"))}</a></div>`).join("");
      $("no-shops").hidden = mine.length > 0;
    } catch (err) { list.innerHTML = ""; fail(err); }
    $("open-shop").addEventListener("submit", async (e) => {
      e.preventDefault();
      const form = new FormData(e.target);
      try {
        const shop = await api("POST", "/shops", { name: form.get("name"), description: form.get("description") });
        TL.forgetNav();
        location.href = `/seller/shops/${shop.id}/products`;
      } catch (err) { TL.showError($("open-error"), err); }
    });
  }

  TL.requireLogin();
  if (TL.me()) {
    if ($("seller-home")) home();
    showShopName();
  }
  return { shopId, $, when, fail, chips, ROLE_LABELS, active: Boolean(TL.me() && shopId) };
})();
