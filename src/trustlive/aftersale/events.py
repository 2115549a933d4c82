"""Events published by after-sales (the contract in TRUST_CONTRACT.md). Money in fen, times ISO."""

from dataclasses import dataclass

from trustlive.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class AftersaleRequestOpened(Event):
    topic = "aftersale.request_opened"
    request_id: int
    order_id: int
    shop_id: int
    buyer_id: int
    kind: str
    reason: str
    amount_fen: int
    shipped: bool
    opened_at: str


@dataclass(frozen=True, kw_only=True)
class AftersaleRequestDecided(Event):
    topic = "aftersale.request_decided"
    request_id: int
    order_id: int
    shop_id: int
    buyer_id: int
    decision: str
    automatic: bool
    handle_seconds: int


@dataclass(frozen=True, kw_only=True)
class RefundPaid(Event):
    topic = "aftersale.refund_paid"
    request_id: int
    order_id: int
    shop_id: int
    buyer_id: int
    amount_fen: int
    reason: str
    kind: str
    instant: bool
    without_return: bool
    paid_at: str
    resolve_seconds: int


@dataclass(frozen=True, kw_only=True)
class DisputeOpened(Event):
    topic = "aftersale.dispute_opened"
    dispute_id: int
    request_id: int
    order_id: int
    shop_id: int
    buyer_id: int


@dataclass(frozen=True, kw_only=True)
class DisputeDecided(Event):
    topic = "aftersale.dispute_decided"
    dispute_id: int
    request_id: int
    order_id: int
    shop_id: int
    buyer_id: int
    merchant_at_fault: bool
    counterfeit: bool
    operator_id: int


@dataclass(frozen=True, kw_only=True)
class GuaranteePaid(Event):
    topic = "aftersale.guarantee_paid"
    payout_id: int
    guarantee: str
    order_id: int
    shop_id: int
    buyer_id: int
    amount_fen: int
    payer: str
