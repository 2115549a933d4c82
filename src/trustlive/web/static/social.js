// Follow and write-to-the-shop buttons on product and room pages: a shop's fans follow its owner,
// a room's fans follow the room's owner (a shop's or a creator's).
"use strict";
(async () => {
  const { api } = TL;
  const follow = document.getElementById("follow-button");
  const message = document.getElementById("message-shop");
  if (!follow || !message) return;
  let ownerId = null, shopId = null;
  try {
    const room = document.getElementById("room-page");
    const product = document.getElementById("product-page");
    if (room) {
      const r = await api("GET", `/rooms/${room.dataset.roomId}`);
      ownerId = r.owner_user_id; shopId = r.shop_id;
    } else if (product) {
      shopId = (await api("GET", `/products/${product.dataset.productId}`)).shop_id;
    }
    if (shopId && !ownerId) ownerId = (await api("GET", `/shops/${shopId}`)).owner_id;
  } catch { return; }  // the page itself says what went wrong
  if (shopId) { message.href = Buyer.messageHref(shopId); message.hidden = false; }
  if (ownerId && TL.me()) await Buyer.followButton(follow, ownerId);
  else if (ownerId) {
    follow.hidden = false;
    follow.addEventListener("click", () => TL.requireLogin());
  }
})();
