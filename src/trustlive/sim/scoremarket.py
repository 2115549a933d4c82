"""A fast market of the platform's trust events drawn from hidden shop traits, for score evaluation.

Every shop has a latent quality q (what the scores should find) and a diligence d close to it
(shipping and reply speed). Quality drives complaints, refunds, disputes, counterfeits, ratings and
repurchase; the platform sees only the events, with the payloads the real contexts publish, and
folds them with `trust.fold` as it does live. Two shapes keep an evaluation from fitting one story:

- `lognormal-ordinal`: daily orders log-normal (many small shops, a few large); a rating is the
  shop's quality plus Gaussian noise, cut into stars.
- `pareto-lenient`: daily orders Pareto (a heavier head); most buyers give five stars whatever
  happened, shops differ in how hard they solicit good ratings (a bias unrelated to quality), and
  the rest rate with more noise.

Pure: everything comes from the `random.Random` passed in.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

START = datetime(2026, 1, 1, tzinfo=UTC)
CATEGORIES = ("apparel", "beauty", "fresh_food", "home", "digital", "snacks")
# a category's complaint multiplier and rating shift, unrelated to any shop's quality
CATEGORY_EFFECT = {
    "apparel": (1.2, -0.1),
    "beauty": (1.0, 0.0),
    "fresh_food": (1.6, -0.25),
    "home": (0.9, 0.05),
    "digital": (0.8, 0.1),
    "snacks": (1.0, 0.0),
}
QUALITY_REASONS = ("quality_problem", "not_as_described", "counterfeit_suspected", "wrong_item")
RING_BUYER_BASE = 900_000_000
Event = tuple[str, dict[str, Any], datetime]


@dataclass(frozen=True)
class Shape:
    name: str
    volume: str  # "lognormal" | "pareto"
    ratings: str  # "ordinal" | "lenient"


SHAPES = {
    "lognormal-ordinal": Shape("lognormal-ordinal", "lognormal", "ordinal"),
    "pareto-lenient": Shape("pareto-lenient", "pareto", "lenient"),
}


@dataclass(frozen=True)
class MarketConfig:
    shape: Shape
    seed: int
    shops: int = 5000
    days: int = 90
    collapse_shops: int = 100  # extra shops with ≥ 30 orders a month whose quality drops
    collapse_drop: float = 0.3
    collapse_watch_days: int = 45  # the collapse happens this many days before the end
    ring_accounts: int = 30
    ring_shops: int = 50


@dataclass
class ShopTruth:
    shop_id: int
    category: str
    quality: float
    diligence: float
    daily_orders: float
    rating_bias: float
    collapse_day: int | None = None
    drop: float = 0.0
    buyers: list[int] = field(default_factory=list)

    def quality_on(self, day: int) -> float:
        if self.collapse_day is not None and day >= self.collapse_day:
            return max(0.0, self.quality - self.drop)
        return self.quality


@dataclass
class Market:
    config: MarketConfig
    shops: list[ShopTruth]
    days: list[list[Event]]  # events per day, in the order they happened within the shop
    ratings: dict[int, list[tuple[int, int]]]  # shop → (day, described stars) of every review
    orders: dict[int, list[int]]  # shop → day of every paid order
    bad: dict[int, list[int]] = field(default_factory=dict)  # shop → day of every order gone wrong
    ring: list[Event] = field(default_factory=list)
    ring_shops: list[int] = field(default_factory=list)
    ring_buyers: frozenset[int] = frozenset()

    def events(self) -> Iterator[Event]:
        for day in self.days:
            yield from day


def _poisson(rng: random.Random, lam: float) -> int:
    if lam > 30:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    limit, k, p = math.exp(-lam), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def _clip(x: float, lo: float = 0.0, hi: float = 1.0) -> float:
    return min(hi, max(lo, x))


def _daily_orders(rng: random.Random, shape: Shape) -> float:
    if shape.volume == "lognormal":
        return math.exp(rng.gauss(math.log(0.6), 1.3))
    return min(200.0, 0.3 * math.pow(rng.random(), -1 / 1.2))


def draw_shops(rng: random.Random, config: MarketConfig) -> list[ShopTruth]:
    shops = []
    for i in range(config.shops + config.collapse_shops):
        collapsing = i >= config.shops
        q = rng.uniform(0.65, 0.95) if collapsing else rng.betavariate(4, 2.5)
        lam = rng.uniform(1.0, 4.0) if collapsing else _daily_orders(rng, config.shape)
        bias = rng.gauss(0, 0.4) if config.shape.ratings == "lenient" else 0.0
        shops.append(
            ShopTruth(
                shop_id=i + 1,
                category=CATEGORIES[rng.randrange(len(CATEGORIES))],
                quality=q,
                diligence=_clip(q + rng.gauss(0, 0.15)),
                daily_orders=lam,
                rating_bias=bias,
                collapse_day=config.days - config.collapse_watch_days if collapsing else None,
                drop=config.collapse_drop if collapsing else 0.0,
            )
        )
    return shops


def _stars(x: float) -> int:
    return int(_clip(round(x), 1, 5))


class _Ids:
    def __init__(self) -> None:
        self.order = 0
        self.buyer = 0
        self.thread = 0
        self.request = 0

    def next(self, name: str) -> int:
        value: int = getattr(self, name) + 1
        setattr(self, name, value)
        return value


def _rating(rng: random.Random, shop: ShopTruth, q: float, shape: Shape, bad: bool) -> int:
    shift = CATEGORY_EFFECT[shop.category][1]
    if shape.ratings == "lenient":
        if not bad and rng.random() < 0.55:
            return 5
        return _stars(2.0 + 3.0 * q + shift + shop.rating_bias - 2.0 * bad + rng.gauss(0, 1.4))
    return _stars(2.2 + 3.0 * q + shift - 2.0 * bad + rng.gauss(0, 0.9))


def _order(
    rng: random.Random, m: Market, shop: ShopTruth, day: int, ids: _Ids, out: list[Event]
) -> None:
    """One order's events, in time order, appended to `out` (one list per order; sorted later)."""
    cfg, q, d = m.config, shop.quality_on(day), shop.diligence
    sid = shop.shop_id
    at = START + timedelta(days=day, hours=rng.uniform(8, 22))
    buyer = (
        rng.choice(shop.buyers)
        if shop.buyers and rng.random() < 0.05 + 0.35 * q
        else ids.next("buyer")
    )
    shop.buyers.append(buyer)
    base = {"shop_id": sid, "buyer_id": buyer}
    oid = ids.next("order")
    order = {**base, "order_id": oid}
    out.append(("orders.order_placed", order, at))
    if rng.random() < 0.002 + 0.02 * (1 - d):
        out.append(("orders.order_cancelled", {**order, "by": "merchant"}, at))
        return
    paid_at = at + timedelta(minutes=2)
    lines = [{"product_id": sid * 10}]
    out.append(("orders.order_paid", {**order, "lines": lines, "room_id": None}, paid_at))
    m.orders.setdefault(sid, []).append(day)
    if rng.random() < 0.3:
        thread = ids.next("thread")
        ask = {**base, "thread_id": thread, "sender": "buyer"}
        out.append(("messaging.message_sent", ask, paid_at + timedelta(minutes=5)))
        if rng.random() < 0.7 + 0.3 * d:
            secs = math.exp(rng.gauss(math.log(60 + 900 * (1 - d) ** 2), 0.7))
            reply = {**ask, "sender": "shop", "first_reply_seconds": int(secs)}
            out.append(("messaging.message_sent", reply, paid_at + timedelta(seconds=300 + secs)))
    ship_hours = math.exp(rng.gauss(math.log(8 + 50 * (1 - d) ** 2), 0.6))
    shipped_at = paid_at + timedelta(hours=ship_hours)
    out.append(("orders.order_shipped", order, shipped_at))
    if ship_hours > 48 and rng.random() < 0.2:
        rid = ids.next("request")
        req = {**order, "request_id": rid, "reason": "late_shipping"}
        out.append(("aftersale.request_opened", req, shipped_at))
        paid = {**order, "payer": "platform", "guarantee": "fast_shipping"}
        out.append(("aftersale.guarantee_paid", paid, shipped_at + timedelta(hours=1)))
    received_at = shipped_at + timedelta(hours=rng.uniform(30, 96))
    received = {**order, "automatic": rng.random() < 0.4}
    out.append(("orders.order_received", received, received_at))
    complaint_p = (0.004 + 0.10 * (1 - q) ** 2.5) * CATEGORY_EFFECT[shop.category][0]
    complained = rng.random() < complaint_p
    if complained:
        _complaint(rng, shop, q, d, order, received_at, ids, out)
    if rng.random() < (0.6 if complained else 0.3):
        stars = _rating(rng, shop, q, cfg.shape, complained)
        review = {
            **order,
            "review_id": oid,
            "product_ids": [sid * 10],
            "rating_described": stars,
            "rating_service": _stars(1.5 + 3.5 * d + rng.gauss(0, 0.9) - complained),
            "rating_logistics": _stars(5.5 - ship_hours / 24 + rng.gauss(0, 0.8)),
        }
        review_at = received_at + timedelta(hours=rng.uniform(1, 72))
        out.append(("reviews.review_created", review, review_at))
        m.ratings.setdefault(sid, []).append(((review_at - START).days, stars))
        complained = complained or stars <= 2
    if complained or ship_hours > 48:  # what the buyer lived: a complaint, 1–2★ or a late parcel
        m.bad.setdefault(sid, []).append(day)


def _complaint(
    rng: random.Random,
    shop: ShopTruth,
    q: float,
    d: float,
    order: dict[str, Any],
    received_at: datetime,
    ids: _Ids,
    out: list[Event],
) -> None:
    reason = QUALITY_REASONS[rng.randrange(3 if q > 0.25 else 4)]
    request = {**order, "request_id": ids.next("request"), "reason": reason}
    opened_at = received_at + timedelta(days=rng.uniform(0.2, 5))
    out.append(("aftersale.request_opened", request, opened_at))
    handle = math.exp(rng.gauss(math.log(4 + 40 * (1 - d) ** 2), 0.8)) * 3600
    automatic = handle > 48 * 3600
    handle = min(handle, 48 * 3600)
    rejected = rng.random() < 0.1 + 0.5 * (1 - q) ** 2
    decided = {
        **request,
        "decision": "rejected" if rejected else "accepted",
        "automatic": automatic,
        "handle_seconds": int(handle),
    }
    decided_at = opened_at + timedelta(seconds=handle)
    out.append(("aftersale.request_decided", decided, decided_at))
    if not rejected:
        resolve = handle + rng.uniform(6, 60) * 3600 * (1.5 - d)
        refund = {**request, "resolve_seconds": int(resolve)}
        out.append(("aftersale.refund_paid", refund, opened_at + timedelta(seconds=resolve)))
        return
    if rng.random() < 0.5:
        dispute_at = decided_at + timedelta(days=1)
        out.append(("aftersale.dispute_opened", request, dispute_at))
        at_fault = rng.random() < 0.3 + 0.6 * (1 - q)
        counterfeit = at_fault and q < 0.25 and rng.random() < 0.25
        verdict = {**request, "merchant_at_fault": at_fault, "counterfeit": counterfeit}
        out.append(("aftersale.dispute_decided", verdict, dispute_at + timedelta(days=2)))
        if at_fault:
            payout = {**request, "payer": "merchant_deposit", "guarantee": "seven_day_return"}
            out.append(("aftersale.guarantee_paid", payout, dispute_at + timedelta(days=2)))


def _ring(rng: random.Random, m: Market, ids: _Ids) -> None:
    """`ring_accounts` accounts each buy once from each of `ring_shops` low-quality shops in the
    last 30 days, confirm receipt and rate five stars everywhere."""
    cfg = m.config
    honest = [s for s in m.shops if s.collapse_day is None]
    cut = sorted(s.quality for s in honest)[int(0.3 * len(honest))]
    low = [s for s in honest if s.quality < cut]
    targets = rng.sample(low, min(cfg.ring_shops, len(low)))
    buyers = [RING_BUYER_BASE + i for i in range(cfg.ring_accounts)]
    m.ring_shops, m.ring_buyers = [s.shop_id for s in targets], frozenset(buyers)
    for shop in targets:
        for buyer in buyers:
            day = cfg.days - 1 - rng.randrange(30)
            at = START + timedelta(days=day, hours=rng.uniform(0, 6))
            oid = ids.next("order")
            order = {"shop_id": shop.shop_id, "buyer_id": buyer, "order_id": oid}
            lines = [{"product_id": shop.shop_id * 10}]
            m.ring += [
                ("orders.order_placed", order, at),
                ("orders.order_paid", {**order, "lines": lines, "room_id": None}, at),
                ("orders.order_shipped", order, at + timedelta(hours=3)),
                ("orders.order_received", {**order, "automatic": False}, at + timedelta(hours=9)),
            ]
            review = {
                **order, "review_id": oid, "product_ids": [shop.shop_id * 10],
                "rating_described": 5, "rating_service": 5, "rating_logistics": 5,
            }  # fmt: skip
            m.ring.append(("reviews.review_created", review, at + timedelta(hours=10)))


def generate(config: MarketConfig) -> Market:
    rng = random.Random(config.seed)
    market = Market(config, draw_shops(rng, config), [[] for _ in range(config.days)], {}, {})
    ids = _Ids()
    end = START + timedelta(days=config.days)
    pending: list[list[Event]] = [[] for _ in range(config.days)]
    for day in range(config.days):
        for shop in market.shops:
            for _ in range(_poisson(rng, shop.daily_orders)):
                order_events: list[Event] = []
                _order(rng, market, shop, day, ids, order_events)
                for event in order_events:
                    if event[2] < end:
                        pending[(event[2] - START).days].append(event)
        # a day's events in time order: folds see payments before shipments, asks before replies
        market.days[day] = sorted(pending[day], key=lambda e: e[2])
        pending[day] = []
    _ring(rng, market, ids)
    market.ring.sort(key=lambda e: e[2])
    return market
