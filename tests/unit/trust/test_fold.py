"""Events become measure ticks: the same function on the live and the full path."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from trustlive.trust.counters import MemoryState
from trustlive.trust.fold import Excluded, fold
from trustlive.trust.indicators import SubjectKind
from trustlive.trust.policy import load_policy

RULES = load_policy().measures
PAID_AT = datetime(2026, 3, 1, 10, 0, tzinfo=UTC)
DAY = date(2026, 3, 1)
S, P, C = SubjectKind.SHOP, SubjectKind.PRODUCT, SubjectKind.CREATOR


def _paid(order_id: int = 1, buyer: int = 7) -> dict[str, object]:
    lines = [{"product_id": 100, "sku_id": 1}, {"product_id": 101, "sku_id": 2}]
    return {"order_id": order_id, "buyer_id": buyer, "shop_id": 9, "lines": lines, "room_id": 5}


def _ticks(folded: object) -> list[tuple[str, int, str]]:
    return sorted((t.kind.value, t.subject_id, t.measure) for t in folded.ticks)  # type: ignore[attr-defined]


def test_a_paid_order_counts_for_its_shop_products_and_creator() -> None:
    state = MemoryState()
    folded = fold("orders.order_paid", _paid(), PAID_AT, state, RULES, creator_id=42)
    assert _ticks(folded) == [
        ("creator", 42, "paid"),
        ("product", 100, "paid"),
        ("product", 101, "paid"),
        ("shop", 9, "paid"),
    ]
    assert folded.purchases == [(7, "shop:9"), (7, "product:100"), (7, "product:101")]
    assert {t.day for t in folded.ticks} == {DAY}


def test_a_second_order_by_the_same_buyer_is_a_repurchase() -> None:
    state = MemoryState()
    state.apply(fold("orders.order_paid", _paid(1), PAID_AT, state, RULES))
    again = fold("orders.order_paid", _paid(2), PAID_AT + timedelta(days=1), state, RULES)
    assert ("shop", 9, "repeat_paid") in _ticks(again)
    assert ("product", 100, "repeat_paid") in _ticks(again)
    assert again.purchases == []


def test_shipping_is_on_time_within_the_promise() -> None:
    state = MemoryState()
    state.apply(fold("orders.order_paid", _paid(), PAID_AT, state, RULES))
    shipped = {"order_id": 1, "shop_id": 9, "buyer_id": 7, "late": False}
    fast = fold("orders.order_shipped", shipped, PAID_AT + timedelta(hours=20), state, RULES)
    slow = fold("orders.order_shipped", shipped, PAID_AT + timedelta(hours=49), state, RULES)
    assert _ticks(fast) == [
        ("shop", 9, "shipped"),
        ("shop", 9, "shipped_24h"),
        ("shop", 9, "shipped_on_time"),
    ]
    assert _ticks(slow) == [("shop", 9, "shipped")]


def test_a_one_star_review_is_bad_for_shop_and_products_and_flagged_buyers_are_ignored() -> None:
    review = {
        "review_id": 1,
        "order_id": 1,
        "shop_id": 9,
        "buyer_id": 7,
        "product_ids": [100],
        "rating_described": 1,
        "rating_service": 5,
        "rating_logistics": 4,
    }
    folded = fold("reviews.review_created", review, PAID_AT, MemoryState(), RULES)
    assert _ticks(folded) == [
        ("product", 100, "bad_described"),
        ("product", 100, "reviews"),
        ("shop", 9, "bad_described"),
        ("shop", 9, "good_logistics"),
        ("shop", 9, "good_service"),
        ("shop", 9, "reviews"),
    ]
    excluded = fold(
        "reviews.review_created",
        review,
        PAID_AT,
        MemoryState(),
        RULES,
        excluded=Excluded(buyers=frozenset({7})),
    )
    assert excluded.ticks == []


def test_a_quality_refund_reaches_the_products_and_creator_of_the_order() -> None:
    state = MemoryState()
    state.apply(fold("orders.order_paid", _paid(), PAID_AT, state, RULES, creator_id=42))
    refund = {
        "request_id": 3,
        "order_id": 1,
        "shop_id": 9,
        "buyer_id": 7,
        "amount_fen": 100,
        "reason": "quality_problem",
        "kind": "refund_only",
        "instant": False,
        "without_return": False,
        "paid_at": "",
        "resolve_seconds": 3600,
    }
    folded = fold("aftersale.refund_paid", refund, PAID_AT, state, RULES)
    assert _ticks(folded) == [
        ("creator", 42, "quality_refunds"),
        ("product", 100, "quality_refunds"),
        ("product", 101, "quality_refunds"),
        ("shop", 9, "quality_refunds"),
        ("shop", 9, "refunds"),
        ("shop", 9, "refunds_48h"),
    ]


def test_buyer_waits_open_once_and_the_first_reply_closes_them() -> None:
    state = MemoryState()
    ask = {"thread_id": 4, "shop_id": 9, "buyer_id": 7, "sender": "buyer", "sent_at": ""}
    first = fold("messaging.message_sent", ask, PAID_AT, state, RULES)
    state.apply(first)
    second = fold("messaging.message_sent", ask, PAID_AT, state, RULES)
    reply = {**ask, "sender": "shop", "first_reply_seconds": 240}
    answered = fold("messaging.message_sent", reply, PAID_AT, state, RULES)
    state.apply(answered)
    assert _ticks(first) == [("shop", 9, "buyer_waits")]
    assert second.ticks == []
    assert _ticks(answered) == [("shop", 9, "first_replies")]  # 240 s > the 180 s target
    assert state.waits == set()


def test_a_flagged_buyers_or_orders_events_count_nowhere() -> None:
    flagged_buyer, flagged_order = Excluded(buyers=frozenset({7})), Excluded(orders=frozenset({1}))
    for excluded in (flagged_buyer, flagged_order):
        state = MemoryState()
        paid = fold("orders.order_paid", _paid(), PAID_AT, state, RULES, excluded=excluded)
        state.apply(paid)
        shipped = fold(
            "orders.order_shipped",
            {"order_id": 1, "shop_id": 9, "buyer_id": 7},
            PAID_AT + timedelta(hours=2),
            state,
            RULES,
            excluded=excluded,
        )
        assert paid.ticks == []
        assert paid.new_order is None
        assert paid.purchases == []
        assert shipped.ticks == []
        assert state.orders == {}


def test_a_complaint_decided_late_ticks_late_and_a_fast_one_only_its_speed() -> None:
    decided = {
        "request_id": 3, "order_id": 1, "shop_id": 9, "buyer_id": 7, "decision": "rejected",
        "automatic": False, "handle_seconds": 3600,
    }  # fmt: skip
    fast = fold("aftersale.request_decided", decided, PAID_AT, MemoryState(), RULES)
    late = fold(
        "aftersale.request_decided", {**decided, "handle_seconds": 90_000}, PAID_AT,
        MemoryState(), RULES,
    )  # fmt: skip
    assert _ticks(fast) == [
        ("shop", 9, "decided"),
        ("shop", 9, "decided_24h"),
        ("shop", 9, "rejected"),
    ]
    assert _ticks(late) == [
        ("shop", 9, "decided"),
        ("shop", 9, "decided_late"),
        ("shop", 9, "rejected"),
    ]
