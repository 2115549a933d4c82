"""Score pages: served over HTTP, and the seller page drawn in headless Chromium."""

from __future__ import annotations

import json

import httpx
import pytest
from fastapi import FastAPI

from tests.e2e.test_trust_scores import _seeded_shop
from tests.support.api import Api
from tests.support.browser import chromium, serving
from trustlive.app import create_app


async def test_the_score_pages_are_served(client: httpx.AsyncClient) -> None:
    seller = await client.get("/seller/shops/123/score")
    policy = await client.get("/operator/policy")
    assert seller.status_code == 200
    assert 'const shopId = "123";' in seller.text
    assert '<script src="/static/score_chart.js"></script>' in seller.text
    assert policy.status_code == 200
    assert 'id="policy"' in policy.text
    chart = await client.get("/static/score_chart.js")
    assert chart.status_code == 200
    assert "function drawScoreChart" in chart.text


async def test_a_bad_shop_id_in_the_page_url_is_a_4xx(client: httpx.AsyncClient) -> None:
    r = await client.get("/seller/shops/abc/score")
    assert r.status_code == 422


@pytest.mark.browser
async def test_the_owner_sees_value_indicators_improvements_and_chart_in_the_browser(
    api: Api,
) -> None:
    _, trade, _ = await _seeded_shop(api)
    owner, shop = trade.listed.owner, trade.listed.shop_id
    expected = (await api.client.get(f"/api/v1/shops/{shop}/score", headers=owner.auth)).json()

    app: FastAPI = create_app(api.runtime)
    async with serving(app) as base, chromium() as page:
        await page.goto(f"{base}/login")
        session = {"token": owner.token, "user": {"display_name": "老王"}}
        await page.eval(
            f"localStorage.setItem('trustlive.session', {json.dumps(json.dumps(session))})"
        )
        await page.goto(f"{base}/seller/shops/{shop}/score")
        await page.wait_for("document.querySelector('#chart svg path.line')")
        value = await page.eval("document.getElementById('value').textContent")
        rows = await page.eval("document.querySelectorAll('#indicators tbody tr').length")
        tips = await page.eval("document.querySelectorAll('#improvements li').length")
    assert value == expected["value"]
    assert rows == 13  # the shop experience score aggregates 13 indicators (complaints joined)
    assert tips == 3


@pytest.mark.browser
async def test_a_stranger_sees_the_refusal_not_the_numbers(api: Api) -> None:
    _, trade, _ = await _seeded_shop(api)
    stranger = await api.user()
    app: FastAPI = create_app(api.runtime)
    async with serving(app) as base, chromium() as page:
        await page.goto(f"{base}/login")
        session = {"token": stranger.token, "user": {"display_name": "路人"}}
        await page.eval(
            f"localStorage.setItem('trustlive.session', {json.dumps(json.dumps(session))})"
        )
        await page.goto(f"{base}/seller/shops/{trade.listed.shop_id}/score")
        await page.wait_for("!document.getElementById('error').hidden")
        text = await page.eval("document.getElementById('error').textContent")
        rows = await page.eval("document.querySelectorAll('#indicators tbody tr').length")
    assert "view_orders" in text
    assert rows == 0
