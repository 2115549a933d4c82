// Seller center: products with their options (SKUs), prices, stock and images; list and delist.
"use strict";
(() => {
  if (!Seller.active) return;
  const { api, esc, t, yuan } = TL;
  const { shopId, $, fail } = Seller;
  const UNITS_LABEL = t("Units to add (negative to remove)");
  const STATUS = { draft: t("Draft"), listed: t("Listed"), delisted: t("Delisted") };
  let images = [];
  let editing = null; // the product being edited, or null for a new one
  let before = null;
  const products = new Map();

  const skuRow = (sku = {}) => `<div class="fields sku-row" data-sku-id="${esc(sku.id || "")}">
    <label>${esc(t("Option name"))} <input name="spec_name" maxlength="60" required value="${esc(sku.spec_name || "")}"></label>
    <label>${esc(t("Price (¥)"))} <input name="price" type="number" min="0.01" step="0.01" required
      value="${sku.price_fen ? (sku.price_fen / 100).toFixed(2) : ""}"></label>
    <label>${esc(t("Stock"))} <input name="stock" type="number" min="0" step="1" value="${sku.stock ?? 0}"
      ${sku.id ? "disabled" : ""}></label></div>`;

  function showThumbs() {
    $("thumbs").innerHTML = images.map((url, n) => `<span class="thumb"><img src="${esc(url)}" alt=""
      data-broken="placeholder"><button type="button" class="link small" data-remove="${n}">${esc(t("Remove"))}</button></span>`).join("");
  }

  function openEditor(product) {
    editing = product;
    images = product ? [...product.image_urls] : [];
    const form = $("product-form");
    form.reset();
    $("editor-title").textContent = product ? t("Edit product") : t("New product");
    form.elements.title.value = product ? product.title : "";
    form.elements.description.value = product ? product.description : "";
    if (product) form.elements.category.value = product.category;
    $("sku-rows").innerHTML = product ? product.skus.map(skuRow).join("") : skuRow();
    showThumbs();
    $("editor-error").hidden = true;
    $("product-editor").hidden = false;
    form.elements.title.focus();
  }

  async function upload(files) {
    for (const file of files) {
      if (images.length >= 9) break;
      const res = await fetch(`/api/v1/shops/${shopId}/images`, {
        method: "POST", body: file,
        headers: { "content-type": file.type || "application/octet-stream",
          Authorization: `Bearer ${JSON.parse(localStorage.getItem("trustlive.session")).token}` },
      });
      const data = await res.json().catch(() => ({}));
      if (!res.ok) throw Object.assign(new Error(data.detail || data.title || `HTTP ${res.status}`), { problem: data });
      images.push(data.url);
      showThumbs();
    }
  }

  function skusOf(form) {
    return [...form.querySelectorAll(".sku-row")].map((row) => {
      const get = (n) => row.querySelector(`[name=${n}]`).value;
      const sku = { spec_name: get("spec_name"), price_fen: Math.round(Number(get("price")) * 100) };
      if (row.dataset.skuId) sku.id = row.dataset.skuId;
      else sku.stock = Number(get("stock"));
      return sku;
    });
  }

  async function save(e) {
    e.preventDefault();
    const form = e.target;
    const body = { title: form.elements.title.value, description: form.elements.description.value,
      category: form.elements.category.value, image_urls: images, skus: skusOf(form) };
    try {
      if (editing) await api("PATCH", `/products/${editing.id}`, body);
      else await api("POST", `/shops/${shopId}/products`, body);
      $("product-editor").hidden = true;
      await reload();
    } catch (err) { TL.showError($("editor-error"), err); }
  }

  const productHtml = (p) => `<article class="card product-row" data-product-id="${esc(p.id)}">
    <div class="spread"><h2 class="title">${esc(p.title)}</h2>
      <span class="badge status" data-status="${esc(p.status)}">${esc(STATUS[p.status] || p.status)}</span></div>
    <div class="thumbs">${p.image_urls.map((u) => `<img src="${esc(u)}" alt="" data-broken="placeholder">`).join("")}</div>
    <ul class="skus">${p.skus.map((s) => `<li>${esc(s.spec_name)} · ${yuan(s.price_fen)} ·
      ${esc(t("stock"))} <b class="stock">${s.stock}</b>
      <form class="row restock" data-sku-id="${esc(s.id)}"><input name="delta" type="number" step="1" required
        aria-label="${esc(UNITS_LABEL)}" style="width:6rem">
        <button type="submit" class="secondary small">${esc(t("Adjust stock"))}</button></form></li>`).join("")}</ul>
    <p class="row">
      ${p.status === "listed" ? `<button class="secondary small" data-act="delist">${esc(t("Delist"))}</button>`
        : `<button class="small" data-act="list">${esc(t("List"))}</button>`}
      <button class="secondary small" data-act="edit">${esc(t("Edit"))}</button>
      <a href="/products/${esc(p.id)}">${esc(t("See it as a buyer"))}</a></p></article>`;

  async function load() {
    try {
      const q = new URLSearchParams({ limit: "20", ...(before ? { before } : {}) });
      const page = await api("GET", `/shops/${shopId}/products?${q}`);
      for (const p of page.items) products.set(p.id, p);
      $("products").insertAdjacentHTML("beforeend", page.items.map(productHtml).join(""));
      before = page.next_before;
      $("more-products").hidden = before === null;
      $("no-products").hidden = products.size > 0;
    } catch (err) { fail(err); }
  }
  async function reload() { before = null; products.clear(); $("products").innerHTML = ""; await load(); }

  $("products").addEventListener("click", async (e) => {
    const button = e.target.closest("button[data-act]");
    if (!button) return;
    const product = products.get(button.closest("[data-product-id]").dataset.productId);
    try {
      if (button.dataset.act === "edit") { openEditor(product); return; }
      await api("POST", `/products/${product.id}/${button.dataset.act}`);
      await reload();
    } catch (err) { fail(err); }
  });
  $("products").addEventListener("submit", async (e) => {
    e.preventDefault();
    const form = e.target;
    try {
      await api("POST", `/skus/${form.dataset.skuId}/stock-adjustments`,
        { delta: Number(form.elements.delta.value), reason: t("adjusted in the seller center") });
      await reload();
    } catch (err) { fail(err); }
  });
  $("new-product").addEventListener("click", () => openEditor(null));
  $("cancel-edit").addEventListener("click", () => { $("product-editor").hidden = true; });
  $("add-sku").addEventListener("click", () => $("sku-rows").insertAdjacentHTML("beforeend", skuRow()));
  $("thumbs").addEventListener("click", (e) => {
    const n = e.target.dataset.remove;
    if (n !== undefined) { images.splice(Number(n), 1); showThumbs(); }
  });
  $("image-files").addEventListener("change", async (e) => {
    try { await upload([...e.target.files]); } catch (err) { TL.showError($("editor-error"), err); }
    e.target.value = "";
  });
  $("product-form").addEventListener("submit", save);
  $("more-products").addEventListener("click", load);
  (async () => {
    try {
      const categories = await api("GET", "/categories");
      const zh = document.documentElement.lang.startsWith("zh");
      $("category").innerHTML = categories.map((c) =>
        `<option value="${esc(c.code)}">${esc(zh ? c.name_zh : c.name)}</option>`).join("");
    } catch (err) { fail(err); }
    await load();
  })();
})();
