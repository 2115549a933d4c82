"""Fold state and counters in the database: load what one event needs, write what it caused."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.db import insert_for
from trustlive.trust.domain import DayCount
from trustlive.trust.fold import Folded, OrderFact, Tick
from trustlive.trust.indicators import BUYER_TRACKED, SubjectKind
from trustlive.trust.models import (
    TrustCounterBuyer,
    TrustDailyCounter,
    TrustOrderFact,
    TrustPurchase,
    TrustThreadWait,
)


class MemoryState:
    """FoldState over dicts: the full recompute keeps all of it; a live event loads its slice."""

    def __init__(self) -> None:
        self.orders: dict[int, OrderFact] = {}
        self.purchases: set[tuple[int, str]] = set()
        self.waits: set[int] = set()

    def order(self, order_id: int) -> OrderFact | None:
        return self.orders.get(order_id)

    def bought_before(self, buyer_id: int, key: str) -> bool:
        return (buyer_id, key) in self.purchases

    def waiting(self, thread_id: int) -> bool:
        return thread_id in self.waits

    def apply(self, folded: Folded) -> None:
        if folded.new_order is not None:
            self.orders[folded.new_order.order_id] = folded.new_order
        self.purchases.update(folded.purchases)
        if folded.open_wait is not None:
            self.waits.add(folded.open_wait)
        if folded.close_wait is not None:
            self.waits.discard(folded.close_wait)


def fact_from_row(row: TrustOrderFact) -> OrderFact:
    return OrderFact(
        row.order_id, row.shop_id, row.buyer_id, tuple(row.product_ids), row.creator_id, row.paid_at
    )


def fact_row(fact: OrderFact) -> dict[str, Any]:
    return {
        "order_id": fact.order_id,
        "shop_id": fact.shop_id,
        "buyer_id": fact.buyer_id,
        "product_ids": list(fact.product_ids),
        "creator_id": fact.creator_id,
        "paid_at": fact.paid_at,
    }


async def load_state(session: AsyncSession, topic: str, p: dict[str, Any]) -> MemoryState:
    """The slice of fold state one event can read."""
    state = MemoryState()
    if "order_id" in p:
        row = await session.get(TrustOrderFact, int(p["order_id"]))
        if row is not None:
            state.orders[row.order_id] = fact_from_row(row)
    if topic == "orders.order_paid":
        buyer = int(p["buyer_id"])
        keys = [f"shop:{p['shop_id']}"] + [f"product:{ln['product_id']}" for ln in p["lines"]]
        found = await session.scalars(
            select(TrustPurchase.key).where(
                TrustPurchase.buyer_id == buyer, TrustPurchase.key.in_(keys)
            )
        )
        state.purchases = {(buyer, k) for k in found}
    if "thread_id" in p and await session.get(TrustThreadWait, int(p["thread_id"])) is not None:
        state.waits.add(int(p["thread_id"]))
    return state


_STATEMENTS: dict[tuple[str, str], Any] = {}


def upsert(session: AsyncSession, table: Any, shape: Callable[[Any], Any]) -> Any:
    """The dialect's INSERT of `table` shaped by `shape` (its ON CONFLICT clause), built once per
    dialect and executed with parameters: the statement is not rebuilt and recompiled per row."""
    dialect = session.get_bind().dialect.name
    key = (dialect, f"{table.__tablename__}:{shape.__qualname__}")
    stmt = _STATEMENTS.get(key)
    if stmt is None:
        stmt = _STATEMENTS[key] = shape(insert_for(session, table))
    return stmt


def _add_count(stmt: Any) -> Any:
    return stmt.on_conflict_do_update(
        index_elements=["subject_kind", "subject_id", "measure", "day"],
        set_={"count": TrustDailyCounter.count + stmt.excluded.count},
    )


def _ignore_duplicate(stmt: Any) -> Any:
    return stmt.on_conflict_do_nothing()


CounterKey = tuple[str, int, str, date]


def tally(
    ticks: Iterable[Tick],
) -> tuple[dict[CounterKey, int], set[tuple[str, int, str, date, int]]]:
    counts: dict[CounterKey, int] = {}
    buyers: set[tuple[str, int, str, date, int]] = set()
    for t in ticks:
        key = (t.kind.value, t.subject_id, t.measure, t.day)
        counts[key] = counts.get(key, 0) + 1
        if t.measure in BUYER_TRACKED and t.buyer_id is not None:
            buyers.add((*key, t.buyer_id))
    return counts, buyers


async def add_ticks(session: AsyncSession, ticks: list[Tick]) -> None:
    """Increment counters with an upsert (concurrent writers add, never overwrite)."""
    counts, buyers = tally(ticks)
    for (kind, sid, measure, day), n in sorted(counts.items()):
        row = {"subject_kind": kind, "subject_id": sid, "measure": measure, "day": day, "count": n}
        await session.execute(upsert(session, TrustDailyCounter, _add_count), row)
    for kind, sid, measure, day, buyer in sorted(buyers):
        await session.execute(
            upsert(session, TrustCounterBuyer, _ignore_duplicate),
            {"subject_kind": kind, "subject_id": sid, "measure": measure, "day": day,
             "buyer_id": buyer},
        )  # fmt: skip


async def persist(session: AsyncSession, folded: Folded) -> None:
    """Write one live event's state changes and ticks."""
    if folded.new_order is not None:
        await session.execute(
            upsert(session, TrustOrderFact, _ignore_duplicate), fact_row(folded.new_order)
        )
    for buyer, key in folded.purchases:
        await session.execute(
            upsert(session, TrustPurchase, _ignore_duplicate), {"buyer_id": buyer, "key": key}
        )
    if folded.open_wait is not None:
        await session.execute(
            upsert(session, TrustThreadWait, _ignore_duplicate), {"thread_id": folded.open_wait}
        )
    if folded.close_wait is not None:
        await session.execute(
            delete(TrustThreadWait).where(TrustThreadWait.thread_id == folded.close_wait)
        )
    await add_ticks(session, folded.ticks)


async def load_series(
    session: AsyncSession, kind: SubjectKind, subject_id: int, since: date
) -> dict[str, dict[date, DayCount]]:
    """One subject's counters from `since` on, with the distinct buyers of adverse measures."""
    rows = await session.execute(
        select(TrustDailyCounter.measure, TrustDailyCounter.day, TrustDailyCounter.count).where(
            TrustDailyCounter.subject_kind == kind.value,
            TrustDailyCounter.subject_id == subject_id,
            TrustDailyCounter.day >= since,
        )
    )
    buyer_rows = await session.execute(
        select(TrustCounterBuyer.measure, TrustCounterBuyer.day, TrustCounterBuyer.buyer_id).where(
            TrustCounterBuyer.subject_kind == kind.value,
            TrustCounterBuyer.subject_id == subject_id,
            TrustCounterBuyer.day >= since,
        )
    )
    buyers: dict[tuple[str, date], set[int]] = {}
    for measure, day, buyer in buyer_rows:
        buyers.setdefault((measure, day), set()).add(buyer)
    series: dict[str, dict[date, DayCount]] = {}
    for measure, day, count in rows:
        series.setdefault(measure, {})[day] = DayCount(
            count, frozenset(buyers.get((measure, day), set()))
        )
    return series


def since_for(today: date, window_days: int) -> date:
    return today - timedelta(days=window_days - 1)
