"""Apply one event to the counters (live path) and rebuild them all from the outbox (full path)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.models import OutboxDelivery, OutboxEvent
from trustlive.trust import counters
from trustlive.trust.context import HANDLER_NAME, TrustContext
from trustlive.trust.fold import Excluded, fold
from trustlive.trust.models import (
    TrustCounterBuyer,
    TrustDailyCounter,
    TrustOrderFact,
    TrustPurchase,
    TrustThreadWait,
)
from trustlive.trust.service import Subject

PAID = "orders.order_paid"
BATCH = 5000


async def _creator(session: AsyncSession, ctx: TrustContext, p: dict[str, Any]) -> int | None:
    room = p.get("room_id")
    if room is None:
        return None
    return (await ctx.hooks.attribution.creators_of_rooms(session, {int(room)})).get(int(room))


async def excluded_by_risk(session: AsyncSession, ctx: TrustContext) -> Excluded:
    """The one port through which risk verdicts reach every score (default: nothing flagged)."""
    port = ctx.hooks.exclusion
    return Excluded(
        frozenset(await port.excluded_accounts(session)),
        frozenset(await port.excluded_orders(session)),
    )


async def apply_event(
    session: AsyncSession, topic: str, p: dict[str, Any], at: datetime, ctx: TrustContext
) -> set[Subject]:
    """The live path: fold one event against its slice of state; returns the subjects it moved."""
    state = await counters.load_state(session, topic, p)
    creator = await _creator(session, ctx, p) if topic == PAID else None
    excluded = await excluded_by_risk(session, ctx)
    folded = fold(topic, p, at, state, ctx.policy.measures, creator_id=creator, excluded=excluded)
    await counters.persist(session, folded)
    return {(t.kind, t.subject_id) for t in folded.ticks}


async def _clear(session: AsyncSession) -> None:
    for table in (
        TrustDailyCounter,
        TrustCounterBuyer,
        TrustOrderFact,
        TrustPurchase,
        TrustThreadWait,
    ):
        await session.execute(delete(table))


async def _bulk(session: AsyncSession, table: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), BATCH):
        await session.execute(insert(table.__table__), rows[start : start + BATCH])


async def rebuild_counters(session: AsyncSession, topics: frozenset[str], ctx: TrustContext) -> int:
    """The full path: empty the counters and fold every delivered-or-backfilled event again.

    Events still pending for the trust handler are left to it (it will add them), and events not
    yet fanned out will get a delivery; everything else is folded here in event order, through the
    same `fold` as the live path, so the counters come out identical.

    Live handlers running meanwhile wait: on PostgreSQL the counters table is locked against
    writers for the rebuild's transaction (every state-changing event writes counters), and SQLite
    has a single writer anyway; so an event is either folded here or applied live after, never both.
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("LOCK TABLE trust_daily_counter IN EXCLUSIVE MODE"))
    await _clear(session)
    excluded = await excluded_by_risk(session, ctx)
    pending = select(OutboxDelivery.event_id).where(
        OutboxDelivery.handler == HANDLER_NAME, OutboxDelivery.status == "pending"
    )
    query = (
        select(OutboxEvent.topic, OutboxEvent.payload, OutboxEvent.created_at)
        .where(
            OutboxEvent.topic.in_(sorted(topics)),
            OutboxEvent.fanned_out_at.is_not(None),
            OutboxEvent.id.not_in(pending),
        )
        .order_by(OutboxEvent.id)
        .execution_options(yield_per=BATCH)
    )
    state = counters.MemoryState()
    counts: dict[counters.CounterKey, int] = {}
    buyers: set[tuple[str, int, str, Any, int]] = set()
    folded_events = 0
    result = await session.stream(query)
    async for part in result.partitions(BATCH):
        rooms = {
            int(p["room_id"]) for t, p, _ in part if t == PAID and p.get("room_id") is not None
        }
        creators = await ctx.hooks.attribution.creators_of_rooms(session, rooms) if rooms else {}
        for topic, p, at in part:
            room = p.get("room_id") if topic == PAID else None
            folded = fold(
                topic,
                p,
                at,
                state,
                ctx.policy.measures,
                creator_id=creators.get(int(room)) if room is not None else None,
                excluded=excluded,
            )
            state.apply(folded)
            c, b = counters.tally(folded.ticks)
            for key, n in c.items():
                counts[key] = counts.get(key, 0) + n
            buyers |= b
            folded_events += 1
    await _write(session, state, counts, buyers)
    return folded_events


async def _write(
    session: AsyncSession,
    state: counters.MemoryState,
    counts: dict[counters.CounterKey, int],
    buyers: set[tuple[str, int, str, Any, int]],
) -> None:
    keys = ("subject_kind", "subject_id", "measure", "day")
    await _bulk(
        session,
        TrustDailyCounter,
        [dict(zip(keys, k, strict=True), count=n) for k, n in counts.items()],
    )
    await _bulk(
        session, TrustCounterBuyer, [dict(zip((*keys, "buyer_id"), b, strict=True)) for b in buyers]
    )
    await _bulk(session, TrustOrderFact, [counters.fact_row(f) for f in state.orders.values()])
    await _bulk(session, TrustPurchase, [{"buyer_id": b, "key": k} for b, k in state.purchases])
    await _bulk(session, TrustThreadWait, [{"thread_id": t} for t in state.waits])
