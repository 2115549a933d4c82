"""Risk's text checks wired into the app: comments refused or reminded (the reminder reaches the
console only), product texts and messages refused, each refusal naming its rule and clause."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from tests.support.api import Api
from tests.support.live import live_room
from tests.support.ws import RoomSocket, room_socket
from trustlive.catalog.models import Product
from trustlive.kernel.clock import FixedClock
from trustlive.live.models import Comment
from trustlive.messaging.models import Message

PRIVATE_DEAL_CLAUSE = "平台规则：禁止引导站外交易（私单）"


def _app(api: Api) -> Any:
    return api.client._transport.app  # type: ignore[attr-defined]


async def _events_until(ws: RoomSocket, kind: str, text: str | None = None) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    while not any(e["type"] == kind and text in (None, e.get("text")) for e in seen):
        seen.extend((await ws.frame())["events"])
    return seen


async def test_a_comment_with_a_contact_is_refused_and_never_reaches_viewers(
    api: Api, clock: FixedClock
) -> None:
    room = await live_room(api)
    viewer = await api.user()
    path = f"/api/v1/sessions/{room.session_id}/comments"

    async with room_socket(_app(api), f"/ws/rooms/{room.room_id}") as ws:
        await ws.frame()
        blocked = await api.client.post(
            path, json={"text": "好的 ①③⑧ 1234 5678"}, headers=viewer.auth
        )
        clock.advance(timedelta(seconds=3))
        allowed = await api.client.post(path, json={"text": "主播好"}, headers=viewer.auth)
        seen = await _events_until(ws, "comment", "主播好")

    assert blocked.status_code == 422
    assert blocked.headers["content-type"] == "application/problem+json"
    problem = blocked.json()
    assert problem["type"].endswith("/comment-blocked")
    assert (problem["reason_code"], problem["clause"], problem["span"]) == (
        "private_deal.mobile",
        PRIVATE_DEAL_CLAUSE,
        "13812345678",
    )
    assert allowed.status_code == 201
    assert [e["text"] for e in seen if e["type"] == "comment"] == ["主播好"]
    assert await api.count(Comment) == 1


async def test_a_number_split_over_two_comments_is_refused_at_the_second(
    api: Api, clock: FixedClock
) -> None:
    room = await live_room(api)
    viewer = await api.user()
    path = f"/api/v1/sessions/{room.session_id}/comments"

    first = await api.client.post(path, json={"text": "一三八 一二三四"}, headers=viewer.auth)
    clock.advance(timedelta(seconds=5))
    second = await api.client.post(path, json={"text": "五六七八"}, headers=viewer.auth)

    assert first.status_code == 201
    assert second.status_code == 422
    assert (second.json()["reason_code"], second.json()["span"]) == (
        "private_deal.mobile",
        "13812345678",
    )
    assert await api.count(Comment) == 1


async def test_a_medical_claim_in_a_comment_is_refused_citing_article_17(api: Api) -> None:
    room = await live_room(api)
    viewer = await api.user()

    r = await api.client.post(
        f"/api/v1/sessions/{room.session_id}/comments",
        json={"text": "这茶包治百病"},
        headers=viewer.auth,
    )

    assert r.status_code == 422
    assert r.json()["reason_code"] == "claims_check.medical_claim"
    assert r.json()["clause"].startswith("《广告法》第十七条")
    assert await api.count(Comment) == 0


async def test_an_absolute_term_passes_and_reminds_the_console_only(
    api: Api, clock: FixedClock
) -> None:
    room = await live_room(api)
    owner = room.listed.owner
    viewer = await api.user()
    path = f"/api/v1/sessions/{room.session_id}/comments"
    app = _app(api)
    r = await api.client.post(f"/api/v1/rooms/{room.room_id}/channel-tickets", headers=owner.auth)
    assert r.status_code == 201, r.text

    async with (
        room_socket(app, f"/ws/rooms/{room.room_id}", f"ticket={r.json()['ticket']}") as console,
        room_socket(app, f"/ws/rooms/{room.room_id}") as audience,
    ):
        await console.frame()
        await audience.frame()
        said = await api.client.post(path, json={"text": "这款全网最低价"}, headers=viewer.auth)
        clock.advance(timedelta(seconds=3))
        later = await api.client.post(path, json={"text": "已拍"}, headers=viewer.auth)
        at_console = await _events_until(console, "comment", "已拍")
        in_audience = await _events_until(audience, "comment", "已拍")

    assert (said.status_code, later.status_code) == (201, 201)
    (reminder,) = [e for e in at_console if e["type"] == "rule_reminder"]
    assert reminder["comment_id"] == said.json()["id"]
    assert (reminder["rule"], reminder["span"], reminder["audience"]) == (
        "claims_check.absolute_term",
        "最低价",
        "console",
    )
    assert reminder["clause"].startswith("《广告法》第九条第（三）项")
    assert [e["type"] for e in in_audience if e["type"] != "viewers"] == ["comment", "comment"]
    assert [e["text"] for e in in_audience if e["type"] == "comment"] == ["这款全网最低价", "已拍"]


async def test_a_product_text_with_a_medical_claim_or_a_contact_is_refused(api: Api) -> None:
    listed = await api.listed_product()
    owner = listed.owner
    body = {
        "title": "包治百病养生茶",
        "category": "snacks",
        "image_urls": ["https://img.example.com/a.jpg"],
        "skus": [{"spec_name": "一盒", "price_fen": 990, "stock": 5}],
    }

    created = await api.client.post(
        f"/api/v1/shops/{listed.shop_id}/products", json=body, headers=owner.auth
    )
    patched = await api.client.patch(
        f"/api/v1/products/{listed.product_id}",
        json={"description": "私下交易加微信 abc12345 更便宜"},
        headers=owner.auth,
    )
    reminded = await api.client.post(
        f"/api/v1/shops/{listed.shop_id}/products",
        json={**body, "title": "国家级工艺 养生茶"},
        headers=owner.auth,
    )

    assert created.status_code == 422
    assert created.json()["type"].endswith("/product-text-refused")
    assert (created.json()["field"], created.json()["rule"], created.json()["span"]) == (
        "title",
        "claims_check.medical_claim",
        "包治",
    )
    assert patched.status_code == 422
    assert (patched.json()["field"], patched.json()["rule"], patched.json()["clause"]) == (
        "description",
        "private_deal.trigger",
        PRIVATE_DEAL_CLAUSE,
    )
    assert reminded.status_code == 201  # absolute terms remind; they do not refuse
    async with api.runtime.sessions() as session:
        titles = sorted(await session.scalars(select(Product.title)))
        descriptions = list(await session.scalars(select(Product.description)))
    assert titles == ["国家级工艺 养生茶", "赣南脐橙"]
    assert "私下交易加微信 abc12345 更便宜" not in descriptions


async def test_a_message_with_a_contact_is_refused_even_split_in_two(
    api: Api, clock: FixedClock
) -> None:
    listed = await api.listed_product()
    buyer = await api.user()
    url = f"/api/v1/shops/{listed.shop_id}/messages"

    direct = await api.client.post(url, json={"text": "加我微信 abc12345"}, headers=buyer.auth)
    first = await api.client.post(url, json={"text": "我的号 138 1234"}, headers=buyer.auth)
    clock.advance(timedelta(seconds=10))
    second = await api.client.post(url, json={"text": "5678 打我"}, headers=buyer.auth)

    assert direct.status_code == 422
    assert direct.json()["type"].endswith("/message-refused")
    assert (direct.json()["rule"], direct.json()["span"]) == ("private_deal.trigger", "加我微信")
    assert first.status_code == 201
    assert second.status_code == 422
    assert (second.json()["rule"], second.json()["span"]) == ("private_deal.mobile", "13812345678")
    async with api.runtime.sessions() as session:
        assert list(await session.scalars(select(Message.text))) == ["我的号 138 1234"]
