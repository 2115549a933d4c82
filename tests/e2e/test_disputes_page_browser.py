"""An operator decides a dispute in a real browser (headless Chromium) on the disputes page."""

from __future__ import annotations

import json

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from tests.support.aftersale import Trust
from tests.support.api import Api
from tests.support.browser import chromium, serving
from trustlive.aftersale.models import Dispute
from trustlive.app import create_app


@pytest.mark.browser
async def test_an_operator_reads_the_evidence_and_decides_in_the_browser(api: Api) -> None:
    t = Trust(api)
    listed = await t.product()
    operator = await t.operator()
    trade = await t.received(listed)
    request = await t.open(trade, kind="refund_only", reason="quality_problem", amount_fen=700)
    await t.act(listed.owner, request["id"], "reject", {"reason": "人为损坏"})
    await t.act(trade.buyer, request["id"], "dispute", {"text": "<b>到手即坏</b>"}, expect=201)

    app: FastAPI = create_app(api.runtime)
    async with serving(app) as base, chromium() as page:
        await page.goto(f"{base}/login")
        session = {"token": operator.token, "user": {"display_name": "运营小王"}}
        await page.eval(
            f"localStorage.setItem('trustlive.session', {json.dumps(json.dumps(session))})"
        )
        await page.goto(f"{base}/operator/disputes")
        await page.wait_for("document.querySelector('form.decide')")
        text = await page.eval("document.getElementById('queue').innerText")
        assert "<b>到手即坏</b>" in text  # evidence is shown as text, never as markup
        await page.eval(
            """(() => {
              const form = document.querySelector('form.decide');
              form.elements.merchant_at_fault.checked = true;
              form.elements.note.value = '商品质量问题';
              form.requestSubmit();
            })()"""
        )
        await page.wait_for("document.getElementById('queue').innerText.includes('Nothing here')")

    async with api.runtime.sessions() as session_:
        dispute = await session_.scalar(select(Dispute))
        assert dispute is not None
        assert (dispute.status, dispute.merchant_at_fault, dispute.decision_note) == (
            "decided", True, "商品质量问题",
        )  # fmt: skip
    after = await api.client.get(
        f"/api/v1/aftersale-requests/{request['id']}", headers=trade.buyer.auth
    )
    assert (after.json()["status"], after.json()["refunded_fen"]) == ("refunded", 700)
