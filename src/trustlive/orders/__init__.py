"""Orders: checkout, the order lifecycle, payments and shipping. Other contexts use this facade."""

from trustlive.orders.domain import REFUNDABLE, REVIEWABLE, OrderStatus
from trustlive.orders.events import (
    OrderCancelled,
    OrderClosed,
    OrderCompleted,
    OrderPaid,
    OrderPlaced,
    OrderReceived,
    OrderRefunded,
    OrderShipped,
)
from trustlive.orders.refunds import (
    LineFacts,
    OrderFacts,
    RefundReceipt,
    close_refunded_order,
    order_facts,
    pay_out_to_buyer,
    received_order_count,
    record_refund,
    restock_returned,
)
from trustlive.orders.service import (
    OrderSummary,
    PaidOrderRow,
    buyers_paid_before,
    paid_order_rows,
    summary_for_buyer,
)

__all__ = [
    "REFUNDABLE",
    "REVIEWABLE",
    "LineFacts",
    "OrderCancelled",
    "OrderClosed",
    "OrderCompleted",
    "OrderFacts",
    "OrderPaid",
    "OrderPlaced",
    "OrderReceived",
    "OrderRefunded",
    "OrderShipped",
    "OrderStatus",
    "OrderSummary",
    "PaidOrderRow",
    "RefundReceipt",
    "buyers_paid_before",
    "close_refunded_order",
    "order_facts",
    "paid_order_rows",
    "pay_out_to_buyer",
    "received_order_count",
    "record_refund",
    "restock_returned",
    "summary_for_buyer",
]
