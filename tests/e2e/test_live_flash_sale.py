"""Flash sales over HTTP: the price, the limit, the window, and units coming back exactly once."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import event

from tests.support.api import ADDRESS, Api, User
from tests.support.live import flash_sale, live_room
from trustlive.kernel.clock import FixedClock
from trustlive.live.models import FlashSale
from trustlive.orders.models import Order


async def _buy(api: Api, buyer: User, sale_id: str, quantity: int = 1) -> Any:
    return await api.client.post(
        f"/api/v1/flash-sales/{sale_id}/orders",
        json={"quantity": quantity, "address": ADDRESS},
        headers={**buyer.auth, "Idempotency-Key": str(uuid.uuid4())},
    )


async def test_flash_sale_carves_stock_and_sells_at_its_price_within_the_limit(api: Api) -> None:
    room = await live_room(api, stock=10, price_fen=2990)
    sale = await flash_sale(api, room, quantity=3, per_buyer_limit=2, price_fen=990)
    buyer = await api.user()

    first = await _buy(api, buyer, sale["id"], 2)
    over = await _buy(api, buyer, sale["id"], 1)
    detail = (await api.client.get(f"/api/v1/rooms/{room.room_id}")).json()

    assert (sale["quantity"], sale["left"]) == (3, 3)
    assert await api.stock(room.listed.owner, room.listed.product_id) == [7]
    assert first.status_code == 201
    order = first.json()
    assert (order["total_fen"], order["lines"][0]["unit_price_fen"]) == (1980, 990)
    assert (order["room_id"], order["live_session_id"]) == (room.room_id, room.session_id)
    assert over.status_code == 409
    assert over.json()["type"].endswith("/flash-sale-limit-reached")
    assert detail["flash_sales"][0]["left"] == 1
    assert await api.count(Order) == 1


async def test_sold_out_and_not_active_answers(api: Api, clock: FixedClock) -> None:
    room = await live_room(api, stock=10)
    later = await flash_sale(api, room, quantity=1, starts_at=clock.now() + timedelta(minutes=5))
    sale = await flash_sale(api, room, quantity=1)
    a, b = await api.user(), await api.user()

    early = await _buy(api, a, later["id"])
    won = await _buy(api, a, sale["id"])
    lost = await _buy(api, b, sale["id"])

    assert early.status_code == 409
    assert early.json()["type"].endswith("/flash-sale-not-active")
    assert won.status_code == 201
    assert lost.status_code == 409
    assert lost.json()["type"].endswith("/flash-sale-sold-out")
    assert await api.count(Order) == 1


async def test_a_retry_of_the_winning_purchase_gets_its_order_even_when_sold_out(
    api: Api,
) -> None:
    room = await live_room(api, stock=10)
    sale = await flash_sale(api, room, quantity=1)
    winner, loser = await api.user(), await api.user()
    key = str(uuid.uuid4())

    async def buy(buyer: User, idempotency_key: str) -> Any:
        return await api.client.post(
            f"/api/v1/flash-sales/{sale['id']}/orders",
            json={"quantity": 1, "address": ADDRESS},
            headers={**buyer.auth, "Idempotency-Key": idempotency_key},
        )

    won = await buy(winner, key)
    await api.client.get("/api/v1/users/me", headers=loser.auth)  # their token is known now
    statements: list[str] = []
    engine = api.runtime.engine.sync_engine
    listen = lambda *args: statements.append(str(args[2]))  # noqa: E731
    event.listen(engine, "before_cursor_execute", listen)
    try:
        lost = await buy(loser, str(uuid.uuid4()))
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    again = await buy(winner, key)

    assert won.status_code == 201
    assert (again.status_code, again.json()["id"]) == (201, won.json()["id"])
    assert lost.status_code == 409
    assert lost.json()["type"].endswith("/flash-sale-sold-out")
    if api.runtime.settings.redis_url:  # the gate answers a stranger's attempt on its own
        assert statements == []
    assert await api.count(Order) == 1


async def test_cancelled_flash_order_returns_units_to_the_pool_once(api: Api) -> None:
    room = await live_room(api, stock=10)
    sale = await flash_sale(api, room, quantity=2, per_buyer_limit=1)
    buyer = await api.user()
    order = (await _buy(api, buyer, sale["id"])).json()

    r = await api.client.post(f"/api/v1/orders/{order['id']}/cancel", headers=buyer.auth)
    await api.runtime.dispatcher.run_once()
    await api.runtime.dispatcher.run_once()
    again = await _buy(api, buyer, sale["id"])

    assert r.status_code == 200
    assert again.status_code == 201  # the claim was returned with the unit
    detail = (await api.client.get(f"/api/v1/rooms/{room.room_id}")).json()
    assert detail["flash_sales"][0]["left"] == 1
    assert await api.stock(room.listed.owner, room.listed.product_id) == [8]


async def test_ended_sale_gives_unsold_units_back_and_late_cancels_go_to_sku_stock(
    api: Api, clock: FixedClock
) -> None:
    room = await live_room(api, stock=10)
    sale = await flash_sale(api, room, quantity=4, minutes=10)
    buyer = await api.user()
    order = (await _buy(api, buyer, sale["id"])).json()

    clock.advance(timedelta(minutes=11))
    closed = await api.runtime.scheduler.run_due()
    await api.client.post(f"/api/v1/orders/{order['id']}/cancel", headers=buyer.auth)
    await api.runtime.dispatcher.run_once()
    late = await _buy(api, buyer, sale["id"])

    assert closed["live.close_ended_flash_sales"] == 1
    assert await api.stock(room.listed.owner, room.listed.product_id) == [10]
    assert late.status_code == 409
    async with api.runtime.sessions() as session:
        row = await session.get(FlashSale, int(sale["id"]))
        assert row is not None
        assert (row.sold, row.returned_units) == (1, 3)


async def test_flash_sale_needs_the_room_staff_and_enough_stock(api: Api) -> None:
    room = await live_room(api, stock=5)
    stranger = await api.user()
    body = {
        "pin_id": room.pin_id,
        "sku_id": room.listed.sku_ids[0],
        "price_fen": 100,
        "quantity": 6,
        "starts_at": api.runtime.clock.now().isoformat(),
        "ends_at": (api.runtime.clock.now() + timedelta(minutes=5)).isoformat(),
        "per_buyer_limit": 1,
    }
    path = f"/api/v1/sessions/{room.session_id}/flash-sales"

    short = await api.client.post(path, json=body, headers=room.listed.owner.auth)
    foreign = await api.client.post(path, json={**body, "quantity": 1}, headers=stranger.auth)
    backwards = await api.client.post(
        path,
        json={**body, "quantity": 1, "ends_at": body["starts_at"]},
        headers=room.listed.owner.auth,
    )

    assert short.status_code == 409
    assert short.json()["type"].endswith("/flash-sale-stock-short")
    assert foreign.status_code == 403
    assert backwards.status_code == 422
    assert await api.count(FlashSale) == 0
    assert await api.stock(room.listed.owner, room.listed.product_id) == [5]
