"""The simulator on the real platform: same seed, same outcome; the platform holds what it did."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute

from tests.support.database import empty_all_tables
from trustlive.accounts.models import Follow, User
from trustlive.kernel.clock import FixedClock
from trustlive.kernel.models import OutboxDelivery
from trustlive.kernel.runtime import Runtime
from trustlive.orders.models import Order
from trustlive.reviews.models import Review
from trustlive.sim.dry_driver import DryDriver
from trustlive.sim.launch import run_in_process
from trustlive.sim.run import SimConfig, Summary, simulate
from trustlive.sim.truth import TruthLog

CONFIG = SimConfig(days=2, buyers=60, shops=4, seed=11)


async def _count(
    runtime: Runtime, column: InstrumentedAttribute[Any], *where: ColumnElement[bool]
) -> int:
    async with runtime.sessions() as session:
        return int(await session.scalar(select(func.count(column)).where(*where)) or 0)


async def test_two_runs_of_one_seed_give_identical_summaries_and_truth_and_platform_data(
    runtime: Runtime, clock: FixedClock
) -> None:
    config = replace(CONFIG, start=clock.now())
    first, first_truth = await run_in_process(config, runtime, clock)
    await empty_all_tables(runtime)
    second, second_truth = await run_in_process(config, runtime, clock)

    assert first.as_dict() == second.as_dict()
    assert first_truth.lines() == second_truth.lines()
    assert first.orders_paid > 10
    dry = await simulate(DryDriver(), config, TruthLog())
    assert {**dry.as_dict(), "platform_job_items": 0} == {
        **first.as_dict(),
        "platform_job_items": 0,
    }
    await _platform_holds(runtime, second)


async def _platform_holds(runtime: Runtime, summary: Summary) -> None:
    """The platform's tables hold exactly what the simulation says it did."""

    assert await _count(runtime, User.id) == (
        summary.buyers + summary.fake_buyers + summary.shops + summary.creators
    )
    assert await _count(runtime, Order.id) == summary.orders_placed
    assert await _count(runtime, Order.id, Order.paid_at.is_not(None)) == summary.orders_paid
    assert await _count(runtime, Order.id, Order.status == "cancelled") == summary.orders_abandoned
    assert await _count(runtime, Order.id, Order.shipped_at.is_not(None)) == summary.orders_shipped
    assert await _count(runtime, Review.id) == summary.reviews
    follows = summary.follows + summary.new_follows - summary.unfollows
    assert await _count(runtime, Follow.id) == follows
    async with runtime.sessions() as session:
        gmv = await session.scalar(
            select(func.sum(Order.total_fen)).where(Order.paid_at.is_not(None))
        )
    assert gmv == summary.gmv_fen
    assert await _count(runtime, OutboxDelivery.id, OutboxDelivery.status != "done") == 0
