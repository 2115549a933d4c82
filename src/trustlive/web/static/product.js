// The product page: images, SKUs with price and stock, sold count, reviews, buy a SKU.
"use strict";
(() => {
  const { api, esc, yuan, stockText } = TL;
  const root = document.getElementById("product-page");
  const productId = root.dataset.productId;
  const $ = (id) => document.getElementById(id);
  let product = null;
  let chosen = null;
  let reviewsBefore = null;

  function showError(err) {
    $("page-error").textContent = err.message;
    $("page-error").hidden = false;
  }

  function renderGallery(urls) {
    const main = urls[0]
      ? `<img id="main-image" src="${esc(urls[0])}" alt="" data-broken="placeholder">`
      : `<div class="ph">暂无图片 no image</div>`;
    const thumbs = urls.length > 1
      ? `<div class="thumbs">${urls.map((u) => `<img src="${esc(u)}" alt="" data-src="${esc(u)}">`).join("")}</div>`
      : "";
    $("gallery").innerHTML = main + thumbs;
    $("gallery").querySelectorAll(".thumbs img").forEach((img) => img.addEventListener("click", () => {
      const target = $("main-image");
      if (target) target.src = img.dataset.src;
    }));
  }

  function priceRange(skus) {
    const prices = skus.map((s) => s.price_fen);
    const lo = Math.min(...prices), hi = Math.max(...prices);
    return lo === hi ? yuan(lo) : `${yuan(lo)} – ${yuan(hi)}`;
  }

  function renderSkus() {
    $("skus").innerHTML = product.skus.map((s) => `
      <button type="button" class="chip sku" data-sku-id="${esc(s.id)}" aria-pressed="${chosen?.id === s.id}"
              ${s.stock > 0 ? "" : "disabled"}>
        ${esc(s.spec_name)} · <span class="price">${yuan(s.price_fen)}</span><br>
        <span class="muted stock">${esc(stockText(s))}</span>
      </button>`).join("");
    $("skus").querySelectorAll(".sku").forEach((b) => b.addEventListener("click", () => {
      chosen = product.skus.find((s) => s.id === b.dataset.skuId);
      renderSkus();
    }));
    const buyable = product.status === "listed" && chosen && chosen.stock > 0;
    $("buy").disabled = !buyable;
    $("sku-hint").textContent = product.status !== "listed" ? "This product is not on sale"
      : chosen ? `${chosen.spec_name} · ${yuan(chosen.price_fen)}` : "Choose an option";
    $("product-price").textContent = chosen ? yuan(chosen.price_fen) : priceRange(product.skus);
  }

  async function loadProduct() {
    product = await api("GET", `/products/${productId}`);
    document.title = `${product.title} · trustlive`;
    $("product-title").textContent = product.title;
    $("product-sold").textContent = product.sold_count;
    $("product-description").textContent = product.description;
    renderGallery(product.image_urls);
    const inStock = product.skus.filter((s) => s.stock > 0);
    chosen = inStock.find((s) => s.id === chosen?.id) || (inStock.length === 1 ? inStock[0] : null);
    renderSkus();
    $("product").hidden = false;
    TL.guaranteeBadges(product.id).then((html) => { $("guarantees").innerHTML = html; });
    api("GET", `/shops/${product.shop_id}`)
      .then((shop) => { $("product-shop").textContent = `店铺 ${shop.name}`; })
      .catch(() => {});
  }

  const stars = (n) => "★".repeat(n) + "☆".repeat(5 - n);

  async function loadReviews() {
    const q = reviewsBefore ? `?before=${reviewsBefore}&limit=10` : "?limit=10";
    const page = await api("GET", `/products/${productId}/reviews${q}`);
    const html = page.items.map((r) => `
      <div class="review">
        <div class="spread"><b>${esc(r.buyer_name)}</b>
          <span class="muted">${new Date(r.created_at).toLocaleDateString()}</span></div>
        <div class="stars" title="described / service / delivery">
          ${stars(r.rating_described)} <span class="muted">描述 ${r.rating_described} · 服务
          ${r.rating_service} · 物流 ${r.rating_logistics}</span></div>
        ${r.text ? `<p>${esc(r.text)}</p>` : ""}
        ${r.reply_text ? `<p class="muted">商家回复 Shop reply: ${esc(r.reply_text)}</p>` : ""}
      </div>`).join("");
    if (!reviewsBefore && !page.items.length) {
      $("reviews").innerHTML = `<p class="muted">还没有评价 No reviews yet.</p>`;
    } else {
      $("reviews").insertAdjacentHTML("beforeend", html);
    }
    reviewsBefore = page.next_before;
    $("more-reviews").hidden = !reviewsBefore;
    $("reviews-section").hidden = false;
  }

  $("more-reviews").addEventListener("click", () => loadReviews().catch(showError));

  $("buy").addEventListener("click", async () => {
    const sku = chosen;
    await Checkout.open(
      { title: product.title, spec: sku.spec_name, unitFen: sku.price_fen,
        imageUrl: product.image_urls[0], maxQuantity: Math.min(sku.stock, 999),
        onPaid: () => loadProduct().catch(showError) },
      (body, key) => api("POST", "/orders", {
        lines: [{ sku_id: sku.id, quantity: body.quantity }], address: body.address,
      }, { "Idempotency-Key": key }),
    );
  });

  loadProduct().then(loadReviews).catch(showError);
})();
