"""Brushing, rule layer: Shopee's order concentration rate over a sliding one-hour window.

A shop's window is flagged when orders / distinct buyers >= the policy's minimum (3); the buyers
with the most orders in a flagged window are its suspects. Flagged windows that share an order
merge into one brushing period. Each shop is swept once after sorting: O(n log n).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from trustlive.risk.graph.policy import BrushingRule

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class Order:
    """One placed order, as the detectors need it."""

    order_id: int
    shop_id: int
    buyer_id: int
    placed_at: datetime


@dataclass(frozen=True, slots=True)
class BrushingPeriod:
    """Flagged windows of one shop that overlap, with their suspects."""

    shop_id: int
    first_order_at: datetime
    last_order_at: datetime
    orders: int
    buyers: int
    suspects: frozenset[int]
    suspect_order_ids: frozenset[int]


def micros(at: datetime) -> int:
    """Exact integer microseconds since the epoch (window edges compare without rounding)."""
    return (at - _EPOCH) // _MICROSECOND


def group_by_time(orders: Sequence[Order]) -> list[list[Order]]:
    """One shop's orders sorted and grouped by identical time (a window holds all or none)."""
    groups: list[list[Order]] = []
    last: int | None = None
    for order in sorted(orders, key=lambda o: (micros(o.placed_at), o.order_id)):
        t = micros(order.placed_at)
        if t != last:
            groups.append([])
            last = t
        groups[-1].append(order)
    return groups


class _Window:
    """Orders per buyer inside the window, with the buyers at the highest count at hand."""

    def __init__(self) -> None:
        self.count: dict[int, int] = defaultdict(int)
        self.at_level: dict[int, set[int]] = defaultdict(set)
        self.top = 0
        self.orders = 0

    @property
    def buyers(self) -> int:
        return len(self.count)

    def add(self, buyer: int) -> None:
        c = self.count[buyer]
        if c:
            self.at_level[c].discard(buyer)
        self.count[buyer] = c + 1
        self.at_level[c + 1].add(buyer)
        self.top = max(self.top, c + 1)
        self.orders += 1

    def remove(self, buyer: int) -> None:
        c = self.count[buyer]
        self.at_level[c].discard(buyer)
        if c == 1:
            del self.count[buyer]
        else:
            self.count[buyer] = c - 1
            self.at_level[c - 1].add(buyer)
        if self.top == c and not self.at_level[c]:
            self.top = c - 1
        self.orders -= 1


def flagged_runs(
    groups: Sequence[Sequence[Order]], rule: BrushingRule
) -> list[tuple[int, int, frozenset[int]]]:
    """Every distinct content of a closed one-hour window that the rule flags, in sweep order.

    A window [s, s + H] holds a run of time groups [a, b]; as s slides, the content changes only
    when a group enters (s = t - H) or leaves (just after s = t). Returned: (a, b, suspects).
    """
    h = rule.window_seconds * 1_000_000
    times = [micros(g[0].placed_at) for g in groups]
    window = _Window()
    runs: list[tuple[int, int, frozenset[int]]] = []

    def check(a: int, b: int) -> None:
        if window.orders and window.orders >= rule.min_concentration * window.buyers:
            runs.append((a, b, frozenset(window.at_level[window.top])))

    enter = leave = 0
    while leave < len(groups):
        s = times[leave] if enter == len(groups) else min(times[enter] - h, times[leave])
        entered = False
        while enter < len(groups) and times[enter] - h == s:
            for order in groups[enter]:
                window.add(order.buyer_id)
            enter += 1
            entered = True
        if entered:
            check(leave, enter - 1)
        left = False
        while leave < enter and times[leave] == s:
            for order in groups[leave]:
                window.remove(order.buyer_id)
            leave += 1
            left = True
        if left and leave < enter:
            check(leave, enter - 1)
    return runs


def merge_runs(
    groups: Sequence[Sequence[Order]], runs: Iterable[tuple[int, int, frozenset[int]]]
) -> list[BrushingPeriod]:
    """Flagged runs sharing a time group become one period; its suspects are their union."""
    periods: list[BrushingPeriod] = []
    current: tuple[int, int, set[int]] | None = None
    for a, b, suspects in sorted(runs, key=lambda r: (r[0], r[1])):
        if current is not None and a <= current[1]:
            current = (current[0], max(current[1], b), current[2] | suspects)
            continue
        if current is not None:
            periods.append(_period(groups, *current))
        current = (a, b, set(suspects))
    if current is not None:
        periods.append(_period(groups, *current))
    return periods


def _period(
    groups: Sequence[Sequence[Order]], a: int, b: int, suspects: set[int]
) -> BrushingPeriod:
    orders = [o for g in groups[a : b + 1] for o in g]
    return BrushingPeriod(
        shop_id=orders[0].shop_id,
        first_order_at=orders[0].placed_at,
        last_order_at=orders[-1].placed_at,
        orders=len(orders),
        buyers=len({o.buyer_id for o in orders}),
        suspects=frozenset(suspects),
        suspect_order_ids=frozenset(o.order_id for o in orders if o.buyer_id in suspects),
    )


def detect_brushing(
    orders: Iterable[Order], rule: BrushingRule, now: datetime
) -> list[BrushingPeriod]:
    """Brushing periods of every shop among orders placed up to `now`, by shop then time."""
    by_shop: dict[int, list[Order]] = defaultdict(list)
    for order in orders:
        if order.placed_at <= now:
            by_shop[order.shop_id].append(order)
    periods: list[BrushingPeriod] = []
    for shop_id in sorted(by_shop):
        groups = group_by_time(by_shop[shop_id])
        periods.extend(merge_runs(groups, flagged_runs(groups, rule)))
    return periods
