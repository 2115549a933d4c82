// After-sales for buyers: ask (with the guarantees that may apply), list, follow one request,
// ship a return, open a dispute. Which part runs depends on the page that loaded it.
"use strict";
(() => {
  TL.requireLogin();
  if (!TL.me()) return;
  const { api, yuan } = TL;
  const { $, label, say, ok, when, esc } = Buyer;
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k] ?? "");
  const HTTPS = /^https:\/\/\S{1,490}$/;

  // Which guarantees a request of this kind and reason may draw on; the platform decides.
  const MAY_APPLY = {
    seven_day_return: (k, r) => k === "return_refund" && r === "no_reason_7_days",
    return_shipping_refund: (k) => k === "return_refund" || k === "exchange",
    instant_refund: (k) => k === "refund_only" || k === "return_refund",
    refund_without_return: (k) => k === "refund_only" || k === "return_refund",
    counterfeit_tenfold: (k, r) => r === "counterfeit_suspected",
    fast_shipping: (k, r) => r === "late_shipping",
  };

  function linesOf(order) {
    return order.lines.map((ln) => `<div class="line row">
      ${ln.image_url ? `<img class="thumb" src="${esc(ln.image_url)}" alt="" data-broken="hide">` : ""}
      <div class="grow"><a href="/products/${esc(ln.product_id)}">${esc(ln.title)}</a>
        <div class="muted">${esc(ln.spec_name)} × ${ln.quantity}</div></div>
      <div class="price">${yuan(ln.line_total_fen)}</div></div>`).join("");
  }

  // ---- ask for after-sales on one order ----
  async function newRequestPage(root) {
    const orderId = root.dataset.orderId;
    const order = await api("GET", `/orders/${orderId}`);
    const left = order.total_fen - order.refunded_fen;
    $("order-box").innerHTML = `<div class="spread"><b>${esc(label("order"))} #${esc(order.id)}</b>
      <span class="price">${yuan(order.total_fen)}</span></div>${linesOf(order)}`;
    $("amount").placeholder = (left / 100).toFixed(2);
    const productIds = [...new Set(order.lines.map((ln) => ln.product_id))];
    const kinds = new Set((await Promise.all(productIds.map((id) =>
      api("GET", `/products/${id}/guarantees`).then((g) => g.guarantees).catch(() => [])))).flat());
    const form = $("aftersale-form");
    const showGuarantees = () => {
      const kind = form.kind.value, reason = form.reason.value;
      $("guarantees").innerHTML = kinds.size ? [...kinds].map((g) => {
        const applies = MAY_APPLY[g]?.(kind, reason);
        return `<span class="badge guarantee${applies ? " applies" : ""}" data-guarantee="${esc(g)}">✓ ${
          esc(label(`guarantee.${g}`))}${applies ? ` · ${esc(label("may_apply"))}` : ""}</span>`;
      }).join(" ") : `<p class="muted">${esc(label("no_guarantees"))}</p>`;
    };
    form.addEventListener("change", (e) => { if (["kind", "reason"].includes(e.target.name)) showGuarantees(); });
    showGuarantees();

    let key = TL.uuid();
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const body = { kind: form.kind.value, reason: form.reason.value, text: form.text.value.trim() };
      const amount = form.amount.value.trim();
      if (amount) {
        if (!/^\d+(\.\d{1,2})?$/.test(amount) || Number(amount) <= 0) { say("form-error", label("bad_amount")); return; }
        body.amount_fen = Math.round(Number(amount) * 100);
      }
      const links = form.evidence.value.split(/\s+/).filter(Boolean);
      if (links.length > 9 || !links.every((u) => HTTPS.test(u))) { say("form-error", label("bad_links")); return; }
      body.evidence_urls = links;
      $("aftersale-submit").disabled = true;
      try {
        const request = await api("POST", `/orders/${orderId}/aftersale-requests`, body, { "Idempotency-Key": key });
        location.href = `/me/aftersales/${request.id}`;
      } catch (err) {
        if (err.status === 422 || err.status === 409) key = TL.uuid();  // a changed body is a new request
        say("form-error", err);
        $("aftersale-submit").disabled = false;
      }
    });
  }

  // ---- my requests, by status ----
  function requestSummary(r) {
    return `<article class="card request" data-request-id="${esc(r.id)}" data-status="${esc(r.status)}">
      <div class="spread"><b>${esc(label(`kind.${r.kind}`))} · ${esc(label(`reason.${r.reason}`))}</b>
        <span class="status status-${esc(r.status)}">${esc(label(`status.${r.status}`))}</span></div>
      <div class="spread"><span class="muted">${esc(label("order"))} #${esc(r.order_id)} · ${when(r.opened_at)}</span>
        <span>${esc(label("refund"))} <b class="price">${yuan(r.amount_fen)}</b></span></div>
      <a class="button small secondary" href="/me/aftersales/${esc(r.id)}">${esc(label("view"))}</a>
    </article>`;
  }

  async function listPage() {
    let status = "", before = null, generation = 0;
    async function load(reset) {
      if (reset) { before = null; $("requests").innerHTML = ""; generation += 1; }
      const mine = generation;
      const q = new URLSearchParams({ limit: "20" });
      if (status) q.set("status", status);
      if (before) q.set("before", before);
      const page = await api("GET", `/me/aftersale-requests?${q}`);
      if (mine !== generation) return;  // another tab was chosen meanwhile
      $("requests").insertAdjacentHTML("beforeend", page.items.map(requestSummary).join(""));
      before = page.next_before;
      $("more-requests").hidden = !before;
      $("requests-empty").hidden = $("requests").children.length > 0;
    }
    $("status-tabs").querySelectorAll("button").forEach((tab) => tab.addEventListener("click", () => {
      $("status-tabs").querySelectorAll("button").forEach((b) => b.setAttribute("aria-pressed", b === tab));
      status = tab.dataset.status;
      load(true).catch((err) => say("page-error", err));
    }));
    $("more-requests").addEventListener("click", () => load(false).catch((err) => say("page-error", err)));
    await load(true);
  }

  // ---- one request: where it stands, its history, and what the buyer can do next ----
  function nextStep(r) {
    switch (r.status) {
      case "pending": return fill(label("answer_by"), { when: when(r.decide_by_at) });
      case "awaiting_return": return fill(label("ship_by"), { when: when(r.return_ship_by_at) });
      case "return_shipped": return fill(label("confirm_by"), { when: when(r.confirm_by_at) });
      case "rejected": return fill(label("rejected_because"), { reason: r.reject_reason });
      case "disputed": return label("disputed");
      case "refunded": return fill(label("refunded_note"), { amount: yuan(r.refunded_fen) });
      case "exchanged": return label("exchanged_note");
      default: return label("closed_note");
    }
  }

  function historyMarkup(r) {
    const steps = [{ to_status: "pending", actor: "buyer", at: r.opened_at, note: "", opened: true },
      ...r.history];
    return steps.map((s) => `<li data-to="${esc(s.to_status)}"><b>${
      esc(s.opened ? label("step.opened") : label(`status.${s.to_status}`))}</b>
      <span class="muted">· ${esc(label(`actor.${s.actor}`))} · ${when(s.at)}</span>
      ${s.note ? `<div>${esc(s.note)}</div>` : ""}</li>`).join("");
  }

  function evidenceMarkup(items) {
    return items.map((e) => `<li><b>${esc(label(`party.${e.party}`))}</b>
      <span class="muted">· ${when(e.created_at)}</span><div>${esc(e.text)}</div>
      ${e.image_urls.map((u) => `<a href="${esc(u)}" rel="noopener noreferrer" target="_blank">${esc(u)}</a>`).join("<br>")}</li>`).join("");
  }

  async function requestPage(root) {
    const id = root.dataset.requestId;
    const render = async (r) => {
      $("request-title").textContent = `${label(`kind.${r.kind}`)} · ${label(`reason.${r.reason}`)}`;
      $("request-status").className = `status status-${r.status}`;
      $("request-status").textContent = label(`status.${r.status}`);
      $("request-next").textContent = nextStep(r);
      $("request-facts").innerHTML = `<a href="/me/orders">${esc(label("order"))} #${esc(r.order_id)}</a> ·
        ${esc(label("refund"))} <b class="price">${yuan(r.amount_fen)}</b>
        ${r.text ? `<p>${esc(r.text)}</p>` : ""}
        ${r.evidence_urls.map((u) => `<a href="${esc(u)}" rel="noopener noreferrer" target="_blank">${esc(u)}</a>`).join("<br>")}`;
      $("history").innerHTML = historyMarkup(r);
      $("ship-return").hidden = !r.actions.includes("ship_return");
      $("open-dispute").hidden = !r.actions.includes("escalate");
      $("dispute").hidden = !r.dispute;
      if (r.dispute) {
        $("dispute-status").textContent = r.dispute.status === "decided"
          ? `${label("decided")}: ${r.dispute.decision_note}` : label("disputed");
        $("evidence").innerHTML = evidenceMarkup(r.dispute.evidence);
        $("add-evidence").hidden = r.dispute.status !== "open";
        $("add-evidence").dataset.disputeId = r.dispute.id;
      }
      $("shop-message").href = Buyer.messageHref(r.shop_id, `#${r.order_id}`);
      const payouts = (await api("GET", "/guarantee-payouts?limit=100")).items
        .filter((p) => String(p.request_id) === String(r.id) || (!p.request_id && String(p.order_id) === String(r.order_id)));
      $("payouts").hidden = payouts.length === 0;
      $("payout-list").innerHTML = payouts.map((p) => `<li data-guarantee="${esc(p.guarantee)}">
        <b>${esc(label(`guarantee.${p.guarantee}`))}</b> <span class="price">${yuan(p.amount_fen)}</span>
        <span class="muted">· ${when(p.created_at)}</span></li>`).join("");
    };
    const reload = async () => render(await api("GET", `/aftersale-requests/${id}`));

    $("ship-form").addEventListener("submit", async (e) => {
      e.preventDefault();
      const f = e.target;
      const carrier = f.carrier.value.trim(), tracking = f.tracking_no.value.trim();
      if (!carrier || !/^[A-Za-z0-9-]{4,40}$/.test(tracking)) { say("ship-error", label("bad_tracking")); return; }
      try {
        await render(await api("POST", `/aftersale-requests/${id}/return-shipment`, { carrier, tracking_no: tracking }));
        ok("page-note", label("return_sent"));
      } catch (err) { say("ship-error", err); }
    });
    const evidenceBody = (f) => {
      const text = f.text.value.trim();
      const links = f.image_urls.value.split(/\s+/).filter(Boolean);
      if (text.length < 2) throw new Error(label("short_text"));
      if (links.length > 9 || !links.every((u) => HTTPS.test(u))) throw new Error(label("bad_links"));
      return { text, image_urls: links };
    };
    $("dispute-form").addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        await render(await api("POST", `/aftersale-requests/${id}/dispute`, evidenceBody(e.target)));
        ok("page-note", label("dispute_opened"));
      } catch (err) { say("dispute-error", err); }
    });
    $("evidence-form").addEventListener("submit", async (e) => {
      e.preventDefault();
      try {
        await api("POST", `/disputes/${$("add-evidence").dataset.disputeId}/evidence`, evidenceBody(e.target));
        e.target.reset();
        await reload();
      } catch (err) { say("evidence-error", err); }
    });
    await reload();
    $("request").hidden = false;
  }

  const fail = (err) => say("page-error", err);
  const newRoot = $("aftersale-new-page"), oneRoot = $("aftersale-page");
  if (newRoot) newRequestPage(newRoot).catch(fail);
  else if (oneRoot) requestPage(oneRoot).catch(fail);
  else if ($("aftersales-page")) listPage().catch(fail);
})();
