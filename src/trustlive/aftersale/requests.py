"""Loading, moving and viewing after-sale requests: the pieces every use case shares."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import shops
from trustlive.accounts import Principal
from trustlive.aftersale import domain
from trustlive.aftersale.domain import Action, Actor, Status
from trustlive.aftersale.errors import AftersaleError
from trustlive.aftersale.models import AftersaleRequest, AftersaleStep, Dispute, DisputeEvidence
from trustlive.kernel.errors import Conflict, NotFound
from trustlive.kernel.ids import new_id
from trustlive.kernel.versioned import move_if_unchanged


@dataclass(frozen=True)
class RequestView:
    request: AftersaleRequest
    steps: list[AftersaleStep]
    dispute: Dispute | None
    evidence: list[DisputeEvidence]


async def load(session: AsyncSession, request_id: int) -> AftersaleRequest:
    request = await session.get(AftersaleRequest, request_id, populate_existing=True)
    if request is None:
        raise NotFound("after-sale request", request_id)
    return request


async def handles_shop(session: AsyncSession, shop_id: int, user_id: int) -> bool:
    return await shops.has_permission(
        session, shop_id=shop_id, user_id=user_id, permission=shops.Permission.HANDLE_AFTERSALE
    )


async def for_buyer(session: AsyncSession, request_id: int, buyer_id: int) -> AftersaleRequest:
    request = await session.get(AftersaleRequest, request_id, populate_existing=True)
    if request is None or request.buyer_id != buyer_id:
        raise NotFound("after-sale request", request_id)
    return request


async def for_merchant(session: AsyncSession, request_id: int, actor_id: int) -> AftersaleRequest:
    request = await session.get(AftersaleRequest, request_id, populate_existing=True)
    if request is None or not await handles_shop(session, request.shop_id, actor_id):
        raise NotFound("after-sale request", request_id)
    return request


async def visible_to(session: AsyncSession, request_id: int, viewer: Principal) -> RequestView:
    """The buyer, the shop's after-sales staff and operators; anyone else gets a 404."""
    request = await session.get(AftersaleRequest, request_id)
    visible = request is not None and (
        request.buyer_id == viewer.user_id
        or viewer.is_operator
        or await handles_shop(session, request.shop_id, viewer.user_id)
    )
    if request is None or not visible:
        raise NotFound("after-sale request", request_id)
    return await view(session, request)


async def view(session: AsyncSession, request: AftersaleRequest) -> RequestView:
    steps = await session.scalars(
        select(AftersaleStep)
        .where(AftersaleStep.request_id == request.id)
        .order_by(AftersaleStep.id)
    )
    dispute = await session.scalar(select(Dispute).where(Dispute.request_id == request.id))
    evidence: list[DisputeEvidence] = []
    if dispute is not None:
        evidence = list(
            await session.scalars(
                select(DisputeEvidence)
                .where(DisputeEvidence.dispute_id == dispute.id)
                .order_by(DisputeEvidence.id)
            )
        )
    return RequestView(request, list(steps), dispute, evidence)


async def move(
    session: AsyncSession,
    request: AftersaleRequest,
    *,
    action: Action,
    actor: Actor,
    actor_id: int | None,
    policy_version: str,
    now: datetime,
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> Status:
    """Move the request if it is still the version we loaded: a lost race is a 409."""
    current = Status(request.status)
    target = domain.next_status(current, action, actor)
    await move_if_unchanged(
        session,
        request,
        {"status": target, **(changes or {})},
        lost=lambda: Conflict(
            AftersaleError.REQUEST_CHANGED, "the request changed meanwhile; reload it"
        ),
    )
    session.add(
        AftersaleStep(
            id=new_id(),
            request_id=request.id,
            from_status=current,
            to_status=target,
            action=action,
            actor=actor,
            actor_id=actor_id,
            note=note[:500],
            policy_version=policy_version,
            at=now,
        )
    )
    await session.flush()
    return target


async def count_for_buyer(session: AsyncSession, buyer_id: int) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(AftersaleRequest)
        .where(AftersaleRequest.buyer_id == buyer_id)
    )
    return int(count or 0)


async def without_return_uses(session: AsyncSession, buyer_id: int, since: datetime) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(AftersaleRequest)
        .where(
            AftersaleRequest.buyer_id == buyer_id,
            AftersaleRequest.without_return.is_(True),
            AftersaleRequest.refunded_at >= since,
        )
    )
    return int(count or 0)


async def open_on_order(session: AsyncSession, order_id: int) -> list[AftersaleRequest]:
    rows = await session.scalars(
        select(AftersaleRequest).where(AftersaleRequest.order_id == order_id)
    )
    return list(rows)
