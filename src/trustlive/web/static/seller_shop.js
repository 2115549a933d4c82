// Seller center: the messages inbox, deposit and guarantees, and staff with their roles.
"use strict";
(() => {
  if (!Seller.active) return;
  const { api, esc, t, yuan } = TL;
  const { shopId, $, when, fail, ROLE_LABELS } = Seller;
  const section = document.getElementById("seller-page").dataset.section;
  const minutes = (s) => (s < 60 ? t("%(n)s s", { n: s }) : t("%(n)s min", { n: Math.round(s / 60) }));

  // ---- messages: unanswered first (longest waiting on top), then the most recent ----
  let open = null;
  async function loadThreads() {
    try {
      const { items } = await api("GET", `/message-threads?shop_id=${shopId}&limit=100`);
      items.sort((a, b) => (a.waiting_since ? 0 : 1) - (b.waiting_since ? 0 : 1)
        || (a.waiting_since ? a.waiting_since.localeCompare(b.waiting_since)
          : b.last_message_at.localeCompare(a.last_message_at)));
      $("threads").innerHTML = items.map((th) => `<div class="spread pin thread-row" data-thread-id="${esc(th.id)}">
        <span>${esc(t("Buyer"))} ${esc(th.buyer_id)} · <span class="muted">${esc(when(th.last_message_at))}</span>
          ${th.waiting_since ? `<b class="overdue">${esc(t("waiting since %(when)s", { when: when(th.waiting_since) }))}</b>` : `<span class="muted">${esc(t("answered"))}</span>`}</span>
        <button class="small secondary" data-open="${esc(th.id)}">${esc(t("Open"))}</button></div>`).join("");
      $("no-threads").hidden = items.length > 0;
    } catch (err) { fail(err); }
  }
  async function showThread(id) {
    try {
      open = await api("GET", `/message-threads/${id}`);
      $("thread-title").textContent = `${t("Buyer")} ${open.buyer_id}`;
      $("thread-messages").innerHTML = open.messages.map((m) => `<li class="${m.sender === "buyer" ? "" : "mine"}">
        <b>${esc(m.sender === "buyer" ? t("Buyer") : t("Shop"))}</b> <span class="muted">${esc(when(m.sent_at))}</span><br>${esc(m.text)}
        ${m.first_reply_seconds !== null ? `<br><span class="muted">${esc(t("answered in %(time)s", { time: minutes(m.first_reply_seconds) }))}</span>` : ""}</li>`).join("");
      $("thread").hidden = false;
    } catch (err) { fail(err); }
  }
  if (section === "messages") {
    $("threads").addEventListener("click", (e) => { if (e.target.dataset.open) showThread(e.target.dataset.open); });
    $("reply-form").addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        await api("POST", `/shops/${shopId}/messages`, { text: e.target.elements.text.value, buyer_id: open.buyer_id });
        e.target.reset();
        await Promise.all([showThread(open.id), loadThreads()]);
      } catch (err) { fail(err); }
    });
    loadThreads();
  }

  // ---- deposit, ledger, guarantees and their pay-outs ----
  async function loadMoney() {
    try {
      const [deposit, offered, payouts] = await Promise.all([
        api("GET", `/shops/${shopId}/deposit`), api("GET", `/shops/${shopId}/guarantees`),
        api("GET", `/guarantee-payouts?shop_id=${shopId}`)]);
      $("balance").textContent = yuan(deposit.balance_fen);
      $("ledger").tBodies[0].innerHTML = deposit.entries.map((x) => `<tr><td>${esc(when(x.created_at))}</td>
        <td>${esc(x.kind)}</td><td>${yuan(x.amount_fen)}</td><td>${yuan(x.balance_after_fen)}</td><td>${esc(x.note)}</td></tr>`).join("");
      $("no-ledger").hidden = deposit.entries.length > 0;
      const SOURCES = { mandatory: t("every shop gives it"), opt_in: t("you chose it"), tier: t("from your tier") };
      $("offered").innerHTML = offered.guarantees.map((g) => `<li>${esc(TL.GUARANTEE_LABELS[g.guarantee] || g.guarantee)}
        <span class="muted">(${esc(SOURCES[g.source] || g.source)})</span></li>`).join("");
      const chosen = new Set(offered.guarantees.filter((g) => g.source === "opt_in").map((g) => g.guarantee));
      $("choices").innerHTML = offered.opt_in_choices.map((g) => `<label><input type="checkbox" name="opt_in" value="${esc(g)}"
        ${chosen.has(g) ? "checked" : ""}> ${esc(TL.GUARANTEE_LABELS[g] || g)}</label>`).join("") || esc(t("None to choose right now."));
      $("policy-version").textContent = offered.policy_version;
      $("payouts").tBodies[0].innerHTML = payouts.items.map((p) => `<tr><td>${esc(when(p.created_at))}</td>
        <td>${esc(TL.GUARANTEE_LABELS[p.guarantee] || p.guarantee)}</td><td>${esc(p.order_id)}</td><td>${esc(p.payer)}</td>
        <td>${yuan(p.amount_fen)}</td></tr>`).join("");
      $("no-payouts").hidden = payouts.items.length > 0;
    } catch (err) { fail(err); }
  }
  if (section === "money") {
    $("top-up").addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        await api("POST", `/shops/${shopId}/deposit/top-ups`,
          { amount_fen: Math.round(Number(e.target.elements.amount.value) * 100) }, { "Idempotency-Key": TL.uuid() });
        e.target.reset();
        await loadMoney();
      } catch (err) { fail(err); }
    });
    $("opt-in").addEventListener("submit", async (e) => {
      e.preventDefault();
      const opt_in = [...e.target.querySelectorAll("input[name=opt_in]:checked")].map((i) => i.value);
      try { await api("PUT", `/shops/${shopId}/guarantees`, { opt_in }); await loadMoney(); } catch (err) { fail(err); }
    });
    loadMoney();
  }

  // ---- staff ----
  async function loadStaff() {
    try {
      const staff = await api("GET", `/shops/${shopId}/staff`);
      const people = await Promise.all(staff.map((s) => api("GET", `/users/${s.user_id}`).catch(() => null)));
      $("staff").tBodies[0].innerHTML = staff.map((s, n) => `<tr data-user-id="${esc(s.user_id)}">
        <td>${esc(people[n] ? people[n].display_name : s.user_id)} <span class="muted">#${esc(s.user_id)}</span></td>
        <td>${esc(ROLE_LABELS[s.role] || s.role)}</td><td>${esc(when(s.added_at))}</td>
        <td>${s.role === "owner" ? "" : `<button class="link small" data-remove="${esc(s.user_id)}">${esc(t("Remove"))}</button>`}</td></tr>`).join("");
    } catch (err) { fail(err); }
  }
  if (section === "staff") {
    $("role-choice").innerHTML = ["operations", "customer_service", "fulfilment", "anchor", "admin"]
      .map((r) => `<option value="${r}">${esc(ROLE_LABELS[r])}</option>`).join("");
    $("add-staff").addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        await api("POST", `/shops/${shopId}/staff`, { user_id: e.target.elements.user_id.value, role: e.target.elements.role.value });
        e.target.reset();
        await loadStaff();
      } catch (err) { fail(err); }
    });
    $("staff").addEventListener("click", async (e) => {
      const id = e.target.dataset.remove;
      if (!id) return;
      try { await api("DELETE", `/shops/${shopId}/staff/${id}`); await loadStaff(); } catch (err) { fail(err); }
    });
    loadStaff();
  }
})();
