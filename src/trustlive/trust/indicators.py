"""The indicator registry: every named indicator is a ratio of two daily measures of a subject.

Denominators are volumes (paid orders, reviews, shipments, decisions), never an adverse outcome,
so one more bad outcome can never improve an indicator (the property tests hold us to it).

A *measure* is a count of one kind of outcome per subject per day (paid orders, bad reviews, refunds
for quality, …). Event handlers and the full recompute both turn events into measure ticks through
`trust.fold`; an *indicator* is `numerator measure ÷ denominator measure` over a window, with a
direction. Adding an indicator is one line here plus its prior, anchors and weight in policy.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SubjectKind(StrEnum):
    SHOP = "shop"
    PRODUCT = "product"
    CREATOR = "creator"


@dataclass(frozen=True)
class Indicator:
    code: str
    subject: SubjectKind
    numerator: str
    denominator: str
    higher_is_better: bool
    source: str
    title: str

    @property
    def adverse_measure(self) -> str | None:
        """The measure whose distinct buyers count toward a penalty (lower-is-better only)."""
        return None if self.higher_is_better else self.numerator


S, P, C = SubjectKind.SHOP, SubjectKind.PRODUCT, SubjectKind.CREATOR
_ORD = "orders.order_paid"
_REV = "reviews.review_created"
_SHIP = "orders.order_shipped"
_REQ = "aftersale.request_opened"
_DEC = "aftersale.request_decided"
_REF = "aftersale.refund_paid"
_DIS = "aftersale.dispute_decided"
_MSG = "messaging.message_sent"


def _i(
    code: str, subject: SubjectKind, num: str, den: str, up: bool, src: str, title: str
) -> Indicator:
    return Indicator(f"{subject}.{code}", subject, num, den, up, src, title)


INDICATORS: tuple[Indicator, ...] = (
    # shop: product quality
    _i(
        "bad_review_rate", S, "bad_described", "reviews", False, _REV, "1–2★ 'as described' ratings"
    ),
    _i("described_match_rate", S, "good_described", "reviews", True, _REV, "4–5★ 'as described'"),
    _i("five_star_rate", S, "five_star", "reviews", True, _REV, "5★ 'as described' ratings"),
    _i(
        "quality_refund_rate",
        S,
        "quality_refunds",
        "paid",
        False,
        f"{_REF}, {_ORD}",
        "refunds for quality (品退率)",
    ),
    _i(
        "disputes_lost_rate",
        S,
        "disputes_lost",
        "paid",
        False,
        f"{_DIS}, {_ORD}",
        "disputes lost per order",
    ),
    _i(
        "counterfeit_rate",
        S,
        "counterfeit_findings",
        "paid",
        False,
        f"{_DIS}, {_ORD}",
        "counterfeit findings",
    ),
    _i(
        "quality_request_rate",
        S,
        "quality_requests",
        "paid",
        False,
        f"{_REQ}, {_ORD}",
        "after-sales asked for quality reasons",
    ),
    # shop: logistics
    _i(
        "on_time_shipment_rate",
        S,
        "shipped_on_time",
        "shipped",
        True,
        f"{_SHIP}, {_ORD}",
        "shipped within the promise",
    ),
    _i(
        "ship_within_24h_rate",
        S,
        "shipped_24h",
        "shipped",
        True,
        f"{_SHIP}, {_ORD}",
        "shipped within 24 h of payment",
    ),
    _i(
        "logistics_rating_rate", S, "good_logistics", "reviews", True, _REV, "4–5★ delivery ratings"
    ),
    _i(
        "delivery_complaint_rate",
        S,
        "late_shipping_complaints",
        "paid",
        False,
        f"{_REQ}, {_ORD}",
        "after-sales for late shipping",
    ),
    _i(
        "fast_shipping_payout_rate",
        S,
        "fast_shipping_payouts",
        "paid",
        False,
        f"aftersale.guarantee_paid, {_ORD}",
        "ship-on-time guarantee paid out",
    ),
    _i(
        "buyer_confirmed_receipt_rate",
        S,
        "received_by_buyer",
        "received",
        True,
        "orders.order_received",
        "receipts confirmed by the buyer",
    ),
    _i(
        "seller_cancel_rate",
        S,
        "merchant_cancelled",
        "placed",
        False,
        "orders.order_cancelled, orders.order_placed",
        "orders cancelled by the shop",
    ),
    # shop: after-sales
    # per paid order, not per request: a complaint handled fast must not score better than no
    # complaint at all, and a fast rejection must not make up for the complaint (issue 13)
    _i(
        "aftersale_late_rate",
        S,
        "decided_late",
        "paid",
        False,
        f"{_DEC}, {_ORD}",
        "after-sales decided after 24 h, per order",
    ),
    _i(
        "aftersale_timeout_rate",
        S,
        "decided_automatic",
        "paid",
        False,
        f"{_DEC}, {_ORD}",
        "after-sales left to the deadline, per order",
    ),
    _i(
        "aftersale_reject_rate",
        S,
        "rejected",
        "paid",
        False,
        f"{_DEC}, {_ORD}",
        "after-sales rejected, per order",
    ),
    _i(
        "refund_late_rate",
        S,
        "refunds_late",
        "paid",
        False,
        f"{_REF}, {_ORD}",
        "refunds paid after 48 h of asking, per order",
    ),
    _i(
        "dispute_rate",
        S,
        "disputes_opened",
        "paid",
        False,
        f"aftersale.dispute_opened, {_ORD}",
        "disputes per order",
    ),
    _i(
        "platform_intervention_rate",
        S,
        "disputes_decided",
        "paid",
        False,
        f"{_DIS}, {_ORD}",
        "orders the platform had to judge",
    ),
    _i(
        "guarantee_payout_rate",
        S,
        "deposit_payouts",
        "paid",
        False,
        f"aftersale.guarantee_paid, {_ORD}",
        "guarantees paid from the deposit",
    ),
    # shop: service
    _i(
        "first_reply_3min_rate",
        S,
        "first_replies_3min",
        "first_replies",
        True,
        _MSG,
        "first replies within 3 minutes",
    ),
    _i("reply_rate", S, "first_replies", "buyer_waits", True, _MSG, "buyer messages answered"),
    _i("service_rating_rate", S, "good_service", "reviews", True, _REV, "4–5★ service ratings"),
    _i("service_bad_review_rate", S, "bad_service", "reviews", False, _REV, "1–2★ service ratings"),
    _i(
        "repurchase_rate",
        S,
        "repeat_paid",
        "paid",
        True,
        _ORD,
        "orders from returning buyers (复购率)",
    ),
    # product
    _i(
        "bad_review_rate", P, "bad_described", "reviews", False, _REV, "1–2★ 'as described' ratings"
    ),
    _i("five_star_rate", P, "five_star", "reviews", True, _REV, "5★ 'as described' ratings"),
    _i(
        "quality_refund_rate",
        P,
        "quality_refunds",
        "paid",
        False,
        f"{_REF}, {_ORD}",
        "refunds for quality",
    ),
    _i(
        "counterfeit_rate",
        P,
        "counterfeit_findings",
        "paid",
        False,
        f"{_DIS}, {_ORD}",
        "counterfeit findings",
    ),
    _i("repurchase_rate", P, "repeat_paid", "paid", True, _ORD, "orders from returning buyers"),
    _i("return_request_rate", P, "requests", "paid", False, f"{_REQ}, {_ORD}", "after-sales asked"),
    # creator (attribution: orders.room_id → creator through the CreatorAttribution hook)
    _i(
        "quality_refund_rate",
        C,
        "quality_refunds",
        "paid",
        False,
        f"{_REF}, {_ORD}",
        "refunds for quality of goods sold",
    ),
    _i("bad_review_rate", C, "bad_described", "reviews", False, _REV, "1–2★ ratings of goods sold"),
    _i(
        "dispute_rate",
        C,
        "disputes_opened",
        "paid",
        False,
        f"aftersale.dispute_opened, {_ORD}",
        "disputes on goods sold",
    ),
    _i(
        "violation_rate",
        C,
        "violations",
        "paid",
        False,
        "risk (pending: no violation events yet)",
        "violations recorded",
    ),
)
BY_CODE: dict[str, Indicator] = {ind.code: ind for ind in INDICATORS}

# measures whose distinct buyers are kept (penalties need ≥ N distinct buyers affected)
BUYER_TRACKED: frozenset[str] = frozenset(
    ind.numerator for ind in INDICATORS if ind.adverse_measure is not None
)
