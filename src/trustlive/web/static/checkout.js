// Buying in place: a confirmation dialog with quantity and address, then the order, then the
// sandbox payment. The caller says how the order is placed (placeOrder, placeRoomOrder,
// buyFlashSale); the dialog owns the Idempotency-Key, so a retried click never orders twice.
"use strict";
const Checkout = (() => {
  const ADDRESS_KEY = "trustlive.address";
  const FIELDS = [
    ["recipient", "收货人 Recipient", "name"],
    ["phone", "手机 Phone", "tel"],
    ["province", "省 Province", "address-level1"],
    ["city", "市 City", "address-level2"],
    ["district", "区 District", "address-level3"],
    ["detail", "详细地址 Street address", "street-address"],
  ];
  const { esc, yuan } = TL;

  function savedAddress() {
    return JSON.parse(localStorage.getItem(ADDRESS_KEY) || "{}");
  }

  function addressFields() {
    const saved = savedAddress();
    return FIELDS.map(([name, label, auto]) => `
      <label class="${name === "detail" ? "wide" : ""}">${label}
        <input name="${name}" autocomplete="${auto}" required maxlength="${name === "detail" ? 120 : 20}"
               value="${esc(saved[name] || "")}"></label>`).join("");
  }

  // The buyer's address book (My account): the default fills the form, another can be picked.
  async function offerSavedAddresses(form) {
    let items = [];
    try { items = (await TL.api("GET", "/me/addresses")).items; } catch { return; }
    if (!items.length) return;
    const select = form.querySelector("#checkout-saved");
    select.innerHTML = items.map((a, i) => `<option value="${i}">${esc(a.recipient)} · ${
      esc(a.city)} ${esc(a.district)} ${esc(a.detail)}</option>`).join("")
      + `<option value="">其他地址 Another address</option>`;
    const use = () => {
      const a = items[Number(select.value)];
      if (select.value === "" || !a) return;
      FIELDS.forEach(([name]) => { form[name].value = a[name]; });
    };
    select.addEventListener("change", use);
    form.querySelector("#checkout-saved-label").hidden = false;
    if (!form.dataset.touched) use();  // never overwrite what the buyer typed meanwhile
  }

  function dialogMarkup(item) {
    return `<form method="dialog" class="dialog-body" id="checkout-form">
      <h2>确认订单 Confirm order</h2>
      <div class="row">
        ${item.imageUrl ? `<img class="thumb" src="${esc(item.imageUrl)}" alt="" data-broken="hide">` : ""}
        <div class="grow">
          <div><b>${esc(item.title)}</b></div>
          <div class="muted">${esc(item.spec)}${item.note ? ` · ${esc(item.note)}` : ""}</div>
          <div class="price">${yuan(item.unitFen)}</div>
        </div>
      </div>
      <label class="qty">数量 Quantity
        <input type="number" name="quantity" min="1" max="${item.maxQuantity}" value="1" required></label>
      <label id="checkout-saved-label" hidden>常用地址 Saved address
        <select id="checkout-saved"></select></label>
      <div class="fields">${addressFields()}</div>
      <div class="spread"><span>合计 Total</span><b class="price" id="checkout-total"></b></div>
      <p class="notice" id="checkout-error" role="alert" hidden></p>
      <div class="actions">
        <button type="button" class="secondary" id="checkout-cancel">取消 Cancel</button>
        <button type="submit" id="checkout-confirm">确认并支付 Confirm &amp; pay</button>
      </div>
    </form>`;
  }

  function successMarkup(order) {
    return `<div class="dialog-body" id="checkout-done">
      <h2>支付成功 Payment received</h2>
      <p class="notice ok">Order <b>${esc(order.id)}</b> is paid: ${yuan(order.total_fen)}.
        The shop ships it next.</p>
      <div class="actions">
        <a class="button secondary" href="/me/orders">我的订单 My orders</a>
        <button type="button" id="checkout-close">好的 Done</button>
      </div></div>`;
  }

  /**
   * Open the dialog. item: {title, spec, unitFen, imageUrl?, note?, maxQuantity, onPaid?(order)}.
   * place({quantity, address}, idempotencyKey) must resolve to the placed order.
   * Resolves to the paid order, or null when the buyer closes the dialog first.
   */
  function open(item, place) {
    if (!TL.me()) { TL.requireLogin(); return Promise.resolve(null); }
    const dialog = document.createElement("dialog");
    dialog.id = "checkout";
    dialog.innerHTML = dialogMarkup(item);
    document.body.appendChild(dialog);
    const form = dialog.querySelector("form");
    const errorBox = dialog.querySelector("#checkout-error");
    const confirmButton = dialog.querySelector("#checkout-confirm");
    const total = () => {
      const q = Math.max(1, Number(form.quantity.value) || 1);
      dialog.querySelector("#checkout-total").textContent = yuan(item.unitFen * q);
    };
    form.quantity.addEventListener("input", total);
    total();
    form.querySelector(".fields").addEventListener("input", () => { form.dataset.touched = "1"; });
    offerSavedAddresses(form);

    let attempt = null;   // {body, key, order}: the same body is retried with the same key
    return new Promise((resolve) => {
      let paid = null;
      const close = () => { dialog.close(); dialog.remove(); resolve(paid); };
      dialog.addEventListener("cancel", (e) => { e.preventDefault(); close(); });
      dialog.querySelector("#checkout-cancel").addEventListener("click", close);
      form.addEventListener("submit", async (e) => {
        e.preventDefault();
        errorBox.hidden = true;
        const address = Object.fromEntries(FIELDS.map(([name]) => [name, form[name].value.trim()]));
        const body = { quantity: Number(form.quantity.value), address };
        const fingerprint = JSON.stringify(body);
        if (!attempt || attempt.fingerprint !== fingerprint && !attempt.order) {
          attempt = { fingerprint, key: TL.uuid(), order: null };
        }
        confirmButton.disabled = true;
        try {
          if (!attempt.order) {
            confirmButton.textContent = "下单中… Placing order";
            attempt.order = await place(body, attempt.key);
            localStorage.setItem(ADDRESS_KEY, JSON.stringify(address));
            form.querySelectorAll("input").forEach((input) => { input.readOnly = true; });
            form.querySelector("#checkout-saved").disabled = true;
          }
          confirmButton.textContent = "支付中… Paying";
          paid = (await TL.api("POST", `/orders/${attempt.order.id}/payments`)).order;
          dialog.innerHTML = successMarkup(paid);
          item.onPaid?.(paid);
          dialog.querySelector("#checkout-close").addEventListener("click", close);
        } catch (err) {
          errorBox.textContent = attempt.order
            ? `The order is placed but not paid: ${err.message}. Try again, or pay it from My orders.`
            : err.message;
          errorBox.hidden = false;
          confirmButton.textContent = attempt.order ? "重新支付 Pay again" : "确认并支付 Confirm & pay";
          confirmButton.disabled = false;
        }
      });
      dialog.showModal();
    });
  }

  return { open, savedAddress };
})();
