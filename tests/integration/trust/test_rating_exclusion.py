"""The risk port: events of flagged accounts or orders count on neither the live nor full path."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import reviews, trust
from trustlive.kernel.clock import FixedClock
from trustlive.kernel.outbox import record_event
from trustlive.kernel.runtime import Runtime
from trustlive.trust import handlers, jobs
from trustlive.trust.models import TrustDailyCounter

FLAGGED = 77


class FlaggedByRisk:
    async def excluded_accounts(self, session: AsyncSession) -> set[int]:
        return {FLAGGED}

    async def excluded_orders(self, session: AsyncSession) -> set[int]:
        return set()


class OrderFlaggedByRisk:
    async def excluded_accounts(self, session: AsyncSession) -> set[int]:
        return set()

    async def excluded_orders(self, session: AsyncSession) -> set[int]:
        return {2}


def _review(review_id: int, buyer: int) -> reviews.ReviewCreated:
    return reviews.ReviewCreated(
        review_id=review_id, order_id=review_id, shop_id=5, buyer_id=buyer, product_ids=[50],
        rating_described=1, rating_service=1, rating_logistics=1,
    )  # fmt: skip


async def _shop_reviews(runtime: Runtime) -> dict[str, int]:
    async with runtime.sessions() as session:
        rows = await session.execute(
            select(TrustDailyCounter.measure, TrustDailyCounter.count).where(
                TrustDailyCounter.subject_kind == "shop", TrustDailyCounter.subject_id == 5
            )
        )
        return {str(m): int(c) for m, c in rows}


async def test_flagged_accounts_ratings_are_left_out_on_both_paths(
    runtime: Runtime, clock: FixedClock
) -> None:
    ctx = trust.build_context(clock, exclusion=FlaggedByRisk())
    handlers.register(runtime.registry, ctx)
    async with runtime.sessions() as session:
        record_event(session, _review(1, buyer=FLAGGED), now=clock.now())
        record_event(session, _review(2, buyer=88), now=clock.now())
        await session.commit()
    await runtime.dispatcher.run_once()
    live = await _shop_reviews(runtime)
    async with runtime.sessions() as session:
        await jobs.recompute_all(session, ctx, clock.now())
        await session.commit()

    expected = {"reviews": 1, "bad_described": 1, "bad_service": 1}
    assert live == expected
    assert await _shop_reviews(runtime) == expected


async def test_a_flagged_orders_rating_is_left_out_on_both_paths(
    runtime: Runtime, clock: FixedClock
) -> None:
    ctx = trust.build_context(clock, exclusion=OrderFlaggedByRisk())
    handlers.register(runtime.registry, ctx)
    async with runtime.sessions() as session:
        record_event(session, _review(1, buyer=FLAGGED), now=clock.now())
        record_event(session, _review(2, buyer=88), now=clock.now())
        await session.commit()
    await runtime.dispatcher.run_once()
    live = await _shop_reviews(runtime)
    async with runtime.sessions() as session:
        await jobs.recompute_all(session, ctx, clock.now())
        await session.commit()

    expected = {"reviews": 1, "bad_described": 1, "bad_service": 1}
    assert live == expected
    assert await _shop_reviews(runtime) == expected
