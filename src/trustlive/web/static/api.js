// The pages' only way to the server: the JSON API with the bearer token kept in localStorage.
// Texts are English in the source and go through t(): the page carries their translations.
"use strict";
// A broken image says what to do in data-broken (the Content-Security-Policy runs no inline
// onerror handlers): hide it, remove it, or put a "no image" placeholder in its place.
document.addEventListener("error", (e) => {
  const img = e.target;
  if (!(img instanceof HTMLImageElement) || !img.dataset.broken) return;
  if (img.dataset.broken === "hide") img.style.visibility = "hidden";
  else if (img.dataset.broken === "remove") img.remove();
  else if (img.dataset.broken === "placeholder") {
    img.replaceWith(Object.assign(document.createElement("div"), { className: "ph", textContent: TL.t("no image") }));
  }
}, true);
const TL = (() => {
  const box = document.getElementById("tl-messages");
  const messages = box ? JSON.parse(box.textContent) : {};
  const t = (text, params = {}) => String(messages[text] || text)
    .replace(/%\((\w+)\)s/g, (_, key) => String(params[key] ?? ""));
  const KEY = "trustlive.session";
  const session = () => JSON.parse(localStorage.getItem(KEY) || "null");

  async function api(method, path, body, headers = {}) {
    const s = session();
    const init = { method, headers: { ...headers } };
    if (s) init.headers.Authorization = `Bearer ${s.token}`;
    if (body !== undefined) {
      init.headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const res = await fetch(`/api/v1${path}`, init);
    if (res.status === 204) return null;
    const data = await res.json().catch(() => ({}));
    if (!res.ok) {
      if (res.status === 401 && s) localStorage.removeItem(KEY);
      const err = new Error(data.detail || data.title || `HTTP ${res.status}`);
      err.problem = data; err.status = res.status;
      throw err;
    }
    return data;
  }

  async function login(username, password) {
    const data = await api("POST", "/sessions", { username, password });
    localStorage.setItem(KEY, JSON.stringify({ token: data.token, user: data.user }));
    sessionStorage.removeItem(NAV_KEY);
    return data.user;
  }

  async function logout() {
    try { await api("DELETE", "/sessions/current"); } finally { localStorage.removeItem(KEY); }
  }

  const yuan = (fen) => `¥${(fen / 100).toFixed(2)}`;
  const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  const me = () => session()?.user ?? null;

  function requireLogin() {
    if (!session()) location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
  }

  function showWho() {
    const box = document.getElementById("who");
    const user = me();
    if (!box || !user) return;
    box.innerHTML = `${esc(user.display_name)} · <a href="#" id="logout">${esc(t("Log out"))}</a>`;
    document.getElementById("logout").addEventListener("click", async (e) => {
      e.preventDefault(); sessionStorage.removeItem(NAV_KEY); await logout(); location.href = "/";
    });
  }

  // The header shows what this person may open: buyer pages once logged in, "my shops" to shop
  // staff, the console to anchors and creators, the operator pages to operators. What they may
  // open is remembered for the tab (no flicker between pages) and refreshed on every page.
  const NAV_KEY = "trustlive.nav";
  const BROADCASTERS = new Set(["owner", "admin", "operations", "anchor"]);
  function showNav(access) {
    const shown = new Set(["buyer"]);
    if (access.shops.length) shown.add("seller");
    if (access.roles.includes("creator") || access.shops.some((s) => BROADCASTERS.has(s.role))) {
      shown.add("anchor");
    }
    if (access.roles.includes("operator")) shown.add("operator");
    for (const link of document.querySelectorAll("[data-nav]")) link.hidden = !shown.has(link.dataset.nav);
  }
  async function refreshNav() {
    const s = session();
    if (!s) return;
    const cached = JSON.parse(sessionStorage.getItem(NAV_KEY) || "null");
    if (cached && cached.token === s.token) showNav(cached);
    else showNav({ roles: s.user.roles || [], shops: [] });
    try {
      const [user, shops] = await Promise.all([api("GET", "/users/me"), api("GET", "/me/shops")]);
      const access = { token: s.token, roles: user.roles,
        shops: shops.map((m) => ({ id: m.shop.id, name: m.shop.name, role: m.role })) };
      sessionStorage.setItem(NAV_KEY, JSON.stringify(access));
      showNav(access);
    } catch (err) { /* the page itself says what went wrong */ }
  }
  function forgetNav() { sessionStorage.removeItem(NAV_KEY); }

  function wireMenu() {
    const toggle = document.getElementById("nav-toggle");
    if (!toggle) return;
    toggle.addEventListener("click", () => {
      const open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", String(open));
      toggle.closest(".topbar").classList.toggle("open", open);
    });
  }
  document.addEventListener("DOMContentLoaded", () => { showWho(); wireMenu(); refreshNav(); });

  // A failure shown as a sentence in `box` (the API's problem detail, in the page's language).
  function showError(box, err) {
    box.textContent = err && err.message ? err.message : String(err);
    box.hidden = false;
  }

  // The trust card: which guarantees protect a product, shown wherever the buyer decides.
  const GUARANTEE_LABELS = {
    seven_day_return: t("7-day no-reason return"),
    return_shipping_refund: t("Return shipping paid back"),
    instant_refund: t("Instant refund"),
    refund_without_return: t("Refund without return"),
    counterfeit_tenfold: t("10× if counterfeit"),
    fast_shipping: t("Ships on time or pays"),
  };
  const guaranteeCache = new Map();
  async function guaranteeBadges(productId) {
    if (!guaranteeCache.has(productId)) {
      guaranteeCache.set(productId, api("GET", `/products/${productId}/guarantees`)
        .then((g) => g.guarantees).catch(() => []));
    }
    const kinds = await guaranteeCache.get(productId);
    return kinds.map((k) => `<span class="badge guarantee" data-guarantee="${esc(k)}">✓ ${
      esc(GUARANTEE_LABELS[k] || k)}</span>`).join(" ");
  }

  // What a buyer is told of a SKU's stock; the API decides by policy (catalog/policy.toml).
  const stockText = (sku) => ({
    in_stock: t("in stock"),
    few_left: t("only %(n)s left", { n: sku.only_left }),
    sold_out: t("sold out"),
  }[sku.availability] ?? "");

  return { api, login, logout, me, yuan, esc, requireLogin, guaranteeBadges, stockText, t,
    showError, forgetNav, GUARANTEE_LABELS, uuid: () => crypto.randomUUID() };
})();
