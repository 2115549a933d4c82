"""Who may see and appeal a decision: the account it targets, or who manages the shop it
targets. Nobody else (a buyer never reads cases)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import shops
from trustlive.kernel.errors import NotFound
from trustlive.risk.domain import SubjectKind
from trustlive.risk.models import Action, Case


async def _managed_shops(session: AsyncSession, user_id: int) -> list[int]:
    found = []
    for shop, _ in await shops.shops_of(session, user_id):
        if await shops.has_permission(
            session, shop_id=shop.id, user_id=user_id, permission=shops.Permission.MANAGE_SHOP
        ):
            found.append(shop.id)
    return found


async def answers_for(session: AsyncSession, action: Action, user_id: int) -> bool:
    if action.target_kind == "account":
        return user_id in action.target_ids
    return any(
        [
            await shops.has_permission(
                session, shop_id=shop_id, user_id=user_id, permission=shops.Permission.MANAGE_SHOP
            )
            for shop_id in action.target_ids
        ]
    )


async def decisions_for(session: AsyncSession, user_id: int) -> list[Action]:
    """Every decision that targets the user or a shop they manage, newest first."""
    managed = await _managed_shops(session, user_id)
    rows = await session.scalars(
        select(Case).where(
            or_(
                (Case.subject_kind == SubjectKind.ACCOUNT) & (Case.subject_id == user_id),
                (Case.subject_kind == SubjectKind.SHOP) & Case.subject_id.in_(managed),
                Case.subject_kind == SubjectKind.GANG,
            )
        )
    )
    case_ids = [c.id for c in rows if c.subject_kind != SubjectKind.GANG or user_id in c.members]
    if not case_ids:
        return []
    actions = await session.scalars(
        select(Action).where(Action.case_id.in_(case_ids)).order_by(Action.id.desc())
    )
    return [
        a
        for a in actions
        if (a.target_kind == "account" and user_id in a.target_ids)
        or (a.target_kind == "shop" and set(a.target_ids) & set(managed))
    ]


async def own_decision(session: AsyncSession, action_id: int, user_id: int) -> Action:
    """The decision, if the user answers for it; otherwise 404 (its existence is not theirs)."""
    action = await session.get(Action, action_id)
    if action is None or not await answers_for(session, action, user_id):
        raise NotFound("decision", action_id)
    return action
