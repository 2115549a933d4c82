"""The simulator on the real platform: same seed, same outcome; the platform holds what it did."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import InstrumentedAttribute

from tests.support.database import empty_all_tables
from trustlive.accounts.models import Follow, User
from trustlive.aftersale.models import AftersaleRequest, Dispute
from trustlive.kernel.clock import FixedClock
from trustlive.kernel.models import OutboxDelivery
from trustlive.kernel.runtime import Runtime
from trustlive.live.models import Comment, LiveSession
from trustlive.orders.models import Order
from trustlive.reviews.models import Review
from trustlive.sim.dry_driver import DryDriver
from trustlive.sim.launch import run_in_process
from trustlive.sim.run import SimConfig, Summary, simulate
from trustlive.sim.truth import TruthLog

CONFIG = SimConfig(days=2, buyers=60, shops=4, seed=11)
AFTERSALES = SimConfig(days=6, buyers=80, shops=4, seed=29)  # refusals, disputes, returns


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
        summary.buyers + summary.fake_buyers + summary.shops + summary.creators + summary.operators
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


async def test_broadcasts_are_live_sessions_and_bad_parcels_are_after_sales_on_the_platform(
    runtime: Runtime, clock: FixedClock
) -> None:
    config = replace(AFTERSALES, start=clock.now())
    summary, _ = await run_in_process(config, runtime, clock)

    assert summary.disputes_opened > 0
    assert summary.counterfeit_rulings > 0
    assert summary.returns_shipped > 0
    assert summary.refunds_before_shipping > 0
    await _platform_holds(runtime, summary)
    assert await _count(runtime, LiveSession.id) == summary.sessions_held
    assert await _count(runtime, LiveSession.id, LiveSession.status == "live") == 0
    async with runtime.sessions() as session:
        viewers = await session.scalar(select(func.sum(LiveSession.total_viewers)))
        room_gmv = await session.scalar(select(func.sum(LiveSession.gmv_fen)))
        room_paid = await session.scalar(
            select(func.sum(Order.total_fen)).where(
                Order.live_session_id.is_not(None), Order.paid_at.is_not(None)
            )
        )
    assert viewers == summary.viewers_admitted
    assert room_gmv == room_paid  # paid room orders count in their session's statistics
    assert await _count(runtime, Order.id, Order.live_session_id.is_not(None)) == (
        summary.room_orders
    )
    assert await _count(runtime, Comment.id) == summary.comments
    requests = AftersaleRequest.id
    assert await _count(runtime, requests) == summary.aftersale_requested
    refunded = AftersaleRequest.refunded_at.is_not(None)
    assert await _count(runtime, requests, refunded) == summary.aftersale_refunded
    shipped_back = AftersaleRequest.return_shipped_at.is_not(None)
    assert await _count(runtime, requests, shipped_back) == summary.returns_shipped
    assert await _count(runtime, Dispute.id) == summary.disputes_opened
    decided = Dispute.status == "decided"
    assert await _count(runtime, Dispute.id, decided) == summary.disputes_for_buyer
    assert await _count(runtime, Dispute.id, Dispute.counterfeit.is_(True)) == (
        summary.counterfeit_rulings
    )
    assert await _count(runtime, Order.id, Order.status == "closed") == (
        summary.refunds_before_shipping
    )
