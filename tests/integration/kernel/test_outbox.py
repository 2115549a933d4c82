"""Exactly-once delivery per handler, across a crash mid-delivery and with two dispatchers."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support.api import Api
from trustlive.catalog import service as catalog
from trustlive.catalog.models import Product
from trustlive.kernel.clock import FixedClock
from trustlive.kernel.events import Event
from trustlive.kernel.models import OutboxDelivery, OutboxEvent
from trustlive.kernel.outbox import Dispatcher, HandlerRegistry, record_event
from trustlive.kernel.runtime import Runtime


@dataclass(frozen=True, kw_only=True)
class ProductSold(Event):
    topic = "test.product_sold"
    product_id: int
    quantity: int


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so no failure is recorded."""


async def _sold(runtime: Runtime, product_id: int) -> int:
    async with runtime.sessions() as session:
        return int(
            await session.scalar(select(Product.sold_count).where(Product.id == product_id)) or 0
        )


async def _emit(runtime: Runtime, product_id: int, quantity: int) -> None:
    async with runtime.sessions() as session:
        record_event(
            session, ProductSold(product_id=product_id, quantity=quantity), now=runtime.clock.now()
        )
        await session.commit()


async def count(session: AsyncSession, event: ProductSold) -> None:
    await catalog.count_sold(session, product_quantities={event.product_id: event.quantity})


async def test_a_crash_mid_delivery_redelivers_once_and_only_once(api: Api) -> None:
    rt = api.runtime
    product_id = int((await api.listed_product()).product_id)
    await _emit(rt, product_id, 4)

    async def crashing(session: AsyncSession, event: ProductSold) -> None:
        await count(session, event)  # the write happens…
        raise Crash  # …and the process dies before the delivery commits

    before_crash = HandlerRegistry()
    before_crash.subscribe(ProductSold, crashing, name="sales-counter")
    with pytest.raises(Crash):
        await Dispatcher(rt.sessions, before_crash, rt.clock).run_once()
    assert await _sold(rt, product_id) == 0

    after_restart = HandlerRegistry()
    after_restart.subscribe(ProductSold, count, name="sales-counter")
    restarted = Dispatcher(rt.sessions, after_restart, rt.clock)
    assert await restarted.run_once() == 1
    assert await restarted.run_once() == 0
    assert await _sold(rt, product_id) == 4


async def test_two_dispatchers_at_once_deliver_each_event_once(api: Api) -> None:
    rt = api.runtime
    product_id = int((await api.listed_product()).product_id)
    for _ in range(20):
        await _emit(rt, product_id, 1)
    registry = HandlerRegistry()
    registry.subscribe(ProductSold, count, name="sales-counter")
    first, second = (Dispatcher(rt.sessions, registry, rt.clock) for _ in range(2))

    await asyncio.gather(first.run_once(), second.run_once())

    assert await _sold(rt, product_id) == 20
    async with rt.sessions() as session:
        done = (await session.scalars(select(OutboxDelivery.status))).all()
    assert done == ["done"] * 20


async def test_a_failing_handler_is_retried_with_backoff_and_never_undoes_the_producer(
    api: Api, clock: FixedClock
) -> None:
    rt = api.runtime
    product_id = int((await api.listed_product()).product_id)
    await _emit(rt, product_id, 2)
    calls = 0

    async def flaky(session: AsyncSession, event: ProductSold) -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("downstream unavailable")
        await count(session, event)

    registry = HandlerRegistry()
    registry.subscribe(ProductSold, flaky, name="flaky-counter")
    dispatcher = Dispatcher(rt.sessions, registry, rt.clock)
    assert await dispatcher.run_once() == 0
    async with rt.sessions() as session:
        row = (await session.scalars(select(OutboxDelivery))).one()
    assert (row.status, row.attempts, "downstream unavailable" in (row.last_error or "")) == (
        "pending",
        1,
        True,
    )
    assert await dispatcher.run_once() == 0  # not due yet: backoff

    clock.advance(timedelta(seconds=5))
    assert await dispatcher.run_once() == 1
    assert await _sold(rt, product_id) == 2


async def test_each_handler_of_one_topic_gets_its_own_delivery(api: Api) -> None:
    rt = api.runtime
    product_id = int((await api.listed_product()).product_id)
    await _emit(rt, product_id, 1)
    registry = HandlerRegistry()
    registry.subscribe(ProductSold, count, name="counter-a")
    registry.subscribe(ProductSold, count, name="counter-b")

    assert await Dispatcher(rt.sessions, registry, rt.clock).run_once() == 2
    assert await _sold(rt, product_id) == 2


async def test_commit_listeners_hear_committed_events_only_and_cannot_undo_them(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    rt = api.runtime
    heard: list[int] = []

    def listen(event: ProductSold) -> None:
        heard.append(event.quantity)
        if event.quantity == 3:
            raise RuntimeError("listener broke")

    rt.registry.on_commit(ProductSold, listen)
    product_id = 1  # no handler reads it

    async with rt.sessions() as session:  # rolled back: nobody hears of it
        record_event(session, ProductSold(product_id=product_id, quantity=1), now=rt.clock.now())
        assert heard == []  # nor before the commit
        await session.rollback()
    await _emit(rt, product_id, 2)
    await _emit(rt, product_id, 3)  # the listener fails after the commit: logged, commit kept
    await _emit(rt, product_id, 4)

    assert heard == [2, 3, 4]
    assert "after-commit action functools.partial(<function test_commit_listeners" in caplog.text
    async with rt.sessions() as session:
        topics = await session.scalars(select(OutboxEvent.topic))
        assert list(topics).count(ProductSold.topic) == 3
