"""After-sale use cases: open a request, decide it, ship the return, confirm it came back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import catalog, orders
from trustlive.aftersale import domain, guarantees, ledger, offers, refunds, requests
from trustlive.aftersale.domain import FINAL, OPEN, Action, Actor, Guarantee, Kind, Reason, Status
from trustlive.aftersale.errors import AftersaleError
from trustlive.aftersale.events import AftersaleRequestDecided, AftersaleRequestOpened
from trustlive.aftersale.ledger import Config
from trustlive.aftersale.models import AftersaleRequest
from trustlive.kernel.errors import Conflict, NotFound, Problem
from trustlive.kernel.ids import new_id
from trustlive.kernel.outbox import record_event

OS = orders.OrderStatus
REQUESTABLE = frozenset({OS.PAID, OS.SHIPPED, OS.RECEIVED, OS.COMPLETED})


@dataclass(frozen=True)
class NewRequest:
    order_id: int
    kind: Kind
    reason: Reason
    text: str
    evidence_urls: list[str]
    lines: dict[int, int] | None  # sku_id → quantity; None: every line still returnable
    amount_fen: int | None  # None: the value of the lines, within what is left to refund


def _check_order(facts: orders.OrderFacts, new: NewRequest, cfg: Config, now: datetime) -> None:
    if facts.status not in REQUESTABLE:
        raise Conflict(
            AftersaleError.NOT_REQUESTABLE,
            f"an order that is {facts.status} takes no after-sale request",
        )
    if facts.received_at is not None and now > facts.received_at + cfg.policy.request_window:
        raise Conflict(AftersaleError.WINDOW_CLOSED, "the after-sale window of this order closed")
    if new.kind != Kind.REFUND_ONLY and facts.status == OS.PAID:
        raise Conflict(
            AftersaleError.KIND_NEEDS_SHIPMENT, "nothing was shipped yet: ask for a refund only"
        )


def _lines(
    facts: orders.OrderFacts, new: NewRequest, pending: dict[int, int]
) -> tuple[dict[int, int], int]:
    """The lines asked about (quantity within what is still returnable) and their value."""
    left = {
        ln.sku_id: ln.quantity - ln.returned_quantity - pending.get(ln.sku_id, 0)
        for ln in facts.lines
    }
    price = {ln.sku_id: ln.unit_price_fen for ln in facts.lines}
    wanted = new.lines if new.lines is not None else {s: q for s, q in left.items() if q > 0}
    bad = [s for s, q in wanted.items() if s not in left or q <= 0 or q > left[s]]
    if bad or not wanted:
        raise Problem(
            AftersaleError.BAD_LINES,
            "ask about SKUs of this order, within the quantity not yet returned",
            status=422,
        )
    return wanted, sum(price[s] * q for s, q in wanted.items())


def _amount(facts: orders.OrderFacts, new: NewRequest, value: int) -> int:
    if new.kind == Kind.EXCHANGE:
        return 0
    left = facts.total_fen - facts.refunded_fen
    if facts.status == OS.PAID:  # before shipping a refund is the whole order, which then closes
        if new.amount_fen not in (None, left):
            raise Problem(
                AftersaleError.AMOUNT_TOO_HIGH,
                f"before shipping the refund is the whole {left} fen",
                status=422,
            )
        return left
    amount = new.amount_fen if new.amount_fen is not None else min(value, left)
    if amount <= 0 or amount > left or amount > value:
        raise Problem(
            AftersaleError.AMOUNT_TOO_HIGH,
            f"ask for at most {min(value, left)} fen (paid and not yet refunded, for these items)",
            status=422,
        )
    return amount


async def _seven_day_ok(
    session: AsyncSession, facts: orders.OrderFacts, skus: list[int], cfg: Config, now: datetime
) -> bool:
    snapshots = await catalog.sku_snapshots(session, skus)
    allow = [
        bool(catalog.CATEGORIES.get(s.category) and catalog.CATEGORIES[s.category].seven_day_return)
        for s in snapshots.values()
    ]
    offered = await offers.offered(session, facts.shop_id, cfg.policy)
    return guarantees.seven_day_return_applies(
        offered=Guarantee.SEVEN_DAY_RETURN in offered,
        categories_allow=allow,
        received_at=facts.received_at,
        now=now,
        policy=cfg.policy,
    )


async def buyer_history(
    session: AsyncSession, buyer_id: int, now: datetime
) -> guarantees.BuyerHistory:
    return guarantees.BuyerHistory(
        received_orders=await orders.received_order_count(session, buyer_id),
        requests=await requests.count_for_buyer(session, buyer_id),
        without_return_uses_30d=await requests.without_return_uses(
            session, buyer_id, now - timedelta(days=30)
        ),
    )


async def open_request(
    session: AsyncSession, *, buyer_id: int, new: NewRequest, cfg: Config, now: datetime
) -> AftersaleRequest:
    facts = await orders.order_facts(session, new.order_id)
    if facts.buyer_id != buyer_id:
        raise NotFound("order", new.order_id)
    _check_order(facts, new, cfg, now)
    earlier = await requests.open_on_order(session, new.order_id)
    if any(Status(r.status) in OPEN for r in earlier):
        raise Conflict(AftersaleError.OPEN_REQUEST_EXISTS, "finish the open request first")
    pending: dict[int, int] = {}  # returns accepted but not yet received stay reserved
    for r in earlier:
        if Status(r.status) not in FINAL and r.kind != Kind.REFUND_ONLY:
            for ln in r.lines:
                pending[int(ln["sku_id"])] = pending.get(int(ln["sku_id"]), 0) + ln["quantity"]
    wanted, value = _lines(facts, new, pending)
    amount = _amount(facts, new, value)
    if new.reason == Reason.NO_REASON_7_DAYS and (
        new.kind != Kind.RETURN_REFUND
        or not await _seven_day_ok(session, facts, sorted(wanted), cfg, now)
    ):
        raise Problem(
            AftersaleError.SEVEN_DAY_NOT_APPLICABLE,
            "no-reason returns apply to received goods of eligible categories within 7 days",
            status=422,
        )
    history = await buyer_history(session, buyer_id, now)
    request = AftersaleRequest(
        id=new_id(),
        order_id=facts.order_id,
        shop_id=facts.shop_id,
        buyer_id=buyer_id,
        kind=new.kind,
        reason=new.reason,
        text=new.text,
        evidence_urls=new.evidence_urls,
        lines=[{"sku_id": s, "quantity": q} for s, q in sorted(wanted.items())],
        amount_fen=amount,
        shipped=facts.shipped_at is not None,
        status=Status.PENDING,
        opened_at=now,
        decide_by_at=now + cfg.policy.merchant_decision,
        policy_version=cfg.policy.version,
        version=1,
    )
    try:
        async with session.begin_nested():  # a concurrent request on the order may have won
            session.add(request)
            await session.flush()
    except IntegrityError:
        raise Conflict(
            AftersaleError.OPEN_REQUEST_EXISTS, "finish the open request first"
        ) from None
    record_event(
        session,
        AftersaleRequestOpened(
            request_id=request.id,
            order_id=request.order_id,
            shop_id=request.shop_id,
            buyer_id=buyer_id,
            kind=request.kind,
            reason=request.reason,
            amount_fen=amount,
            shipped=request.shipped,
            opened_at=now.isoformat(),
        ),
        now=now,
    )
    await _apply_guarantees(session, request, facts, history, cfg=cfg, now=now)
    return request


async def _apply_guarantees(
    session: AsyncSession,
    request: AftersaleRequest,
    facts: orders.OrderFacts,
    history: guarantees.BuyerHistory,
    *,
    cfg: Config,
    now: datetime,
) -> None:
    """Guarantees that decide a request the moment it opens, without waiting for anyone."""
    offered = await offers.offered(session, request.shop_id, cfg.policy)
    kind, reason = Kind(request.kind), Reason(request.reason)
    if guarantees.refund_without_return_applies(
        offered=Guarantee.REFUND_WITHOUT_RETURN in offered,
        kind=kind,
        reason=reason,
        received=facts.received_at is not None,
        amount_fen=request.amount_fen,
        history=history,
        policy=cfg.policy,
    ):
        await decide(
            session, request, action=Action.REFUND_WITHOUT_RETURN, actor=Actor.SYSTEM,
            actor_id=None, cfg=cfg, now=now, note="refund without return (guarantee)",
        )  # fmt: skip
        await refunds.pay_refund(session, request, cfg=cfg, now=now, without_return=True)
    elif (
        kind == Kind.REFUND_ONLY
        and facts.shipped_at is None
        and guarantees.instant_refund_applies(
            offered=Guarantee.INSTANT_REFUND in offered,
            amount_fen=request.amount_fen,
            history=history,
            policy=cfg.policy,
            shop_owes_platform=await ledger.owes_platform(session, request.shop_id),
        )
    ):
        await decide(
            session, request, action=Action.ACCEPT_REFUND, actor=Actor.SYSTEM, actor_id=None,
            cfg=cfg, now=now, note="instant refund before shipping (guarantee)",
        )  # fmt: skip
        await refunds.pay_refund(session, request, cfg=cfg, now=now, instant=True)
    elif reason == Reason.NO_REASON_7_DAYS:
        await decide(
            session, request, action=Action.ACCEPT_RETURN, actor=Actor.SYSTEM, actor_id=None,
            cfg=cfg, now=now, note="7-day no-reason return (guarantee)",
        )  # fmt: skip


async def decide(
    session: AsyncSession,
    request: AftersaleRequest,
    *,
    action: Action,
    actor: Actor,
    actor_id: int | None,
    cfg: Config,
    now: datetime,
    note: str = "",
) -> None:
    """Accept or reject; accepting a return starts the buyer's shipping deadline."""
    changes: dict[str, object] = {"decided_at": now}
    if action == Action.ACCEPT_RETURN:
        changes["return_ship_by_at"] = now + cfg.policy.buyer_return_ship
    if action == Action.REJECT:
        changes["reject_reason"] = note[:500]
    target = await requests.move(
        session, request, action=action, actor=actor, actor_id=actor_id,
        policy_version=cfg.policy.version, now=now, note=note, changes=changes,
    )  # fmt: skip
    record_event(
        session,
        AftersaleRequestDecided(
            request_id=request.id,
            order_id=request.order_id,
            shop_id=request.shop_id,
            buyer_id=request.buyer_id,
            decision="rejected" if target == Status.REJECTED else "accepted",
            automatic=actor == Actor.SYSTEM,
            handle_seconds=int((now - request.opened_at).total_seconds()),
        ),
        now=now,
    )


async def accept(
    session: AsyncSession,
    request: AftersaleRequest,
    *,
    actor: Actor,
    actor_id: int | None,
    cfg: Config,
    now: datetime,
) -> None:
    kind = Kind(request.kind)
    await decide(
        session, request, action=domain.accept_action(kind), actor=actor, actor_id=actor_id,
        cfg=cfg, now=now, note="accepted" if actor != Actor.SYSTEM else "no answer in time",
    )  # fmt: skip
    if kind == Kind.REFUND_ONLY:
        await refunds.pay_refund(session, request, cfg=cfg, now=now)


async def ship_return(
    session: AsyncSession,
    request: AftersaleRequest,
    *,
    carrier: str,
    tracking_no: str,
    cfg: Config,
    now: datetime,
) -> None:
    """The buyer posts the goods back; an eligible buyer of an eligible shop is refunded now."""
    history = await buyer_history(session, request.buyer_id, now)
    await requests.move(
        session, request, action=Action.SHIP_RETURN, actor=Actor.BUYER,
        actor_id=request.buyer_id, policy_version=cfg.policy.version, now=now,
        changes={
            "return_carrier": carrier, "return_tracking_no": tracking_no,
            "return_shipped_at": now, "confirm_by_at": now + cfg.policy.merchant_confirm_return,
        },
    )  # fmt: skip
    offered = await offers.offered(session, request.shop_id, cfg.policy)
    if request.kind == Kind.RETURN_REFUND and guarantees.instant_refund_applies(
        offered=Guarantee.INSTANT_REFUND in offered,
        amount_fen=request.amount_fen,
        history=history,
        policy=cfg.policy,
        shop_owes_platform=await ledger.owes_platform(session, request.shop_id),
    ):
        await refunds.pay_refund(session, request, cfg=cfg, now=now, instant=True)


async def confirm_return(
    session: AsyncSession,
    request: AftersaleRequest,
    *,
    actor: Actor,
    actor_id: int | None,
    cfg: Config,
    now: datetime,
) -> None:
    await requests.move(
        session, request, action=domain.confirm_action(Kind(request.kind)), actor=actor,
        actor_id=actor_id, policy_version=cfg.policy.version, now=now,
        note="confirmed" if actor != Actor.SYSTEM else "no answer in time",
        changes={"return_received_at": now},
    )  # fmt: skip
    await refunds.complete_return(session, request, cfg=cfg, now=now)


async def list_requests(
    session: AsyncSession,
    *,
    buyer_id: int | None = None,
    shop_id: int | None = None,
    status: Status | None,
    before: int | None,
    limit: int,
) -> list[AftersaleRequest]:
    query = select(AftersaleRequest)
    if buyer_id is not None:
        query = query.where(AftersaleRequest.buyer_id == buyer_id)
    if shop_id is not None:
        query = query.where(AftersaleRequest.shop_id == shop_id)
    if status is not None:
        query = query.where(AftersaleRequest.status == status)
    if before is not None:
        query = query.where(AftersaleRequest.id < before)
    return list(await session.scalars(query.order_by(AftersaleRequest.id.desc()).limit(limit)))
