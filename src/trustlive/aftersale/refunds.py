"""Paying a request's refund and the guarantees that ride on it (all executed by the system)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import orders
from trustlive.aftersale import offers
from trustlive.aftersale.domain import Guarantee, Kind, Payer, Reason
from trustlive.aftersale.events import RefundPaid
from trustlive.aftersale.ledger import Config, PayoutOrder, pay_guarantee
from trustlive.aftersale.models import AftersaleRequest
from trustlive.kernel.outbox import record_event


def _seconds(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds())


async def pay_refund(
    session: AsyncSession,
    request: AftersaleRequest,
    *,
    cfg: Config,
    now: datetime,
    instant: bool = False,
    without_return: bool = False,
) -> None:
    """Give the request's amount back once; an unshipped order closes and its stock returns."""
    if request.refunded_at is not None or request.amount_fen == 0:
        return
    receipt = await orders.record_refund(
        session,
        order_id=request.order_id,
        amount_fen=request.amount_fen,
        reference=f"aftersale:{request.id}",
        reason=f"after-sale request {request.id}: {request.reason}",
        secret=cfg.payment_secret,
        now=now,
    )
    facts = await orders.order_facts(session, request.order_id)
    if facts.status == orders.OrderStatus.PAID:
        await orders.close_refunded_order(
            session, order_id=request.order_id, reason="refund accepted before shipping", now=now
        )
    request.refunded_fen = receipt.amount_fen
    request.refunded_at = now
    request.instant = instant
    request.without_return = without_return
    await session.flush()
    guarantee = (
        Guarantee.REFUND_WITHOUT_RETURN
        if without_return
        else Guarantee.INSTANT_REFUND
        if instant
        else Guarantee.SEVEN_DAY_RETURN
        if request.reason == Reason.NO_REASON_7_DAYS
        else None
    )
    if guarantee is not None:
        await pay_guarantee(
            session,
            PayoutOrder(
                guarantee=guarantee,
                payer=Payer.ORDER_PAYMENT,
                buyer_id=request.buyer_id,
                shop_id=request.shop_id,
                order_id=request.order_id,
                request_id=request.id,
                amount_fen=receipt.amount_fen,
                reason=f"refund of request {request.id} ({request.reason})",
                dedupe_key=f"{guarantee}:{request.id}",
                provider_ref=receipt.provider_ref,
            ),
            cfg=cfg,
            now=now,
        )
    record_event(
        session,
        RefundPaid(
            request_id=request.id,
            order_id=request.order_id,
            shop_id=request.shop_id,
            buyer_id=request.buyer_id,
            amount_fen=receipt.amount_fen,
            reason=request.reason,
            kind=request.kind,
            instant=instant,
            without_return=without_return,
            paid_at=now.isoformat(),
            resolve_seconds=_seconds(request.opened_at, now),
        ),
        now=now,
    )


async def complete_return(
    session: AsyncSession, request: AftersaleRequest, *, cfg: Config, now: datetime
) -> None:
    """The returned goods arrived: restock them, refund (unless already paid), pay back shipping."""
    await orders.restock_returned(
        session,
        order_id=request.order_id,
        quantities={int(ln["sku_id"]): int(ln["quantity"]) for ln in request.lines},
    )
    if request.kind == Kind.RETURN_REFUND:
        await pay_refund(session, request, cfg=cfg, now=now)
    offered = await offers.offered(session, request.shop_id, cfg.policy)
    if Guarantee.RETURN_SHIPPING_REFUND in offered and cfg.policy.return_shipping_fen > 0:
        await pay_guarantee(
            session,
            PayoutOrder(
                guarantee=Guarantee.RETURN_SHIPPING_REFUND,
                payer=Payer(cfg.policy.return_shipping_payer),
                buyer_id=request.buyer_id,
                shop_id=request.shop_id,
                order_id=request.order_id,
                request_id=request.id,
                amount_fen=cfg.policy.return_shipping_fen,
                reason=f"return shipping of request {request.id}",
                dedupe_key=f"{Guarantee.RETURN_SHIPPING_REFUND}:{request.id}",
            ),
            cfg=cfg,
            now=now,
        )
