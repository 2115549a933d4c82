"""Real concurrent buyers against one flash sale: exactly the quantity is sold, never one more,
and every attempt gets an answer. With REDIS_URL set the Redis gate is in front (as in CI)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from sqlalchemy import func, select

from tests.support.api import ADDRESS, Api
from tests.support.live import flash_sale, live_room
from trustlive import orders
from trustlive.accounts.domain import Principal
from trustlive.accounts.models import User
from trustlive.kernel.auth import Role
from trustlive.kernel.errors import Problem
from trustlive.kernel.ids import new_id
from trustlive.live.flash import sale as flash
from trustlive.live.flash.gate import gate_of
from trustlive.live.models import FlashClaim, FlashSale
from trustlive.live.wiring import channel_of
from trustlive.orders.models import Order

BUYERS = 400
ATTEMPTS_EACH = 5  # 2,000 attempts
UNITS = 200


async def _buyers(api: Api, count: int) -> list[Principal]:
    now = datetime.now(UTC)
    users = [
        User(
            id=new_id(),
            username=f"fs{i}_{new_id()}",
            display_name=f"买家{i}",
            password_hash="x",
            roles=["buyer"],
            created_at=now,
        )
        for i in range(count)
    ]
    async with api.runtime.sessions() as session:
        session.add_all(users)
        await session.commit()
    return [Principal(u.id, u.username, u.display_name, frozenset({Role.BUYER})) for u in users]


async def test_two_thousand_attempts_buy_exactly_the_two_hundred_units(api: Api) -> None:
    room = await live_room(api, stock=UNITS + 50)
    sale = await flash_sale(api, room, quantity=UNITS, per_buyer_limit=1)
    buyers = await _buyers(api, BUYERS)
    rt = api.runtime
    gate = gate_of(rt)
    assert (gate is not None) == bool(rt.settings.redis_url)
    gates = asyncio.Semaphore(30)

    async def attempt(buyer: Principal) -> str:
        async with gates, rt.sessions() as session:
            try:
                await flash.buy(
                    session,
                    flash_sale_id=int(sale["id"]),
                    buyer=buyer,
                    quantity=1,
                    address=ADDRESS,
                    policy=orders.policy_from(rt.settings),
                    channel=channel_of(rt),
                    gate=gate,
                    now=rt.clock.now(),
                )
                await session.commit()
                return "order"
            except Problem as problem:
                await session.rollback()
                return problem.code

    answers = await asyncio.gather(
        *(attempt(buyers[i % BUYERS]) for i in range(BUYERS * ATTEMPTS_EACH))
    )

    assert answers.count("order") == UNITS
    assert answers.count("flash-sale-sold-out") + answers.count("flash-sale-limit-reached") == (
        BUYERS * ATTEMPTS_EACH - UNITS
    )
    async with rt.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Order)) == UNITS
        assert await session.scalar(select(FlashSale.sold)) == UNITS
        assert await session.scalar(select(func.max(FlashClaim.quantity))) == 1
        assert await session.scalar(select(func.count()).select_from(FlashClaim)) == UNITS
        total = await session.scalar(select(func.sum(Order.total_fen)))
    assert total == UNITS * 990
    assert await api.stock(room.listed.owner, room.listed.product_id) == [50]
    if gate is not None:
        assert await gate.left(int(sale["id"])) == 0
