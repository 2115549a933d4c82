// The pages' only way to the server: the JSON API with the bearer token kept in localStorage.
"use strict";
// A broken image says what to do in data-broken (the Content-Security-Policy runs no inline
// onerror handlers): hide it, remove it, or put a "no image" placeholder in its place.
document.addEventListener("error", (e) => {
  const img = e.target;
  if (!(img instanceof HTMLImageElement) || !img.dataset.broken) return;
  if (img.dataset.broken === "hide") img.style.visibility = "hidden";
  else if (img.dataset.broken === "remove") img.remove();
  else if (img.dataset.broken === "placeholder") {
    img.replaceWith(Object.assign(document.createElement("div"), { className: "ph", textContent: "no image" }));
  }
}, true);
const TL = (() => {
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
    box.innerHTML = `${esc(user.display_name)} · <a href="#" id="logout">退出 Log out</a>`;
    document.getElementById("logout").addEventListener("click", async (e) => {
      e.preventDefault(); await logout(); location.href = "/";
    });
  }
  document.addEventListener("DOMContentLoaded", showWho);

  // The trust card: which guarantees protect a product, shown wherever the buyer decides.
  const GUARANTEE_LABELS = {
    seven_day_return: "七天无理由 7-day no-reason return",
    return_shipping_refund: "退货补运费 Return shipping paid back",
    instant_refund: "极速退款 Instant refund",
    refund_without_return: "退款不退货 Refund without return",
    counterfeit_tenfold: "假一赔十 10× if counterfeit",
    fast_shipping: "极速发货 Ships on time or pays",
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
    in_stock: "有货 in stock",
    few_left: `仅剩 ${sku.only_left} 件 only ${sku.only_left} left`,
    sold_out: "售罄 sold out",
  }[sku.availability] ?? "");

  return { api, login, logout, me, yuan, esc, requireLogin, guaranteeBadges, stockText,
    uuid: () => crypto.randomUUID() };
})();
