"""Refunds and buyer pay-outs through the sandbox provider, and the order facts after-sales reads.

Money goes back on an order only through `record_refund`: one conditional UPDATE raises
`refunded_fen` only while it stays within `total_fen`, so concurrent refunds cannot exceed what was
paid. The provider's answer is signed; it is verified exactly as payment notifications are.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import catalog
from trustlive.kernel.errors import Conflict, NotFound, Problem
from trustlive.kernel.ids import new_id
from trustlive.kernel.outbox import record_event
from trustlive.orders import events, sandbox_payment
from trustlive.orders.domain import REFUNDABLE, Actor, OrderAction, OrderStatus
from trustlive.orders.errors import OrderError, PaymentError
from trustlive.orders.lifecycle import apply_transition
from trustlive.orders.models import Order, OrderLine, OrderRefund, Payment
from trustlive.orders.views import lines_of


@dataclass(frozen=True)
class LineFacts:
    sku_id: int
    product_id: int
    unit_price_fen: int
    quantity: int
    returned_quantity: int


@dataclass(frozen=True)
class OrderFacts:
    """The narrow view of an order after-sales needs."""

    order_id: int
    buyer_id: int
    shop_id: int
    status: OrderStatus
    total_fen: int
    refunded_fen: int
    paid_at: datetime | None
    shipped_at: datetime | None
    received_at: datetime | None
    lines: list[LineFacts]


@dataclass(frozen=True)
class RefundReceipt:
    reference: str
    amount_fen: int
    provider_ref: str


async def order_facts(session: AsyncSession, order_id: int) -> OrderFacts:
    order = await session.get(Order, order_id, populate_existing=True)
    if order is None:
        raise NotFound("order", order_id)
    return OrderFacts(
        order_id=order.id,
        buyer_id=order.buyer_id,
        shop_id=order.shop_id,
        status=OrderStatus(order.status),
        total_fen=order.total_fen,
        refunded_fen=order.refunded_fen,
        paid_at=order.paid_at,
        shipped_at=order.shipped_at,
        received_at=order.received_at,
        lines=[
            LineFacts(
                ln.sku_id, ln.product_id, ln.unit_price_fen, ln.quantity, ln.returned_quantity
            )
            for ln in await lines_of(session, order_id)
        ],
    )


async def received_order_count(session: AsyncSession, buyer_id: int) -> int:
    """How many orders the buyer has received: the base of after-sales trust in the buyer."""
    count = await session.scalar(
        select(func.count())
        .select_from(Order)
        .where(Order.buyer_id == buyer_id, Order.received_at.is_not(None))
    )
    return int(count or 0)


def provider_answer(signed: sandbox_payment.SignedNotification, secret: str) -> dict[str, object]:
    if not sandbox_payment.signature_valid(secret, signed.timestamp, signed.body, signed.signature):
        raise Problem(
            PaymentError.BAD_SIGNATURE, "the provider's answer does not verify", status=502
        )
    data: dict[str, object] = json.loads(signed.body)
    if data.get("status") != "succeeded":
        raise Problem(PaymentError.PROVIDER_REFUSED, "the payment provider refused", status=502)
    return data


async def record_refund(
    session: AsyncSession,
    *,
    order_id: int,
    amount_fen: int,
    reference: str,
    reason: str,
    secret: str,
    now: datetime,
) -> RefundReceipt:
    """Give `amount_fen` back on the order once per `reference`; never beyond what was paid."""
    existing = await session.scalar(select(OrderRefund).where(OrderRefund.reference == reference))
    if existing is not None:
        return RefundReceipt(existing.reference, existing.amount_fen, existing.provider_ref)
    if amount_fen <= 0:
        raise Problem(OrderError.REFUND_EXCEEDS_PAID, "a refund must be positive", status=422)
    raised = await session.execute(
        update(Order)
        .where(
            Order.id == order_id,
            Order.status.in_([s.value for s in REFUNDABLE]),
            Order.refunded_fen + amount_fen <= Order.total_fen,
        )
        .values(refunded_fen=Order.refunded_fen + amount_fen)
        .execution_options(synchronize_session=False)
    )
    if raised.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(OrderError.REFUND_EXCEEDS_PAID, "this would refund more than was paid")
    payment = await session.scalar(
        select(Payment).where(Payment.order_id == order_id, Payment.status == "succeeded")
    )
    if payment is None:
        raise Conflict(OrderError.REFUND_EXCEEDS_PAID, "the order has no settled payment")
    refund_id = new_id()
    provider = sandbox_payment.SandboxPaymentProvider(secret)
    signed = provider.refund(
        refund_id=refund_id, payment_ref=payment.provider_ref or "", amount_fen=amount_fen, now=now
    )
    data = provider_answer(signed, secret)
    if data.get("refund_id") != str(refund_id) or data.get("amount_fen") != amount_fen:
        raise Problem(
            PaymentError.AMOUNT_MISMATCH, "the provider refunded another amount", status=502
        )
    row = OrderRefund(
        id=refund_id,
        order_id=order_id,
        reference=reference,
        amount_fen=amount_fen,
        reason=reason[:200],
        provider_ref=str(data["provider_ref"]),
        created_at=now,
    )
    session.add(row)
    order = await session.get(Order, order_id, populate_existing=True)
    assert order is not None
    record_event(
        session,
        events.OrderRefunded(
            order_id=order_id,
            shop_id=order.shop_id,
            buyer_id=order.buyer_id,
            amount_fen=amount_fen,
            refunded_total_fen=order.refunded_fen,
            reference=reference,
        ),
        now=now,
    )
    await session.flush()
    return RefundReceipt(reference, amount_fen, row.provider_ref)


def pay_out_to_buyer(
    *, payout_id: int, buyer_id: int, amount_fen: int, secret: str, now: datetime
) -> str:
    """Send a guarantee pay-out to the buyer through the provider; returns its reference."""
    signed = sandbox_payment.SandboxPaymentProvider(secret).payout(
        payout_id=payout_id, buyer_id=buyer_id, amount_fen=amount_fen, now=now
    )
    data = provider_answer(signed, secret)
    if data.get("payout_id") != str(payout_id) or data.get("amount_fen") != amount_fen:
        raise Problem(PaymentError.AMOUNT_MISMATCH, "the provider paid another amount", status=502)
    return str(data["provider_ref"])


async def close_refunded_order(
    session: AsyncSession, *, order_id: int, reason: str, now: datetime
) -> None:
    """A paid, unshipped order whose refund was accepted closes and its stock goes back."""
    order = await session.get(Order, order_id, populate_existing=True)
    if order is None:
        raise NotFound("order", order_id)
    await apply_transition(
        session,
        order,
        action=OrderAction.CLOSE,
        actor=Actor.SYSTEM,
        actor_id=None,
        now=now,
        reason=reason,
        changes={"closed_at": now},
    )
    for line in await lines_of(session, order_id):
        await catalog.release_stock(session, sku_id=line.sku_id, quantity=line.quantity)
    record_event(
        session,
        events.OrderClosed(
            order_id=order.id, shop_id=order.shop_id, buyer_id=order.buyer_id, reason=reason
        ),
        now=now,
    )


async def restock_returned(
    session: AsyncSession, *, order_id: int, quantities: dict[int, int]
) -> None:
    """Returned goods go back on sale; never more of a SKU than the order bought."""
    for sku_id, quantity in sorted(quantities.items()):
        marked = await session.execute(
            update(OrderLine)
            .where(
                OrderLine.order_id == order_id,
                OrderLine.sku_id == sku_id,
                OrderLine.returned_quantity + quantity <= OrderLine.quantity,
            )
            .values(returned_quantity=OrderLine.returned_quantity + quantity)
            .execution_options(synchronize_session=False)
        )
        if quantity <= 0 or marked.rowcount != 1:  # type: ignore[attr-defined]
            raise Conflict(
                OrderError.RETURN_EXCEEDS_BOUGHT, f"cannot return {quantity} of SKU {sku_id}"
            )
        await catalog.release_stock(session, sku_id=sku_id, quantity=quantity)
