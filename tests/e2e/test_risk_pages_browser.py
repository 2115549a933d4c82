"""An operator opens a case from the risk queue, reads the evidence and decides, in a real
browser (headless Chromium); the subject then sees the decision and appeals on their page."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import select

from tests.support.aftersale import Trust
from tests.support.api import Api, User
from tests.support.browser import Page, chromium, serving
from trustlive.app import create_app
from trustlive.risk.models import Action

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


async def _photograph(page: Page, name: str) -> None:
    """What the test saw, for a person to look at (build/screenshots/)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shot = await page.send("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    (SCREENSHOTS / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))


async def _log_in_page(page: Page, base: str, user: User, name: str) -> None:
    session = {"token": user.token, "user": {"display_name": name}}
    await page.goto(f"{base}/login")
    await page.eval(f"localStorage.setItem('trustlive.session', {json.dumps(json.dumps(session))})")


@pytest.mark.browser
async def test_an_operator_opens_a_case_reads_the_evidence_and_decides(api: Api) -> None:
    t = Trust(api)
    listed = await t.product()
    operator = await t.operator()
    cheat = await api.user()
    for _ in range(3):  # the third order in the hour is reviewed: the cheat's case opens
        await t.paid(listed, cheat)
    r = await api.client.post(
        "/api/v1/risk/reports",
        json={"target": "shop", "target_id": listed.shop_id, "reason": "brushing",
              "text": "<b>刷单</b>"},
        headers=cheat.auth,
    )  # fmt: skip
    assert r.status_code == 201, r.text

    app: FastAPI = create_app(api.runtime)
    async with serving(app) as base, chromium() as page:
        await _log_in_page(page, base, operator, "运营小王")
        await page.goto(f"{base}/operator/risk")
        await page.wait_for("document.querySelectorAll('a.case-link').length === 2")
        queue = await page.eval("document.getElementById('queue').innerText")
        assert "order check review" in queue
        await _photograph(page, "risk-case-queue")
        await page.eval(
            """(() => {
              const row = [...document.querySelectorAll('#queue tr')]
                .find((tr) => tr.innerText.includes('order check review'));
              row.querySelector('a.case-link').click();
            })()"""
        )
        await page.wait_for("document.querySelectorAll('.evidence-item').length === 1")
        evidence = await page.eval("document.getElementById('evidence').innerText")
        assert "velocity.buyer_shop" in evidence
        assert cheat.id in evidence
        await page.eval(
            """(() => {
              const form = document.getElementById('decide');
              form.elements.kind.value = 'freeze_settlement';
              form.elements.reason.value = '一小时内重复下单';
              form.elements.clause.value = '平台规则 4.2 虚假交易';
              form.elements.days.value = '30';
              form.requestSubmit();
            })()"""
        )
        await page.wait_for("document.getElementById('actions').innerText.includes('in_force')")
        audit = await page.eval("document.getElementById('audit').innerText")
        assert "action.freeze_settlement" in audit
        await _photograph(page, "risk-case-page")

    async with api.runtime.sessions() as session:
        action = await session.scalar(select(Action))
    assert action is not None
    assert (action.kind, action.reason, action.target_ids) == (
        "freeze_settlement", "一小时内重复下单", [int(cheat.id)],
    )  # fmt: skip

    async with serving(app) as base, chromium() as page:
        await _log_in_page(page, base, cheat, "买家")
        await page.goto(f"{base}/me/risk-decisions")
        await page.wait_for("document.querySelector('form.appeal')")
        await page.eval(
            """(() => {
              const form = document.querySelector('form.appeal');
              form.elements.text.value = '我是真实购买';
              form.requestSubmit();
            })()"""
        )
        await page.wait_for(
            "document.getElementById('decisions').innerText.includes('Your appeal')"
        )
        await _photograph(page, "risk-my-decisions")
    async with api.runtime.sessions() as session:
        appealed = await session.scalar(select(Action))
    assert appealed is not None
    assert appealed.appeal_text == "我是真实购买"
