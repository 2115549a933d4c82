"""Buyer–shop message threads: one per pair, first-reply time recorded, private to both sides."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.support.aftersale import Trust
from tests.support.api import Api
from trustlive.kernel.clock import FixedClock
from trustlive.kernel.models import OutboxEvent
from trustlive.messaging.models import Message, MessageThread


async def test_the_shops_first_reply_time_is_recorded_once_per_wait(
    api: Api, clock: FixedClock
) -> None:
    t = Trust(api)
    listed = await t.product()
    buyer = await api.user()
    url = f"/api/v1/shops/{listed.shop_id}/messages"
    first = await api.client.post(url, json={"text": "有L码吗"}, headers=buyer.auth)
    assert first.status_code == 201, first.text
    clock.advance(timedelta(seconds=30))
    await api.client.post(url, json={"text": "在吗"}, headers=buyer.auth)
    clock.advance(timedelta(seconds=60))
    reply = await api.client.post(
        url, json={"text": "有的亲", "buyer_id": buyer.id}, headers=listed.owner.auth
    )
    assert reply.status_code == 201, reply.text
    assert reply.json()["first_reply_seconds"] == 90
    more = await api.client.post(
        url, json={"text": "今天发货", "buyer_id": buyer.id}, headers=listed.owner.auth
    )
    assert more.json()["first_reply_seconds"] is None

    thread = await api.client.get(
        f"/api/v1/message-threads/{first.json()['thread_id']}", headers=buyer.auth
    )
    assert [(m["sender"], m["text"]) for m in thread.json()["messages"]] == [
        ("buyer", "有L码吗"),
        ("buyer", "在吗"),
        ("shop", "有的亲"),
        ("shop", "今天发货"),
    ]
    async with api.runtime.sessions() as session:
        payloads = [
            e.payload
            for e in await session.scalars(
                select(OutboxEvent)
                .where(OutboxEvent.topic == "messaging.message_sent")
                .order_by(OutboxEvent.id)
            )
        ]
    assert [(p["sender"], p["first_reply_seconds"]) for p in payloads] == [
        ("buyer", None),
        ("buyer", None),
        ("shop", 90),
        ("shop", None),
    ]
    assert await api.count(MessageThread) == 1


async def test_threads_are_private_to_the_buyer_and_the_shops_service_staff(api: Api) -> None:
    t = Trust(api)
    listed = await t.product()
    rival = await t.product()
    buyer, stranger = await api.user(), await api.user()
    sent = await api.client.post(
        f"/api/v1/shops/{listed.shop_id}/messages", json={"text": "你好"}, headers=buyer.auth
    )
    thread_id = sent.json()["thread_id"]
    for who in (stranger, rival.owner):
        r = await api.client.get(f"/api/v1/message-threads/{thread_id}", headers=who.auth)
        assert r.status_code == 404
    r = await api.client.post(
        f"/api/v1/shops/{listed.shop_id}/messages",
        json={"text": "冒充客服", "buyer_id": buyer.id},
        headers=rival.owner.auth,
    )
    assert r.status_code == 404
    r = await api.client.get(
        f"/api/v1/message-threads?shop_id={listed.shop_id}", headers=stranger.auth
    )
    assert r.status_code == 403
    listed_threads = await api.client.get(
        f"/api/v1/message-threads?shop_id={listed.shop_id}", headers=listed.owner.auth
    )
    assert [x["id"] for x in listed_threads.json()["items"]] == [thread_id]
    mine = await api.client.get("/api/v1/message-threads", headers=stranger.auth)
    assert mine.json()["items"] == []
    assert await api.count(Message) == 1
