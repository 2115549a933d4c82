"""Pages and problem answers speak zh-CN or English: Accept-Language, else the `lang` cookie."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from tests.support.api import Api

ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}


async def test_a_page_is_english_by_default_and_chinese_when_the_browser_asks(
    client: httpx.AsyncClient,
) -> None:
    english = await client.get("/login")
    chinese = await client.get("/login", headers=ZH)
    assert '<html lang="en">' in english.text
    assert "<h1>Log in</h1>" in english.text
    assert '<html lang="zh-CN">' in chinese.text
    assert "<h1>登录</h1>" in chinese.text
    assert "Log in</h1>" not in chinese.text  # no mixed labels


async def test_the_switch_remembers_the_language_in_a_cookie_and_goes_back(
    client: httpx.AsyncClient,
) -> None:
    r = await client.get("/language", params={"lang": "zh-CN", "next": "/live"})
    assert r.status_code == 303
    assert r.headers["location"] == "/live"
    assert "lang=zh-CN" in r.headers["set-cookie"]
    page = await client.get("/live", headers={"Accept-Language": "en"})  # the cookie wins
    assert "<h1>正在直播</h1>" in page.text
    # the switch offers the other language
    assert 'href="/language?lang=en&amp;next=/live"' in page.text


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil"])
async def test_the_switch_never_sends_anyone_off_the_site(
    client: httpx.AsyncClient, target: str
) -> None:
    r = await client.get("/language", params={"lang": "en", "next": target})
    assert r.headers["location"] == "/"


async def test_an_unknown_language_sets_no_cookie(client: httpx.AsyncClient) -> None:
    r = await client.get("/language", params={"lang": "fr", "next": "/"})
    assert r.status_code == 303
    assert "set-cookie" not in r.headers


async def test_common_problems_come_in_the_callers_language(
    client: httpx.AsyncClient, api: Api
) -> None:
    shop_id = (await api.listed_product()).shop_id
    stranger = await api.user()
    unauth = await client.get("/api/v1/me/orders", headers=ZH)
    missing = await client.get("/api/v1/orders/12345", headers={**ZH, **stranger.auth})
    refused = await client.get(f"/api/v1/shops/{shop_id}/orders", headers={**ZH, **stranger.auth})
    english = await client.get(f"/api/v1/shops/{shop_id}/orders", headers=stranger.auth)
    assert (unauth.status_code, unauth.json()["title"], unauth.json()["detail"]) == (
        401,
        "未登录",
        "请先登录（发送 Authorization: Bearer <token>）",
    )
    assert (missing.json()["title"], missing.json()["detail"]) == ("找不到了", "找不到订单 12345")
    assert (refused.status_code, refused.json()["detail"]) == (
        403,
        "你需要这家店铺的“查看订单”权限",
    )
    assert english.json()["detail"] == "you need the view_orders permission in this shop"
    assert english.json()["title"] == "Forbidden"


async def test_problems_answered_before_routing_are_translated_too(
    client: httpx.AsyncClient,
) -> None:
    r = await client.post(
        "/api/v1/sessions", content=b"x=1", headers={**ZH, "content-type": "text/plain"}
    )
    assert (r.status_code, r.json()["title"]) == (415, "不支持的内容类型")


async def test_the_page_carries_its_scripts_translations_only_in_chinese(
    client: httpx.AsyncClient,
) -> None:
    english = await client.get("/")
    chinese = await client.get("/", headers=ZH)
    assert _script_messages(english.text) == {}
    assert _script_messages(chinese.text)["sold out"] == "售罄"
    assert "Log in" not in _script_messages(chinese.text)  # rendered on the server instead


def _script_messages(html: str) -> dict[str, str]:
    found = re.search(r'<script type="application/json" id="tl-messages">(.*?)</script>', html)
    assert found is not None
    messages: dict[str, str] = json.loads(found[1])
    return messages
