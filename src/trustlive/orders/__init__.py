"""Orders: checkout, the order lifecycle, payments and shipping. Other contexts use this facade."""

from trustlive.orders.domain import REVIEWABLE, OrderStatus
from trustlive.orders.events import (
    OrderCancelled,
    OrderCompleted,
    OrderPaid,
    OrderPlaced,
    OrderReceived,
    OrderShipped,
)
from trustlive.orders.service import (
    OrderSummary,
    PaidOrderRow,
    buyers_paid_before,
    paid_order_rows,
    summary_for_buyer,
)

__all__ = [
    "REVIEWABLE",
    "OrderCancelled",
    "OrderCompleted",
    "OrderPaid",
    "OrderPlaced",
    "OrderReceived",
    "OrderShipped",
    "OrderStatus",
    "OrderSummary",
    "PaidOrderRow",
    "buyers_paid_before",
    "paid_order_rows",
    "summary_for_buyer",
]
