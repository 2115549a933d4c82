"""Orders: checkout, the order lifecycle, payments and shipping. Other contexts use this facade."""

from trustlive.orders.domain import REFUNDABLE, REVIEWABLE, OrderPolicy, OrderStatus
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
from trustlive.orders.placing import (
    HeldOrder,
    HeldStock,
    Source,
    add_orders,
    place_order,
    prepare_held_orders,
)
from trustlive.orders.policy import policy_from
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
from trustlive.orders.schemas import AddressIn, LineIn, OrderOut, order_out
from trustlive.orders.views import (
    OrderSummary,
    OrderView,
    PaidOrderRow,
    buyers_paid_before,
    paid_order_rows,
    summary_for_buyer,
)

__all__ = [
    "REFUNDABLE",
    "REVIEWABLE",
    "AddressIn",
    "HeldOrder",
    "HeldStock",
    "LineFacts",
    "LineIn",
    "OrderCancelled",
    "OrderClosed",
    "OrderCompleted",
    "OrderFacts",
    "OrderOut",
    "OrderPaid",
    "OrderPlaced",
    "OrderPolicy",
    "OrderReceived",
    "OrderRefunded",
    "OrderShipped",
    "OrderStatus",
    "OrderSummary",
    "OrderView",
    "PaidOrderRow",
    "RefundReceipt",
    "Source",
    "add_orders",
    "buyers_paid_before",
    "close_refunded_order",
    "order_facts",
    "order_out",
    "paid_order_rows",
    "pay_out_to_buyer",
    "place_order",
    "policy_from",
    "prepare_held_orders",
    "received_order_count",
    "record_refund",
    "restock_returned",
    "summary_for_buyer",
]
