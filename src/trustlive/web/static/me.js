// My account: the display name, and the address book checkout picks from.
"use strict";
(() => {
  TL.requireLogin();
  if (!TL.me()) return;
  const { $, label, say, ok, esc } = Buyer;
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");

  async function loadProfile() {
    const me = await TL.api("GET", "/users/me");
    $("display-name").value = me.display_name;
    $("profile-facts").textContent = `${fill(label("member_since"), {
      username: me.username, date: new Date(me.created_at).toLocaleDateString() })} · ${
      fill(label("follows"), me)}`;
  }

  $("profile-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const me = await TL.api("PATCH", "/users/me", { display_name: $("display-name").value });
      const session = JSON.parse(localStorage.getItem("trustlive.session"));
      session.user.display_name = me.display_name;
      localStorage.setItem("trustlive.session", JSON.stringify(session));
      ok("profile-note", label("saved"));
    } catch (err) { say("profile-note", err); }
  });

  function addressCard(a) {
    return `<article class="address-card" data-address-id="${esc(a.id)}">
      <div class="spread"><b>${esc(a.recipient)} · ${esc(a.phone)}</b>
        ${a.is_default ? `<span class="badge">${esc(label("default"))}</span>` : ""}</div>
      <div>${esc(a.province)} ${esc(a.city)} ${esc(a.district)} ${esc(a.detail)}</div>
      <div class="row">
        ${a.is_default ? "" : `<button class="small secondary" data-act="default">${esc(label("make_default"))}</button>`}
        <button class="small secondary" data-act="delete">${esc(label("delete"))}</button>
      </div></article>`;
  }

  async function loadAddresses() {
    const { items } = await TL.api("GET", "/me/addresses");
    $("addresses").innerHTML = items.map(addressCard).join("");
    $("addresses-empty").hidden = items.length > 0;
    $("address-add").open = items.length === 0;
    $("addresses").querySelectorAll("button[data-act]").forEach((b) => b.addEventListener("click", async () => {
      const id = b.closest("[data-address-id]").dataset.addressId;
      try {
        if (b.dataset.act === "delete") {
          if (!confirm(label("confirm_delete"))) return;
          await TL.api("DELETE", `/me/addresses/${id}`);
        } else {
          await TL.api("PATCH", `/me/addresses/${id}`, { is_default: true });
        }
        await loadAddresses();
      } catch (err) { say("page-error", err); }
    }));
  }

  $("address-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const f = e.target;
    const body = Object.fromEntries(["recipient", "phone", "province", "city", "district", "detail"]
      .map((k) => [k, f.elements[k].value.trim()]));
    body.is_default = f.is_default.checked;
    try {
      await TL.api("POST", "/me/addresses", body);
      f.reset();
      $("address-error").hidden = true;
      await loadAddresses();
    } catch (err) { say("address-error", err); }
  });

  Promise.all([loadProfile(), loadAddresses()]).catch((err) => say("page-error", err));
})();
