"""Disputes: a rejected buyer escalates, both sides add evidence, an operator decides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import orders
from trustlive.accounts import Principal
from trustlive.aftersale import domain, offers, refunds, requests
from trustlive.aftersale.domain import Action, Actor, Guarantee, Kind, Payer
from trustlive.aftersale.errors import AftersaleError
from trustlive.aftersale.events import DisputeDecided, DisputeOpened
from trustlive.aftersale.guarantees import counterfeit_payout_fen
from trustlive.aftersale.ledger import Config, PayoutOrder, pay_guarantee
from trustlive.aftersale.models import Dispute, DisputeEvidence
from trustlive.kernel.errors import Conflict, NotFound, Problem
from trustlive.kernel.ids import new_id
from trustlive.kernel.outbox import record_event


@dataclass(frozen=True)
class Ruling:
    merchant_at_fault: bool
    counterfeit: bool
    note: str


def _evidence(
    dispute: Dispute, *, party: str, author_id: int, text: str, urls: list[str], now: datetime
) -> DisputeEvidence:
    return DisputeEvidence(
        id=new_id(),
        dispute_id=dispute.id,
        party=party,
        author_id=author_id,
        text=text,
        image_urls=urls,
        created_at=now,
    )


async def escalate(
    session: AsyncSession,
    *,
    request_id: int,
    buyer_id: int,
    text: str,
    image_urls: list[str],
    cfg: Config,
    now: datetime,
) -> Dispute:
    request = await requests.for_buyer(session, request_id, buyer_id)
    await requests.move(
        session, request, action=Action.ESCALATE, actor=Actor.BUYER, actor_id=buyer_id,
        policy_version=cfg.policy.version, now=now, note=text,
    )  # fmt: skip
    dispute = Dispute(
        id=new_id(),
        request_id=request.id,
        order_id=request.order_id,
        shop_id=request.shop_id,
        buyer_id=request.buyer_id,
        status="open",
        opened_at=now,
        policy_version=cfg.policy.version,
    )
    session.add(dispute)
    await session.flush()
    session.add(
        _evidence(dispute, party="buyer", author_id=buyer_id, text=text, urls=image_urls, now=now)
    )
    record_event(
        session,
        DisputeOpened(
            dispute_id=dispute.id,
            request_id=request.id,
            order_id=request.order_id,
            shop_id=request.shop_id,
            buyer_id=request.buyer_id,
        ),
        now=now,
    )
    await session.flush()
    return dispute


async def add_evidence(
    session: AsyncSession,
    *,
    dispute_id: int,
    viewer: Principal,
    text: str,
    image_urls: list[str],
    now: datetime,
) -> DisputeEvidence:
    """Only the two parties add evidence, while the dispute is open."""
    dispute = await session.get(Dispute, dispute_id)
    if dispute is None:
        raise NotFound("dispute", dispute_id)
    if dispute.buyer_id == viewer.user_id:
        party = "buyer"
    elif await requests.handles_shop(session, dispute.shop_id, viewer.user_id):
        party = "merchant"
    else:
        raise NotFound("dispute", dispute_id)
    if dispute.status != "open":
        raise Conflict(AftersaleError.DISPUTE_CLOSED, "the dispute is already decided")
    row = _evidence(
        dispute, party=party, author_id=viewer.user_id, text=text, urls=image_urls, now=now
    )
    session.add(row)
    await session.flush()
    return row


async def list_disputes(
    session: AsyncSession, *, status: str | None, before: int | None, limit: int
) -> list[Dispute]:
    query = select(Dispute)
    if status is not None:
        query = query.where(Dispute.status == status)
    if before is not None:
        query = query.where(Dispute.id < before)
    return list(await session.scalars(query.order_by(Dispute.id.desc()).limit(limit)))


async def decide(
    session: AsyncSession,
    *,
    dispute_id: int,
    operator_id: int,
    ruling: Ruling,
    cfg: Config,
    now: datetime,
) -> Dispute:
    if ruling.counterfeit and not ruling.merchant_at_fault:
        raise Problem(
            AftersaleError.COUNTERFEIT_NEEDS_FAULT,
            "a counterfeit is always the merchant's fault",
            status=422,
        )
    dispute = await session.get(Dispute, dispute_id, populate_existing=True)
    if dispute is None:
        raise NotFound("dispute", dispute_id)
    if dispute.status != "open":
        raise Conflict(AftersaleError.DISPUTE_CLOSED, "the dispute is already decided")
    request = await requests.load(session, dispute.request_id)
    kind = Kind(request.kind)
    action = domain.ruling_for_buyer(kind) if ruling.merchant_at_fault else Action.RULE_FOR_MERCHANT
    changes: dict[str, object] = {"decided_at": now}
    if action == Action.RULE_RETURN:
        changes["return_ship_by_at"] = now + cfg.policy.buyer_return_ship
    if action == Action.RULE_FOR_MERCHANT:
        changes["closed_at"] = now
    await requests.move(
        session, request, action=action, actor=Actor.OPERATOR, actor_id=operator_id,
        policy_version=cfg.policy.version, now=now, note=ruling.note, changes=changes,
    )  # fmt: skip
    dispute.status = "decided"
    dispute.decided_at = now
    dispute.operator_id = operator_id
    dispute.merchant_at_fault = ruling.merchant_at_fault
    dispute.counterfeit = ruling.counterfeit
    dispute.decision_note = ruling.note[:1000]
    dispute.policy_version = cfg.policy.version
    if action == Action.RULE_REFUND:
        await refunds.pay_refund(session, request, cfg=cfg, now=now)
    if ruling.counterfeit:
        await _pay_counterfeit(session, dispute, request.lines, request.id, cfg=cfg, now=now)
    record_event(
        session,
        DisputeDecided(
            dispute_id=dispute.id,
            request_id=request.id,
            order_id=request.order_id,
            shop_id=request.shop_id,
            buyer_id=request.buyer_id,
            merchant_at_fault=ruling.merchant_at_fault,
            counterfeit=ruling.counterfeit,
            operator_id=operator_id,
        ),
        now=now,
    )
    await session.flush()
    return dispute


async def _pay_counterfeit(
    session: AsyncSession,
    dispute: Dispute,
    lines: list[dict[str, int]],
    request_id: int,
    *,
    cfg: Config,
    now: datetime,
) -> None:
    """Ten times the price of the goods in question (capped), from the merchant's deposit."""
    if Guarantee.COUNTERFEIT_TENFOLD not in await offers.offered(
        session, dispute.shop_id, cfg.policy
    ):
        return
    facts = await orders.order_facts(session, dispute.order_id)
    price = {ln.sku_id: ln.unit_price_fen for ln in facts.lines}
    value = sum(price[int(ln["sku_id"])] * int(ln["quantity"]) for ln in lines)
    await pay_guarantee(
        session,
        PayoutOrder(
            guarantee=Guarantee.COUNTERFEIT_TENFOLD,
            payer=Payer.MERCHANT_DEPOSIT,
            buyer_id=dispute.buyer_id,
            shop_id=dispute.shop_id,
            order_id=dispute.order_id,
            request_id=request_id,
            amount_fen=counterfeit_payout_fen(value, cfg.policy),
            reason=f"dispute {dispute.id} confirmed a counterfeit",
            dedupe_key=f"{Guarantee.COUNTERFEIT_TENFOLD}:{dispute.id}",
        ),
        cfg=cfg,
        now=now,
    )
