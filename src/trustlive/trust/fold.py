"""Events → measure ticks: the one pure function both the live handlers and the full recompute use.

`fold` takes an event (topic, payload, the time it was recorded) and the little state it needs
(the order it concerns, whether the buyer bought here before, whether a message thread is waiting)
and returns the ticks to add plus the state changes. Because the incremental and the full path run
this same function over the same events, their counters are identical by construction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from trustlive.trust.indicators import SubjectKind

ORDER_TOPICS = frozenset(
    {
        "orders.order_placed",
        "orders.order_paid",
        "orders.order_shipped",
        "orders.order_received",
        "orders.order_cancelled",
    }
)


@dataclass(frozen=True)
class Tick:
    kind: SubjectKind
    subject_id: int
    measure: str
    day: date
    buyer_id: int | None


@dataclass(frozen=True)
class OrderFact:
    order_id: int
    shop_id: int
    buyer_id: int
    product_ids: tuple[int, ...]
    creator_id: int | None
    paid_at: datetime


@dataclass(frozen=True)
class MeasureRules:
    """Thresholds that turn an outcome into a good or bad tick (from policy.toml [measures])."""

    shipping_promise: timedelta
    fast_ship: timedelta
    handle_target: timedelta
    refund_target: timedelta
    first_reply_target: timedelta
    quality_reasons: frozenset[str]
    bad_rating_max: int
    good_rating_min: int


@dataclass
class Folded:
    ticks: list[Tick] = field(default_factory=list)
    new_order: OrderFact | None = None
    purchases: list[tuple[int, str]] = field(default_factory=list)
    open_wait: int | None = None
    close_wait: int | None = None


@dataclass(frozen=True)
class Excluded:
    """What risk control flagged: no event of these buyers or orders counts toward any score."""

    buyers: frozenset[int] = frozenset()
    orders: frozenset[int] = frozenset()

    def covers(self, p: dict[str, Any]) -> bool:
        buyer, order = p.get("buyer_id"), p.get("order_id")
        return (buyer is not None and int(buyer) in self.buyers) or (
            order is not None and int(order) in self.orders
        )


NOTHING_EXCLUDED = Excluded()


class FoldState(Protocol):
    def order(self, order_id: int) -> OrderFact | None: ...
    def bought_before(self, buyer_id: int, key: str) -> bool: ...
    def waiting(self, thread_id: int) -> bool: ...


def day_of(at: datetime) -> date:
    return at.astimezone(UTC).date()


def _order_ticks(
    fact: OrderFact, measure: str, day: date, *, products: bool = True, creator: bool = True
) -> list[Tick]:
    ticks = [Tick(SubjectKind.SHOP, fact.shop_id, measure, day, fact.buyer_id)]
    if products:
        ticks += [
            Tick(SubjectKind.PRODUCT, p, measure, day, fact.buyer_id) for p in fact.product_ids
        ]
    if creator and fact.creator_id is not None:
        ticks.append(Tick(SubjectKind.CREATOR, fact.creator_id, measure, day, fact.buyer_id))
    return ticks


def _shop(p: dict[str, Any], measure: str, day: date) -> Tick:
    return Tick(SubjectKind.SHOP, int(p["shop_id"]), measure, day, int(p["buyer_id"]))


def fold(
    topic: str,
    p: dict[str, Any],
    at: datetime,
    state: FoldState,
    rules: MeasureRules,
    *,
    creator_id: int | None = None,
    excluded: Excluded = NOTHING_EXCLUDED,
) -> Folded:
    """The ticks and state changes one event causes; `creator_id` is the paid order's creator.

    An event of an excluded buyer or order causes nothing: not its orders, ratings, after-sales
    or messages (a flagged ring's purchases neither add volume nor dilute bad rates)."""
    day, out = day_of(at), Folded()
    if excluded.covers(p):
        return out
    if topic == "orders.order_placed":
        out.ticks.append(_shop(p, "placed", day))
    elif topic == "orders.order_cancelled":
        if p["by"] == "merchant":
            out.ticks.append(_shop(p, "merchant_cancelled", day))
    elif topic == "orders.order_paid":
        _paid(p, at, state, out, creator_id)
    elif topic == "orders.order_shipped":
        fact = state.order(int(p["order_id"]))
        if fact is not None:
            waited = at - fact.paid_at
            out.ticks.append(_shop(p, "shipped", day))
            if waited <= rules.shipping_promise:
                out.ticks.append(_shop(p, "shipped_on_time", day))
            if waited <= rules.fast_ship:
                out.ticks.append(_shop(p, "shipped_24h", day))
    elif topic == "orders.order_received":
        out.ticks.append(_shop(p, "received", day))
        if not p["automatic"]:
            out.ticks.append(_shop(p, "received_by_buyer", day))
    elif topic == "reviews.review_created":
        _review(p, day, state, rules, out)
    elif topic.startswith("aftersale."):
        _aftersale(topic, p, day, state, rules, out)
    elif topic == "messaging.message_sent":
        _message(p, day, state, rules, out)
    return out


def _paid(
    p: dict[str, Any], at: datetime, state: FoldState, out: Folded, creator_id: int | None
) -> None:
    products = tuple(sorted({int(line["product_id"]) for line in p.get("lines", [])}))
    buyer = int(p["buyer_id"])
    fact = OrderFact(int(p["order_id"]), int(p["shop_id"]), buyer, products, creator_id, at)
    day = day_of(at)
    out.new_order = fact
    out.ticks += _order_ticks(fact, "paid", day)
    keys = [f"shop:{fact.shop_id}"] + [f"product:{x}" for x in products]
    for key in keys:
        if state.bought_before(buyer, key):
            kind, sid = key.split(":")
            out.ticks.append(Tick(SubjectKind(kind), int(sid), "repeat_paid", day, buyer))
        else:
            out.purchases.append((buyer, key))


def _review(
    p: dict[str, Any], day: date, state: FoldState, rules: MeasureRules, out: Folded
) -> None:
    fact = state.order(int(p["order_id"]))
    buyer = int(p["buyer_id"])
    subjects = [(SubjectKind.SHOP, int(p["shop_id"]))]
    subjects += [(SubjectKind.PRODUCT, int(x)) for x in p.get("product_ids", [])]
    if fact is not None and fact.creator_id is not None:
        subjects.append((SubjectKind.CREATOR, fact.creator_id))
    described, service, logistics = (
        int(p["rating_described"]),
        int(p["rating_service"]),
        int(p["rating_logistics"]),
    )
    measures = ["reviews"]
    measures += ["bad_described"] if described <= rules.bad_rating_max else []
    measures += ["good_described"] if described >= rules.good_rating_min else []
    measures += ["five_star"] if described == 5 else []
    for kind, sid in subjects:
        out.ticks += [Tick(kind, sid, m, day, buyer) for m in measures]
    shop_only = ["good_service"] if service >= rules.good_rating_min else []
    shop_only += ["bad_service"] if service <= rules.bad_rating_max else []
    shop_only += ["good_logistics"] if logistics >= rules.good_rating_min else []
    out.ticks += [_shop(p, m, day) for m in shop_only]


def _aftersale(
    topic: str, p: dict[str, Any], day: date, state: FoldState, rules: MeasureRules, out: Folded
) -> None:
    fact = state.order(int(p["order_id"]))
    order_wide = fact if fact is not None else None

    def on_order(measure: str, *, products: bool = True, creator: bool = True) -> None:
        if order_wide is not None:
            out.ticks.extend(
                _order_ticks(order_wide, measure, day, products=products, creator=creator)
            )
        else:
            out.ticks.append(_shop(p, measure, day))

    kind = topic.removeprefix("aftersale.")
    if kind == "request_opened":
        on_order("requests", creator=False)
        if p["reason"] in rules.quality_reasons:
            out.ticks.append(_shop(p, "quality_requests", day))
        if p["reason"] == "late_shipping":
            out.ticks.append(_shop(p, "late_shipping_complaints", day))
    elif kind == "request_decided":
        out.ticks.append(_shop(p, "decided", day))
        if int(p["handle_seconds"]) <= rules.handle_target.total_seconds():
            out.ticks.append(_shop(p, "decided_24h", day))
        else:
            out.ticks.append(_shop(p, "decided_late", day))
        if p["automatic"]:
            out.ticks.append(_shop(p, "decided_automatic", day))
        if p["decision"] == "rejected":
            out.ticks.append(_shop(p, "rejected", day))
    elif kind == "refund_paid":
        out.ticks.append(_shop(p, "refunds", day))
        if int(p["resolve_seconds"]) <= rules.refund_target.total_seconds():
            out.ticks.append(_shop(p, "refunds_48h", day))
        else:
            out.ticks.append(_shop(p, "refunds_late", day))
        if p["reason"] in rules.quality_reasons:
            on_order("quality_refunds")
    elif kind == "dispute_opened":
        on_order("disputes_opened", products=False)
    elif kind == "dispute_decided":
        out.ticks.append(_shop(p, "disputes_decided", day))
        if p["merchant_at_fault"]:
            out.ticks.append(_shop(p, "disputes_lost", day))
        if p["counterfeit"]:
            on_order("counterfeit_findings", creator=False)
    elif kind == "guarantee_paid":
        if p["payer"] == "merchant_deposit":
            out.ticks.append(_shop(p, "deposit_payouts", day))
        if p["guarantee"] == "fast_shipping":
            out.ticks.append(_shop(p, "fast_shipping_payouts", day))


def _message(
    p: dict[str, Any], day: date, state: FoldState, rules: MeasureRules, out: Folded
) -> None:
    thread = int(p["thread_id"])
    if p["sender"] == "buyer":
        if not state.waiting(thread):
            out.ticks.append(_shop(p, "buyer_waits", day))
            out.open_wait = thread
        return
    seconds = p.get("first_reply_seconds")
    if seconds is None:
        return
    out.close_wait = thread
    out.ticks.append(_shop(p, "first_replies", day))
    if int(seconds) <= rules.first_reply_target.total_seconds():
        out.ticks.append(_shop(p, "first_replies_3min", day))
