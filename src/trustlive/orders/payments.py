"""Payment use cases: start a payment, and accept the provider's signed notification.

Money and state stay consistent under any interleaving: the database keeps one pending payment
(the attempt in flight) and one settled payment per order; notifications for one order queue on
the order's row; every charge either settles the order or is refunded at once (`ChargeRefund`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from trustlive import accounts
from trustlive.kernel.db import unit_of_work
from trustlive.kernel.errors import Conflict, NotFound, Problem
from trustlive.kernel.ids import new_id
from trustlive.kernel.outbox import record_event
from trustlive.kernel.runtime import Runtime
from trustlive.orders import events, sandbox_payment
from trustlive.orders.domain import Actor, OrderAction, OrderStatus
from trustlive.orders.errors import OrderError, PaymentError
from trustlive.orders.lifecycle import apply_transition
from trustlive.orders.models import ChargeRefund, Order, OrderLine, Payment, PaymentNotification
from trustlive.orders.refunds import provider_answer
from trustlive.orders.views import (
    OrderView,
    lines_of,
    lines_payload,
    order_for_buyer,
    transitions_of,
)


class NotificationOutcome(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"  # a replay: acknowledged, nothing changed
    ORPHANED = "orphaned"  # money arrived for an order no longer payable: refunded
    EXTRA_CHARGE = "extra_charge"  # a second charge of a settled payment: refunded


class ChargeRefundReason(StrEnum):
    ORDER_NOT_PAYABLE = "order_not_payable"
    EXTRA_CHARGE = "extra_charge"


@dataclass(frozen=True)
class VerifiedNotification:
    notification_id: str
    payment_id: int
    order_id: int
    amount_fen: int
    status: str
    provider_ref: str


async def start_payment(
    session: AsyncSession, *, order_id: int, buyer_id: int, now: datetime
) -> Payment:
    """A pending payment for the order; asking twice returns the same one."""
    order = await order_for_buyer(session, order_id=order_id, buyer_id=buyer_id)
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise Conflict(
            OrderError.ILLEGAL_TRANSITION,
            f"an order that is {order.status} cannot be paid",
            current_status=order.status,
        )
    if now >= order.pay_deadline_at:
        raise Conflict(OrderError.PAYMENT_WINDOW_CLOSED, "the time to pay has run out; order again")
    pending = await _pending_payment(session, order_id)
    if pending is not None:
        return pending
    payment = Payment(
        id=new_id(),
        order_id=order_id,
        buyer_id=buyer_id,
        amount_fen=order.total_fen,
        provider=sandbox_payment.SandboxPaymentProvider.name,
        status="pending",
        created_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(payment)
            await session.flush()
    except IntegrityError:  # a concurrent request started the attempt first: it is ours too
        pending = await _pending_payment(session, order_id)
        if pending is None:
            raise Conflict(
                OrderError.ORDER_CHANGED, "the order was paid or changed meanwhile; reload it"
            ) from None
        return pending
    return payment


async def _pending_payment(session: AsyncSession, order_id: int) -> Payment | None:
    return await session.scalar(
        select(Payment)
        .where(Payment.order_id == order_id, Payment.status == "pending")
        .execution_options(populate_existing=True)
    )


def verify_notification(
    *,
    body: bytes,
    timestamp: str | None,
    signature: str | None,
    secret: str,
    tolerance_seconds: int,
    now: datetime,
) -> VerifiedNotification:
    """Signature first (a forgery learns nothing), then freshness, then the fields."""
    if (
        not timestamp
        or not signature
        or not sandbox_payment.signature_valid(secret, timestamp, body, signature)
    ):
        raise Problem(
            PaymentError.BAD_SIGNATURE, "the notification signature does not verify", status=401
        )
    if not sandbox_payment.timestamp_fresh(timestamp, now=now, tolerance_seconds=tolerance_seconds):
        raise Problem(
            PaymentError.STALE_NOTIFICATION,
            "the notification is too old or from the future",
            status=400,
        )
    try:
        data = json.loads(body)
        return VerifiedNotification(
            notification_id=str(data["notification_id"]),
            payment_id=int(data["payment_id"]),
            order_id=int(data["order_id"]),
            amount_fen=int(data["amount_fen"]),
            status=str(data["status"]),
            provider_ref=str(data.get("provider_ref", "")),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise Problem("malformed-json", "the notification body is not as agreed") from exc


async def accept_notification(
    session: AsyncSession, note: VerifiedNotification, *, secret: str, now: datetime
) -> NotificationOutcome:
    """Apply a verified notification once. A replayed id is acknowledged and changes nothing."""
    if await session.get(PaymentNotification, note.notification_id) is not None:
        return NotificationOutcome.DUPLICATE
    payment = await session.get(Payment, note.payment_id)
    if payment is None or payment.order_id != note.order_id:
        raise Problem(PaymentError.UNKNOWN_PAYMENT, "no such payment for that order", status=422)
    if note.amount_fen != payment.amount_fen:
        raise Problem(
            PaymentError.AMOUNT_MISMATCH,
            f"paid {note.amount_fen} fen, expected {payment.amount_fen}",
            status=422,
        )
    row = PaymentNotification(
        notification_id=note.notification_id,
        payment_id=payment.id,
        received_at=now,
        outcome="pending",
    )
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:  # the same notification arrived twice at once; the other one won
        return NotificationOutcome.DUPLICATE
    outcome = await _settle(session, payment, note, secret=secret, now=now)
    row.outcome = outcome
    return outcome


async def _settle(
    session: AsyncSession,
    payment: Payment,
    note: VerifiedNotification,
    *,
    secret: str,
    now: datetime,
) -> NotificationOutcome:
    """Settle the order with this charge, or give the charge back: never both, never neither."""
    if note.status != "succeeded":
        return NotificationOutcome.DUPLICATE  # nothing was charged
    order = await session.scalar(  # notifications for one order queue here
        select(Order)
        .where(Order.id == payment.order_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert order is not None
    await session.refresh(payment)
    if payment.provider_ref == note.provider_ref:
        return NotificationOutcome.DUPLICATE  # the charge that settled it, told again
    if payment.status == "pending" and order.status == OrderStatus.PENDING_PAYMENT:
        await _mark_payment(session, payment, status="succeeded", note=note, now=now)
        await _pay_order(session, order, now=now)
        return NotificationOutcome.ACCEPTED
    if payment.status == "pending":  # paid after the order was cancelled
        await _mark_payment(session, payment, status="orphaned", note=note, now=now)
        await _refund_charge(
            session, payment, note, ChargeRefundReason.ORDER_NOT_PAYABLE, secret=secret, now=now
        )
        return NotificationOutcome.ORPHANED
    await _refund_charge(
        session, payment, note, ChargeRefundReason.EXTRA_CHARGE, secret=secret, now=now
    )
    return NotificationOutcome.EXTRA_CHARGE


async def _mark_payment(
    session: AsyncSession,
    payment: Payment,
    *,
    status: str,
    note: VerifiedNotification,
    now: datetime,
) -> None:
    """Only a pending payment moves, once: a concurrent writer can never overwrite a settlement."""
    moved = await session.execute(
        update(Payment)
        .where(Payment.id == payment.id, Payment.status == "pending")
        .values(status=status, provider_ref=note.provider_ref, settled_at=now)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict(OrderError.ORDER_CHANGED, "the payment changed meanwhile; retry")
    for name, value in (
        ("status", status),
        ("provider_ref", note.provider_ref),
        ("settled_at", now),
    ):
        set_committed_value(payment, name, value)


async def _pay_order(session: AsyncSession, order: Order, *, now: datetime) -> list[OrderLine]:
    """The order moves to paid and OrderPaid is recorded; returns its lines."""
    await apply_transition(
        session,
        order,
        action=OrderAction.PAY,
        actor=Actor.PAYMENT,
        actor_id=None,
        now=now,
        changes={"paid_at": now},
    )
    lines = await lines_of(session, order.id)
    record_event(
        session,
        events.OrderPaid(
            order_id=order.id,
            buyer_id=order.buyer_id,
            shop_id=order.shop_id,
            total_fen=order.total_fen,
            lines=lines_payload(lines),
            room_id=order.room_id,
            live_session_id=order.live_session_id,
            buyer_name=await _room_buyer_name(session, order),
        ),
        now=now,
    )
    return lines


async def _refund_charge(
    session: AsyncSession,
    payment: Payment,
    note: VerifiedNotification,
    reason: ChargeRefundReason,
    *,
    secret: str,
    now: datetime,
) -> None:
    """Give a charge that settled nothing back through the provider, once per charge."""
    refund_id = new_id()
    signed = sandbox_payment.SandboxPaymentProvider(secret).refund(
        refund_id=refund_id, payment_ref=note.provider_ref, amount_fen=note.amount_fen, now=now
    )
    data = provider_answer(signed, secret)
    if data.get("refund_id") != str(refund_id) or data.get("amount_fen") != note.amount_fen:
        raise Problem(
            PaymentError.AMOUNT_MISMATCH, "the provider refunded another amount", status=502
        )
    session.add(
        ChargeRefund(
            id=refund_id,
            payment_id=payment.id,
            order_id=payment.order_id,
            charge_ref=note.provider_ref,
            amount_fen=note.amount_fen,
            reason=reason,
            provider_ref=str(data["provider_ref"]),
            created_at=now,
        )
    )
    await session.flush()


async def _room_buyer_name(session: AsyncSession, order: Order) -> str | None:
    """Who bought, for the room's purchase feed (which shows it at once, without a lookup)."""
    if order.room_id is None:
        return None
    names = await accounts.display_names(session, {order.buyer_id})
    return names.get(order.buyer_id)


@dataclass(frozen=True)
class Paid:
    payment: Payment
    view: OrderView  # the order as paid, for the answer (no second read)


async def pay_with_sandbox(rt: Runtime, *, order_id: int, buyer_id: int) -> Paid:
    """The buyer pays through the built-in sandbox: one transaction, because the sandbox charges
    at once. The order's row is locked first, so concurrent pays of one order queue and exactly
    one charges; the charge is signed and verified exactly as the notification endpoint verifies
    a provider's. (A real provider's payment takes two steps: `start_payment`, then its signed
    notification through `accept_notification`, which refunds any charge that settles nothing.)"""
    secret = rt.settings.sandbox_payment_secret
    now = rt.clock.now()
    async with unit_of_work(rt.sessions) as session:
        order = await session.scalar(
            select(Order)
            .where(Order.id == order_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        if order is None or order.buyer_id != buyer_id:
            raise NotFound("order", order_id)
        if order.status != OrderStatus.PENDING_PAYMENT:
            raise Conflict(
                OrderError.ILLEGAL_TRANSITION,
                f"an order that is {order.status} cannot be paid",
                current_status=order.status,
            )
        if now >= order.pay_deadline_at:
            raise Conflict(
                OrderError.PAYMENT_WINDOW_CLOSED, "the time to pay has run out; order again"
            )
        payment_id = new_id()
        signed = sandbox_payment.SandboxPaymentProvider(secret).charge(
            payment_id=payment_id, order_id=order_id, amount_fen=order.total_fen, now=now
        )
        note = verify_notification(
            body=signed.body,
            timestamp=signed.timestamp,
            signature=signed.signature,
            secret=secret,
            tolerance_seconds=rt.settings.payment_notification_tolerance_seconds,
            now=now,
        )
        payment = Payment(
            id=payment_id,
            order_id=order_id,
            buyer_id=buyer_id,
            amount_fen=order.total_fen,
            provider=sandbox_payment.SandboxPaymentProvider.name,
            status="succeeded",
            provider_ref=note.provider_ref,
            created_at=now,
            settled_at=now,
        )
        session.add(payment)
        session.add(
            PaymentNotification(
                notification_id=note.notification_id,
                payment_id=payment_id,
                received_at=now,
                outcome=NotificationOutcome.ACCEPTED,
            )
        )
        lines = await _pay_order(session, order, now=now)
        view = OrderView(order, lines, await transitions_of(session, order.id))
    rt.dispatcher.nudge()
    return Paid(payment, view)
