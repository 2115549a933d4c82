"""The figures sellers and operators read, each defined once, over plain rows.

Conventions shared by every definition here:
- A *paid order* is an order whose payment succeeded (it has a `paid_at`), whatever happened to it
  afterwards (shipped, received, completed). Unpaid and cancelled-before-payment orders never count.
  Refunds do not reduce GMV: GMV is the value paid, as the industry reports it; the refund rate is a
  figure of its own.
- A *window* of N days starts at 00:00 UTC of the day N-1 days before today (inclusive) and ends
  with `now` (inclusive): "7d" on a Wednesday afternoon is Thursday of last week 00:00 UTC up to
  now. Spans are half-open, so a window's span ends one microsecond after `now`. An order belongs
  to the window in which it was *paid*. Days are UTC days.
- Rates are integer basis points (1 bp = 0.01 %), rounded down; a rate over nothing is `None`.
- Money is integer fen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

BASIS_POINTS = 10_000
MONTH = timedelta(days=30)
TICK = timedelta(microseconds=1)  # the smallest step of a timestamp: [start, now + TICK) holds now


class Window(StrEnum):
    DAY = "1d"
    WEEK = "7d"
    MONTH = "30d"

    @property
    def days(self) -> int:
        return {"1d": 1, "7d": 7, "30d": 30}[self.value]


@dataclass(frozen=True)
class PaidOrder:
    """The narrow row every order figure is computed from."""

    order_id: int
    buyer_id: int
    shop_id: int
    total_fen: int
    paid_at: datetime
    live_session_id: int | None = None


@dataclass(frozen=True)
class Span:
    start: datetime  # inclusive
    end: datetime  # exclusive


def start_of_day(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def window_span(window: Window, now: datetime) -> Span:
    """[00:00 UTC of the day `days - 1` before today, now]."""
    return Span(start_of_day(now) - timedelta(days=window.days - 1), now + TICK)


def buckets(window: Window, now: datetime) -> list[Span]:
    """Chart buckets: hours for a one-day window, UTC days otherwise; the last one ends now."""
    span = window_span(window, now)
    step = timedelta(hours=1) if window == Window.DAY else timedelta(days=1)
    spans, start = [], span.start
    while start < span.end:
        spans.append(Span(start, min(start + step, span.end)))
        start += step
    return spans


def in_span(orders: Iterable[PaidOrder], span: Span) -> list[PaidOrder]:
    return [o for o in orders if span.start <= o.paid_at < span.end]


def rate_bp(part: int, whole: int) -> int | None:
    """part / whole in basis points, rounded down; None when there is nothing to divide by."""
    if whole <= 0:
        return None
    return part * BASIS_POINTS // whole


def gmv(orders: Iterable[PaidOrder]) -> int:
    """Gross merchandise value: the sum of `total_fen` over paid orders (refunds not deducted)."""
    return sum(o.total_fen for o in orders)


def paid_orders(orders: Sequence[PaidOrder]) -> int:
    """The number of paid orders."""
    return len(orders)


def buyers(orders: Iterable[PaidOrder]) -> set[int]:
    """Distinct buyers with at least one paid order."""
    return {o.buyer_id for o in orders}


def aov(orders: Sequence[PaidOrder]) -> int | None:
    """Average order value: GMV / paid orders, in fen, rounded down; None without orders."""
    return gmv(orders) // len(orders) if orders else None


def orders_per_buyer(orders: Iterable[PaidOrder]) -> Counter[int]:
    return Counter(o.buyer_id for o in orders)


def repurchase_rate(orders: Iterable[PaidOrder]) -> int | None:
    """复购率: share of buyers with two or more paid orders, among buyers with at least one (bp)."""
    counts = orders_per_buyer(orders)
    return rate_bp(sum(1 for n in counts.values() if n >= 2), len(counts))


def fan_repurchase_rate(orders: Iterable[PaidOrder], fans: set[int]) -> int | None:
    """粉丝复购率: the repurchase rate restricted to buyers who are the seller's fans (followers).

    Denominator: fans with at least one paid order; numerator: those with two or more.
    """
    return repurchase_rate(o for o in orders if o.buyer_id in fans)


@dataclass(frozen=True)
class NewVsReturning:
    new: int
    returning: int


def new_vs_returning(window_buyers: set[int], bought_before: set[int]) -> NewVsReturning:
    """A buyer of the window is *returning* if they had a paid order (at the same shop, or on the
    platform for the operator) before the window started, and *new* otherwise."""
    returning = len(window_buyers & bought_before)
    return NewVsReturning(new=len(window_buyers) - returning, returning=returning)


def conversion(viewers: int, buyers_count: int) -> int | None:
    """Room conversion: distinct buyers who paid in the room / viewers of the room (bp).

    Viewers are the room entries the live channel counted over the sessions concerned (someone who
    leaves and comes back counts again), so conversion is a lower bound on the share of distinct
    watchers who bought."""
    return rate_bp(buyers_count, viewers)


def room_conversion(orders: Iterable[PaidOrder], viewers: dict[int, int]) -> int | None:
    """Conversion over the sessions in `viewers` (session id → viewers): distinct buyers with a
    paid order placed in one of them / their viewers summed."""
    in_rooms = {o.buyer_id for o in orders if o.live_session_id in viewers}
    return conversion(sum(viewers.values()), len(in_rooms))


def refund_rate(refunded_orders: int, paid_orders_count: int) -> int | None:
    """Refund rate: paid orders of the window with a refund granted / paid orders of the window."""
    return rate_bp(refunded_orders, paid_orders_count)


def dispute_rate(disputed_orders: int, paid_orders_count: int) -> int | None:
    """Dispute rate: paid orders of the window escalated to the platform / paid orders (bp)."""
    return rate_bp(disputed_orders, paid_orders_count)


def monthly_active_buyers(orders: Iterable[PaidOrder], now: datetime) -> int:
    """Distinct buyers with a paid order in the 30 days up to now ([now - 30 d, now])."""
    return len({o.buyer_id for o in orders if now - MONTH <= o.paid_at <= now})


def mutual_follow_pairs(edges: Iterable[tuple[int, int]]) -> int:
    """互关: unordered pairs {a, b} where a follows b and b follows a.

    Edges are (follower, followee); a repeated edge counts once.
    """
    seen = set(edges)
    return sum(1 for a, b in seen if a < b and (b, a) in seen)


@dataclass(frozen=True)
class SessionStats:
    live_session_id: int
    gmv_fen: int
    paid_orders: int
    buyers: int
    viewers: int | None
    conversion_bp: int | None


def session_stats(
    orders: Iterable[PaidOrder], viewers: dict[int, int] | None = None
) -> list[SessionStats]:
    """Per live session: GMV, paid orders and buyers of orders placed in it, its viewers and its
    conversion. With `viewers`, every session in it is listed (one that sold nothing too);
    without, viewers and conversion are None. Sorted by GMV, largest first."""
    by_session: dict[int, list[PaidOrder]] = {s: [] for s in viewers or {}}
    for order in orders:
        if order.live_session_id is not None:
            by_session.setdefault(order.live_session_id, []).append(order)
    stats = []
    for session_id, rows in by_session.items():
        seen = None if viewers is None else viewers.get(session_id, 0)
        who = len(buyers(rows))
        stats.append(
            SessionStats(
                live_session_id=session_id,
                gmv_fen=gmv(rows),
                paid_orders=len(rows),
                buyers=who,
                viewers=seen,
                conversion_bp=None if seen is None else conversion(seen, who),
            )
        )
    return sorted(stats, key=lambda s: (-s.gmv_fen, s.live_session_id))


@dataclass(frozen=True)
class Bin:
    low: int  # inclusive
    high: int  # exclusive, except the last bin, which includes its top
    count: int


def histogram(values: Iterable[int], *, low: int, high: int, width: int) -> list[Bin]:
    """Counts of values in [low, low+width), …, [high-width, high]; values outside are dropped.
    Used for the distribution of shop experience scores."""
    edges = list(range(low, high, width))
    counts = [0] * len(edges)
    for value in values:
        if low <= value <= high:
            counts[min((value - low) // width, len(edges) - 1)] += 1
    return [Bin(e, min(e + width, high), c) for e, c in zip(edges, counts, strict=True)]


SCORE_SCALE_HUNDREDTHS = 500  # shop experience scores run 0.00–5.00
SCORE_BIN_HUNDREDTHS = 50


def score_distribution(scores: Iterable[Decimal]) -> list[Bin]:
    """Shops per half-point of shop experience score, in hundredths: [0, 50) … [450, 500]."""
    hundredths = (int(score * 100) for score in scores)
    return histogram(hundredths, low=0, high=SCORE_SCALE_HUNDREDTHS, width=SCORE_BIN_HUNDREDTHS)
