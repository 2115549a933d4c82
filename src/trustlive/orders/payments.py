"""Payment use cases: start a payment, and accept the provider's signed notification."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import accounts
from trustlive.kernel.db import unit_of_work
from trustlive.kernel.errors import Conflict, Problem
from trustlive.kernel.ids import new_id
from trustlive.kernel.outbox import record_event
from trustlive.kernel.runtime import Runtime
from trustlive.orders import events, sandbox_payment
from trustlive.orders.domain import Actor, OrderAction, OrderStatus
from trustlive.orders.errors import OrderError, PaymentError
from trustlive.orders.models import Order, Payment, PaymentNotification
from trustlive.orders.service import _lines, apply_transition, lines_payload, order_for_buyer


class NotificationOutcome(StrEnum):
    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"  # a replay: acknowledged, nothing changed
    ORPHANED = "orphaned"  # money arrived for an order no longer payable; flagged for refund


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
    pending = await session.scalar(
        select(Payment).where(Payment.order_id == order_id, Payment.status == "pending")
    )
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
    session.add(payment)
    await session.flush()
    return payment


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
    session: AsyncSession, note: VerifiedNotification, *, now: datetime
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
    session.add(row)
    try:
        await session.flush()
    except IntegrityError:  # the same notification arrived twice at once; the other one won
        return NotificationOutcome.DUPLICATE
    outcome = await _settle(session, payment, note, now=now)
    row.outcome = outcome
    return outcome


async def _settle(
    session: AsyncSession, payment: Payment, note: VerifiedNotification, *, now: datetime
) -> NotificationOutcome:
    order = await session.get(Order, payment.order_id)
    assert order is not None
    if payment.status != "pending" or note.status != "succeeded":
        return NotificationOutcome.DUPLICATE
    payment.provider_ref = note.provider_ref
    payment.settled_at = now
    if order.status != OrderStatus.PENDING_PAYMENT:
        payment.status = "orphaned"  # paid after cancellation: the money must go back
        return NotificationOutcome.ORPHANED
    payment.status = "succeeded"
    await apply_transition(
        session,
        order,
        action=OrderAction.PAY,
        actor=Actor.PAYMENT,
        actor_id=None,
        now=now,
        changes={"paid_at": now},
    )
    record_event(
        session,
        events.OrderPaid(
            order_id=order.id,
            buyer_id=order.buyer_id,
            shop_id=order.shop_id,
            total_fen=order.total_fen,
            lines=lines_payload(await _lines(session, order.id)),
            room_id=order.room_id,
            live_session_id=order.live_session_id,
            buyer_name=await _room_buyer_name(session, order),
        ),
        now=now,
    )
    return NotificationOutcome.ACCEPTED


async def _room_buyer_name(session: AsyncSession, order: Order) -> str | None:
    """Who bought, for the room's purchase feed (which shows it at once, without a lookup)."""
    if order.room_id is None:
        return None
    names = await accounts.display_names(session, {order.buyer_id})
    return names.get(order.buyer_id)


async def pay_with_sandbox(rt: Runtime, *, order_id: int, buyer_id: int) -> Payment:
    """The buyer pays through the sandbox provider: two units of work, as with a real provider.

    Ours creates the pending payment; the provider's callback, signed and verified exactly as the
    HTTP notification endpoint verifies it, settles it in a second one.
    """
    async with unit_of_work(rt.sessions) as session:
        payment = await start_payment(
            session, order_id=order_id, buyer_id=buyer_id, now=rt.clock.now()
        )
    provider = sandbox_payment.SandboxPaymentProvider(rt.settings.sandbox_payment_secret)
    signed = provider.charge(
        payment_id=payment.id, order_id=order_id, amount_fen=payment.amount_fen, now=rt.clock.now()
    )
    note = verify_notification(
        body=signed.body,
        timestamp=signed.timestamp,
        signature=signed.signature,
        secret=rt.settings.sandbox_payment_secret,
        tolerance_seconds=rt.settings.payment_notification_tolerance_seconds,
        now=rt.clock.now(),
    )
    async with unit_of_work(rt.sessions) as session:
        await accept_notification(session, note, now=rt.clock.now())
        settled = await session.get(Payment, payment.id)
        assert settled is not None
    rt.dispatcher.nudge()
    return settled
