// "My orders": state badges, the buttons each order's `actions` allows, payment, receipt, review.
"use strict";
(() => {
  TL.requireLogin();
  const { api, esc, yuan } = TL;
  const $ = (id) => document.getElementById(id);
  const STATUS = {
    pending_payment: "待付款 Awaiting payment", paid: "待发货 Paid", shipped: "已发货 Shipped",
    received: "已收货 Received", completed: "已完成 Completed", cancelled: "已取消 Cancelled",
  };
  const REVIEWABLE = new Set(["received", "completed"]);
  const AFTERSALE_OPEN = new Set(["paid", "shipped", "received", "completed"]);  // orders.REFUNDABLE
  const shopNames = new Map();
  const reviewedOrders = new Map();   // product id -> Promise<Set of order ids reviewed>
  let status = "";
  let before = null;

  function showError(err) {
    $("page-error").textContent = err.message;
    $("page-error").hidden = false;
  }

  function shopName(shopId) {
    if (!shopNames.has(shopId)) {
      shopNames.set(shopId, api("GET", `/shops/${shopId}`).then((s) => s.name).catch(() => `Shop ${shopId}`));
    }
    return shopNames.get(shopId);
  }

  function reviewedFor(productId) {
    if (!reviewedOrders.has(productId)) {
      reviewedOrders.set(productId, api("GET", `/products/${productId}/reviews?limit=100`)
        .then((page) => new Set(page.items.map((r) => r.order_id))).catch(() => new Set()));
    }
    return reviewedOrders.get(productId);
  }

  // Paying is the buyer's to start while an order awaits payment; the provider completes it.
  function buttonsFor(order) {
    const buttons = [];
    if (order.status === "pending_payment") buttons.push(["pay", "付款 Pay"]);
    if (order.actions.includes("confirm_receipt")) buttons.push(["confirm_receipt", "确认收货 Confirm receipt"]);
    if (order.actions.includes("cancel")) buttons.push(["cancel", "取消订单 Cancel"]);
    return buttons.map(([action, label]) =>
      `<button class="small ${action === "cancel" ? "secondary" : ""}" data-action="${action}">${label}</button>`).join("");
  }

  function reviewForm() {
    const select = (name, label) => `<label>${label}<select name="${name}">
      ${[5, 4, 3, 2, 1].map((n) => `<option value="${n}">${"★".repeat(n)} ${n}</option>`).join("")}</select></label>`;
    return `<form class="review-form" data-role="review">
      <b>评价 Review this order</b>
      <div class="ratings">${select("rating_described", "描述 Described")}
        ${select("rating_service", "服务 Service")}${select("rating_logistics", "物流 Delivery")}</div>
      <label>评价内容 Comment<textarea name="text" rows="2" maxlength="1000"></textarea></label>
      <button class="small" type="submit">提交评价 Submit review</button></form>`;
  }

  function orderMarkup(order) {
    const lines = order.lines.map((ln) => `
      <div class="line">
        ${ln.image_url ? `<img class="thumb" src="${esc(ln.image_url)}" alt="" data-broken="hide">` : `<div class="thumb"></div>`}
        <div class="grow"><a href="/products/${esc(ln.product_id)}">${esc(ln.title)}</a>
          <div class="muted">${esc(ln.spec_name)} × ${ln.quantity}</div></div>
        <div class="price">${yuan(ln.line_total_fen)}</div>
      </div>`).join("");
    const deadline = order.status === "pending_payment"
      ? `<span class="muted">Pay before ${new Date(order.pay_deadline_at).toLocaleTimeString()}</span>` : "";
    const shipping = order.tracking_no
      ? `<div class="muted">${esc(order.carrier)} ${esc(order.tracking_no)}</div>` : "";
    return `<article class="card order" data-order-id="${esc(order.id)}" data-status="${esc(order.status)}">
      <div class="spread"><span class="muted" data-role="shop">…</span>
        <span class="status status-${esc(order.status)}">${STATUS[order.status] || esc(order.status)}</span></div>
      ${lines}
      ${shipping}
      <div class="spread"><span class="muted">#${esc(order.id)} · ${new Date(order.placed_at).toLocaleString()}
        ${order.room_id ? ` · <a href="/rooms/${esc(order.room_id)}">直播间 live room</a>` : ""}</span>
        <span>合计 Total <b class="price">${yuan(order.total_fen)}</b></span></div>
      <div class="spread">${deadline}<div class="row" data-role="actions">${buttonsFor(order)}</div></div>
      <div class="row" data-role="links">
        ${AFTERSALE_OPEN.has(order.status) ? `<a class="button small secondary" data-role="aftersale"
          href="/me/orders/${esc(order.id)}/aftersale">${esc(Buyer.label("aftersale"))}</a>` : ""}
        <a class="button small secondary" data-role="message"
          href="${Buyer.messageHref(order.shop_id, `#${order.id}`)}">${esc(Buyer.label("message"))}</a></div>
      <p class="notice" data-role="error" hidden></p>
      <div data-role="review"></div>
    </article>`;
  }

  async function attachReview(card, order) {
    if (!REVIEWABLE.has(order.status)) return;
    const seen = await reviewedFor(order.lines[0].product_id);
    const slot = card.querySelector('div[data-role="review"]');
    if (seen.has(order.id)) {
      slot.innerHTML = `<p class="muted">已评价 Reviewed — thank you.</p>`;
      return;
    }
    slot.innerHTML = reviewForm();
    slot.querySelector("form").addEventListener("submit", async (e) => {
      e.preventDefault();
      const f = e.target;
      try {
        await api("POST", `/orders/${order.id}/review`, {
          rating_described: Number(f.rating_described.value), rating_service: Number(f.rating_service.value),
          rating_logistics: Number(f.rating_logistics.value), text: f.text.value,
        });
        slot.innerHTML = `<p class="notice ok">已评价 Review posted — thank you.</p>`;
      } catch (err) { showCardError(card, err); }
    });
  }

  function showCardError(card, err) {
    const box = card.querySelector('[data-role="error"]');
    box.textContent = err.message;
    box.hidden = false;
  }

  async function act(card, order, action) {
    const calls = {
      pay: () => api("POST", `/orders/${order.id}/payments`).then((r) => r.order),
      confirm_receipt: () => api("POST", `/orders/${order.id}/receipt`),
      cancel: () => api("POST", `/orders/${order.id}/cancel`, { reason: "cancelled by the buyer" }),
    };
    if (action === "cancel" && !confirm("Cancel this order?")) return;
    card.querySelectorAll("button").forEach((b) => { b.disabled = true; });
    try {
      render(card, await calls[action]());
    } catch (err) {
      showCardError(card, err);
      card.querySelectorAll("button").forEach((b) => { b.disabled = false; });
    }
  }

  function render(existing, order) {
    const holder = document.createElement("div");
    holder.innerHTML = orderMarkup(order);
    const card = holder.firstElementChild;
    if (existing) existing.replaceWith(card); else $("orders").appendChild(card);
    shopName(order.shop_id).then((name) => { card.querySelector('[data-role="shop"]').textContent = `店铺 ${name}`; });
    card.querySelectorAll("button[data-action]").forEach((b) =>
      b.addEventListener("click", () => act(card, order, b.dataset.action)));
    attachReview(card, order);
  }

  let generation = 0;  // a tab clicked while a page loads: the older answer is dropped
  async function load(reset) {
    if (reset) { before = null; $("orders").innerHTML = ""; generation += 1; }
    const mine = generation;
    const q = new URLSearchParams({ limit: "20" });
    if (status) q.set("status", status);
    if (before) q.set("before", before);
    const page = await api("GET", `/me/orders?${q}`);
    if (mine !== generation) return;
    page.items.forEach((o) => render(null, o));
    before = page.next_before;
    $("more-orders").hidden = !before;
    $("orders-empty").hidden = $("orders").children.length > 0;
  }

  $("status-tabs").querySelectorAll("button").forEach((tab) => tab.addEventListener("click", () => {
    $("status-tabs").querySelectorAll("button").forEach((t) => t.setAttribute("aria-pressed", t === tab));
    status = tab.dataset.status;
    $("page-error").hidden = true;
    load(true).catch(showError);
  }));
  $("more-orders").addEventListener("click", () => load(false).catch(showError));
  if (TL.me()) load(true).catch(showError);
})();
