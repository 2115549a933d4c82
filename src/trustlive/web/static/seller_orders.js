// Seller center: orders to ship (one by one or from a CSV file) and the after-sales queue.
"use strict";
(() => {
  if (!Seller.active) return;
  const { api, esc, t, yuan } = TL;
  const { shopId, $, when, fail, chips } = Seller;
  const section = document.getElementById("seller-page").dataset.section;
  const CARRIERS = ["顺丰速运", "中通快递", "圆通速递", "韵达快递", "申通快递", "京东物流", "EMS"];

  // ---- orders ----
  let before = null;
  const address = (a) => [a.recipient, a.phone, a.province, a.city, a.district, a.detail]
    .filter(Boolean).map(esc).join(" ");
  const orderHtml = (o) => `<article class="card order-row" data-order-id="${esc(o.id)}">
    <div class="spread"><b>${esc(t("Order"))} ${esc(o.id)}</b><span class="muted">${esc(when(o.placed_at))}</span></div>
    <ul>${o.lines.map((l) => `<li>${esc(l.title)} · ${esc(l.spec_name)} × ${l.quantity}</li>`).join("")}</ul>
    <p>${esc(t("Total"))} <b>${yuan(o.total_fen)}</b>${o.buyer_note ? ` · ${esc(t("Note"))}: ${esc(o.buyer_note)}` : ""}</p>
    <p class="muted address">${address(o.address)}
      ${o.status === "paid" ? `<button type="button" class="link small" data-act="reveal">${esc(t("Show the full address"))}</button>` : ""}</p>
    ${o.status === "paid" ? `<form class="row ship-form">
      <label>${esc(t("Carrier"))} <input name="carrier" list="carriers" maxlength="40" required></label>
      <label>${esc(t("Tracking number"))} <input name="tracking_no" pattern="[A-Za-z0-9\\-]{4,40}" required></label>
      <button type="submit" class="small">${esc(t("Ship"))}</button></form>`
      : o.carrier ? `<p>${esc(t("Shipped with"))} ${esc(o.carrier)} <b>${esc(o.tracking_no)}</b> · ${esc(when(o.shipped_at))}</p>` : ""}
  </article>`;

  async function loadOrders(reset) {
    if (reset) { before = null; $("orders").innerHTML = ""; }
    try {
      const status = currentStatus();
      const q = new URLSearchParams({ limit: "20", ...(status ? { status } : {}), ...(before ? { before } : {}) });
      const page = await api("GET", `/shops/${shopId}/orders?${q}`);
      $("orders").insertAdjacentHTML("beforeend", page.items.map(orderHtml).join(""));
      $("no-orders").hidden = Boolean($("orders").children.length);
      before = page.next_before;
      $("more-orders").hidden = before === null;
    } catch (err) { fail(err); }
  }

  async function ship(orderId, carrier, trackingNo) {
    return api("POST", `/orders/${orderId}/shipment`, { carrier, tracking_no: trackingNo });
  }

  // "order id, carrier, tracking number" per line; a first line that is not an id is a header
  function parseCsv(text) {
    return text.split(/\r?\n/).map((line) => line.split(",").map((c) => c.trim().replace(/^"|"$/g, "")))
      .filter((cells) => cells.length >= 3 && /^[0-9]+$/.test(cells[0]));
  }

  let currentStatus = () => "paid";
  if (section === "orders") {
    document.body.insertAdjacentHTML("beforeend",
      `<datalist id="carriers">${CARRIERS.map((c) => `<option value="${esc(c)}">`).join("")}</datalist>`);
    currentStatus = chips($("status-tabs"), () => loadOrders(true));
    $("orders").addEventListener("submit", async (e) => {
      e.preventDefault();
      const form = e.target;
      const id = form.closest("[data-order-id]").dataset.orderId;
      try { await ship(id, form.elements.carrier.value, form.elements.tracking_no.value); await loadOrders(true); } catch (err) { fail(err); }
    });
    $("orders").addEventListener("click", async (e) => {
      if (e.target.dataset.act !== "reveal") return;
      const card = e.target.closest("[data-order-id]");
      try {
        const shown = await api("POST", `/orders/${card.dataset.orderId}/address-reveals`, { reason: t("printing the waybill") });
        card.querySelector(".address").innerHTML = address(shown.address);
      } catch (err) { fail(err); }
    });
    $("batch-form").addEventListener("submit", async (e) => {
      e.preventDefault();
      const rows = parseCsv(await $("batch-file").files[0].text());
      const results = [];
      for (const [id, carrier, trackingNo] of rows) {
        try { await ship(id, carrier, trackingNo); results.push(`<li class="ok">${esc(id)}: ${esc(t("shipped"))}</li>`); }
        catch (err) { results.push(`<li class="error">${esc(id)}: ${esc(err.message)}</li>`); }
      }
      $("batch-results").innerHTML = results.join("") || `<li>${esc(t("No order lines found in the file."))}</li>`;
      await loadOrders(true);
    });
    $("more-orders").addEventListener("click", () => loadOrders(false));
    loadOrders(true);
  }

  // ---- after-sales ----
  const WHY = t("Why you reject it");
  const EVIDENCE = t("evidence");
  const KINDS = { refund_only: t("Refund only"), return_refund: t("Return and refund"), exchange: t("Exchange") };
  const REASONS = {
    not_as_described: t("Not as described"), quality_problem: t("Quality problem"),
    counterfeit_suspected: t("Suspected counterfeit"), wrong_item: t("Wrong item"),
    late_shipping: t("Shipped late"), no_reason_7_days: t("7-day no-reason return"), other: t("Other"),
  };
  function deadline(r) {
    if (!r.decide_by_at || r.status !== "pending") return "";
    const hours = Math.round((new Date(r.decide_by_at) - Date.now()) / 3600000);
    const left = hours >= 0 ? t("%(n)s h left", { n: hours }) : t("overdue");
    return `<p class="deadline ${hours < 6 ? "overdue" : ""}">${esc(t("Answer by"))} ${esc(when(r.decide_by_at))} (${esc(left)})</p>`;
  }
  const requestHtml = (r) => `<article class="card request-row" data-request-id="${esc(r.id)}">
    <div class="spread"><b>${esc(KINDS[r.kind] || r.kind)} · ${esc(REASONS[r.reason] || r.reason)}</b>
      <span class="badge">${esc(r.status)}</span></div>
    <p class="muted">${esc(t("Order"))} ${esc(r.order_id)} · ${esc(t("asked"))} ${esc(when(r.opened_at))} · ${yuan(r.amount_fen)}</p>
    ${deadline(r)}
    <p>${esc(r.text)}</p>
    <div class="thumbs">${r.evidence_urls.map((u) => `<a href="${esc(u)}" target="_blank" rel="noopener noreferrer"><img src="${esc(u)}" alt="${esc(EVIDENCE)}" data-broken="placeholder"></a>`).join("")}</div>
    ${r.status === "pending" ? `<p class="row"><button class="small" data-act="accept">${esc(t("Accept"))}</button></p>
      <form class="row reject-form"><input name="reason" minlength="2" maxlength="500" required
        aria-label="${esc(WHY)}" placeholder="${esc(WHY)}" style="flex:1">
        <button type="submit" class="secondary small">${esc(t("Reject"))}</button></form>` : ""}
    ${r.status === "return_shipped" ? `<button class="small" data-act="return-receipt">${esc(t("Return received"))}</button>` : ""}
  </article>`;

  async function loadRequests() {
    try {
      const status = currentStatus();
      const page = await api("GET", `/shops/${shopId}/aftersale-requests?${new URLSearchParams(status ? { status } : {})}`);
      const items = [...page.items].sort((a, b) => String(a.decide_by_at).localeCompare(String(b.decide_by_at)));
      $("requests").innerHTML = items.map(requestHtml).join("");
      $("no-requests").hidden = items.length > 0;
    } catch (err) { fail(err); }
  }
  if (section === "aftersales") {
    currentStatus = chips($("status-tabs"), loadRequests);
    $("requests").addEventListener("click", async (e) => {
      const act = e.target.dataset.act;
      if (!act) return;
      const id = e.target.closest("[data-request-id]").dataset.requestId;
      try { await api("POST", `/aftersale-requests/${id}/${act}`); await loadRequests(); } catch (err) { fail(err); }
    });
    $("requests").addEventListener("submit", async (e) => {
      e.preventDefault();
      const id = e.target.closest("[data-request-id]").dataset.requestId;
      try {
        await api("POST", `/aftersale-requests/${id}/reject`, { reason: e.target.elements.reason.value });
        await loadRequests();
      } catch (err) { fail(err); }
    });
    loadRequests();
  }
})();
