"""A generated marketplace history as outbox events, with a fixed seed."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from trustlive import aftersale, messaging, orders, reviews
from trustlive.kernel.events import Event

REASONS = ["quality_problem", "not_as_described", "late_shipping", "no_reason_7_days"]


def generate(
    rng: random.Random, start: datetime, *, orders_n: int, shops: int = 3, buyers: int = 25
) -> list[tuple[datetime, Event]]:
    """(time, event) pairs in time order: orders through their life, reviews, after-sales, chat."""
    timeline: list[tuple[datetime, Event]] = []
    for n in range(orders_n):
        order_id, shop = 10_000 + n, 1 + rng.randrange(shops)
        buyer = 500 + rng.randrange(buyers)
        products = rng.sample([shop * 100 + k for k in range(4)], rng.randint(1, 2))
        lines: list[dict[str, Any]] = [{"product_id": p, "sku_id": p * 10} for p in products]
        ids = {"order_id": order_id, "shop_id": shop, "buyer_id": buyer}
        t = start + timedelta(minutes=rng.randrange(60 * 24 * 40))
        timeline.append((t, orders.OrderPlaced(**ids, total_fen=1000, lines=lines)))
        if rng.random() < 0.1:
            by = rng.choice(["buyer", "merchant", "system"])
            timeline.append(
                (t + timedelta(minutes=5), orders.OrderCancelled(**ids, by=by, reason=""))
            )
            continue
        t += timedelta(minutes=3)
        timeline.append(
            (
                t,
                orders.OrderPaid(
                    order_id=order_id,
                    shop_id=shop,
                    buyer_id=buyer,
                    total_fen=1000,
                    lines=lines,
                    room_id=shop,
                ),
            )
        )
        t += timedelta(hours=rng.choice([2, 20, 30, 60]))
        timeline.append((t, orders.OrderShipped(order_id=order_id, shop_id=shop, buyer_id=buyer)))
        t += timedelta(days=rng.randint(1, 5))
        timeline.append((t, orders.OrderReceived(**ids, automatic=rng.random() < 0.3)))
        if rng.random() < 0.6:
            d = rng.choice([1, 1, 2, 3, 4, 5, 5, 5])
            timeline.append(
                (
                    t + timedelta(hours=5),
                    reviews.ReviewCreated(
                        review_id=order_id,
                        **ids,
                        product_ids=products,
                        rating_described=d,
                        rating_service=rng.randint(1, 5),
                        rating_logistics=rng.randint(1, 5),
                    ),
                )
            )
        if rng.random() < 0.2:
            timeline += _aftersale(rng, t + timedelta(hours=8), ids)
        if rng.random() < 0.3:
            timeline += _chat(rng, t - timedelta(days=1), order_id, ids)
    timeline.sort(key=lambda pair: pair[0])
    return timeline


def _aftersale(
    rng: random.Random, t: datetime, ids: dict[str, int]
) -> list[tuple[datetime, Event]]:
    req = {"request_id": ids["order_id"], **ids}
    reason = rng.choice(REASONS)
    out: list[tuple[datetime, Event]] = [
        (
            t,
            aftersale.AftersaleRequestOpened(
                **req, kind="refund_only", reason=reason, amount_fen=500, shipped=True, opened_at=""
            ),
        )
    ]
    handle = rng.choice([3600, 50_000, 200_000])
    accepted = rng.random() < 0.7
    out.append(
        (
            t + timedelta(seconds=handle),
            aftersale.AftersaleRequestDecided(
                **req,
                decision="accepted" if accepted else "rejected",
                automatic=handle > 100_000,
                handle_seconds=handle,
            ),
        )
    )
    if accepted:
        out.append(
            (
                t + timedelta(seconds=handle + 60),
                aftersale.RefundPaid(
                    **req,
                    amount_fen=500,
                    reason=reason,
                    kind="refund_only",
                    instant=False,
                    without_return=False,
                    paid_at="",
                    resolve_seconds=handle + 60,
                ),
            )
        )
    elif rng.random() < 0.6:
        out.append(
            (t + timedelta(days=1), aftersale.DisputeOpened(dispute_id=req["request_id"], **req))
        )
        out.append(
            (
                t + timedelta(days=2),
                aftersale.DisputeDecided(
                    dispute_id=req["request_id"],
                    **req,
                    merchant_at_fault=rng.random() < 0.5,
                    counterfeit=rng.random() < 0.2,
                    operator_id=1,
                ),
            )
        )
    if rng.random() < 0.3:
        out.append(
            (
                t + timedelta(days=3),
                aftersale.GuaranteePaid(
                    payout_id=req["request_id"],
                    guarantee=rng.choice(["fast_shipping", "seven_day_return"]),
                    order_id=ids["order_id"],
                    shop_id=ids["shop_id"],
                    buyer_id=ids["buyer_id"],
                    amount_fen=300,
                    payer=rng.choice(["merchant_deposit", "platform"]),
                ),
            )
        )
    return out


def _chat(
    rng: random.Random, t: datetime, thread: int, ids: dict[str, int]
) -> list[tuple[datetime, Event]]:
    who = {"thread_id": thread, "shop_id": ids["shop_id"], "buyer_id": ids["buyer_id"]}
    out: list[tuple[datetime, Event]] = [
        (t, messaging.MessageSent(**who, sender="buyer", sent_at="")),
        (t + timedelta(seconds=30), messaging.MessageSent(**who, sender="buyer", sent_at="")),
    ]
    if rng.random() < 0.8:
        wait = rng.choice([60, 120, 600, 4000])
        out.append(
            (
                t + timedelta(seconds=wait),
                messaging.MessageSent(**who, sender="shop", sent_at="", first_reply_seconds=wait),
            )
        )
    return out
