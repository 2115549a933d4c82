"""Flash-sale winners written in batches (live/flash_writer.py): exactly the quantity under a
crowd, one bad purchase does not fail the others, and a batch the database cannot take whole is
written one by one. The writer exists only with the Redis gate: needs REDIS_URL (CI sets it)."""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections import Counter

import pytest
from sqlalchemy import func, select

from tests.integration.live.test_flash_sale_race import _buyers
from tests.support.api import ADDRESS, Api
from tests.support.live import flash_sale, live_room
from trustlive.accounts.domain import Principal
from trustlive.kernel.auth import Role
from trustlive.kernel.errors import Problem
from trustlive.kernel.models import IdempotencyRecord
from trustlive.kernel.redis import redis_of
from trustlive.live.flash import writer as flash_writer
from trustlive.live.flash.gate import LEFT, gate_of
from trustlive.live.models import FlashClaim, FlashSale
from trustlive.orders.models import Order

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs the Redis gate")


async def _attempts(api: Api, sale_id: str, buyers: list[Principal]) -> Counter[str]:
    rt = api.runtime
    writer = flash_writer.writer_of(rt)
    assert writer is not None
    crowd = asyncio.Semaphore(100)

    async def attempt(buyer: Principal) -> str:
        key = str(uuid.uuid4())
        async with crowd, rt.sessions() as session:
            try:
                answer = await flash_writer.buy(
                    session,
                    writer,
                    flash_sale_id=int(sale_id),
                    buyer=buyer,
                    quantity=1,
                    address=ADDRESS,
                    key=key,
                    body={"flash_sale_id": sale_id, "quantity": 1, "key": key},
                    now=rt.clock.now(),
                )
                return "order" if answer.status_code == 201 else str(answer.status_code)
            except Problem as problem:
                return problem.code

    return Counter(await asyncio.gather(*(attempt(b) for b in buyers)))


async def _count(api: Api, what: object, *where: object) -> int:
    async with api.runtime.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(what).where(*where)) or 0)  # type: ignore[arg-type]


async def test_a_crowd_through_the_batch_writer_buys_exactly_the_quantity(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=flash_writer.__name__)
    room = await live_room(api, stock=250)
    sale = await flash_sale(api, room, quantity=200, per_buyer_limit=1)
    buyers = await _buyers(api, 400)

    answers = await _attempts(api, sale["id"], buyers * 5)  # 2,000 attempts

    assert answers["order"] == 200
    assert "written one by one" not in caplog.text  # every batch was written whole
    assert (
        answers["order"] + answers["flash-sale-sold-out"] + answers["flash-sale-limit-reached"]
        == 2000
    )
    assert await _count(api, Order) == 200
    assert await _count(api, IdempotencyRecord) == 200  # each order with its answer
    async with api.runtime.sessions() as session:
        row = await session.get(FlashSale, int(sale["id"]))
        held = await session.scalar(select(func.sum(FlashClaim.quantity)))
    assert row is not None
    assert (row.sold, held) == (200, 200)
    gate = gate_of(api.runtime)
    assert gate is not None
    assert await gate.left(int(sale["id"])) == 0


async def test_shop_staff_in_a_batch_is_refused_and_the_others_are_written(api: Api) -> None:
    room = await live_room(api, stock=10)
    sale = await flash_sale(api, room, quantity=5, per_buyer_limit=1)
    owner = room.listed.owner
    staff = Principal(int(owner.id), owner.username, "店主", frozenset({Role.BUYER}))
    buyers = await _buyers(api, 3)

    answers = await _attempts(api, sale["id"], [staff, *buyers])

    assert answers == Counter({"order": 3, "self-purchase": 1})
    gate = gate_of(api.runtime)
    assert gate is not None
    assert await gate.left(int(sale["id"])) == 2  # the owner's unit is back
    assert await _count(api, Order) == 3


async def test_a_batch_the_database_cannot_take_whole_is_written_one_by_one(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=flash_writer.__name__)
    room = await live_room(api, stock=10)
    sale = await flash_sale(api, room, quantity=3, per_buyer_limit=1)
    client = redis_of(api.runtime)
    assert client is not None
    await client.set(LEFT.format(sale["id"]), 10)  # Redis believes in more units than there are
    buyers = await _buyers(api, 10)

    answers = await _attempts(api, sale["id"], buyers)

    assert answers == Counter({"order": 3, "flash-sale-sold-out": 7})
    assert "written one by one" in caplog.text  # the batch that needed more than was left
    assert await _count(api, Order) == 3


async def test_a_closing_writer_first_answers_the_winners_it_holds(api: Api) -> None:
    room = await live_room(api, stock=10)
    sale = await flash_sale(api, room, quantity=5, per_buyer_limit=1)
    buyers = await _buyers(api, 5)
    writer = flash_writer.writer_of(api.runtime)
    assert writer is not None

    attempts = asyncio.create_task(_attempts(api, sale["id"], buyers))
    async with asyncio.timeout(10):
        while writer._idle.is_set():  # noqa: ASYNC110 - until the writer holds purchases
            await asyncio.sleep(0.001)
        await writer.close()
        answers = await attempts

    assert answers == Counter({"order": 5})
    assert await _count(api, Order) == 5
