"""Buyers' addresses revealed to shop staff one order at a time, each reveal on record."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import accounts, shops
from trustlive.kernel.errors import Forbidden, NotFound
from trustlive.kernel.ids import new_id
from trustlive.kernel.locks import lock_for_transaction
from trustlive.orders.domain import check_reveal_allowed
from trustlive.orders.models import AddressReveal, Order

REVEAL_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class RevealPolicy:
    version: str
    per_staff_per_day: int


@lru_cache(maxsize=1)
def load_reveal_policy() -> RevealPolicy:
    """The orders policy shipped in the package (orders/policy.toml)."""
    text = resources.files("trustlive.orders").joinpath("policy.toml").read_text("utf-8")
    raw = tomllib.loads(text)
    return RevealPolicy(
        version=str(raw["version"]),
        per_staff_per_day=int(raw["personal_data"]["reveals_per_staff_per_day"]),
    )


@dataclass(frozen=True)
class RevealRecord:
    reveal: AddressReveal
    user_name: str


async def reveal_address(
    session: AsyncSession,
    *,
    order_id: int,
    actor_id: int,
    reason: str,
    policy: RevealPolicy,
    now: datetime,
) -> tuple[AddressReveal, dict[str, str]]:
    """Staff who ship see one order's full address; anyone outside the shop gets a 404."""
    order = await session.get(Order, order_id)
    if order is None or not await shops.has_permission(
        session, shop_id=order.shop_id, user_id=actor_id, permission=shops.Permission.VIEW_ORDERS
    ):
        raise NotFound("order", order_id)
    if not await shops.has_permission(
        session, shop_id=order.shop_id, user_id=actor_id, permission=shops.Permission.FULFIL_ORDERS
    ):
        raise Forbidden("only staff who ship orders (fulfil_orders) may reveal an address")
    await lock_for_transaction(session, scope=AddressReveal.__tablename__, key=actor_id)
    used = await session.scalar(
        select(func.count())
        .select_from(AddressReveal)
        .where(AddressReveal.user_id == actor_id, AddressReveal.revealed_at > now - REVEAL_WINDOW)
    )
    check_reveal_allowed(used_today=int(used or 0), per_day=policy.per_staff_per_day)
    reveal = AddressReveal(
        id=new_id(),
        order_id=order.id,
        shop_id=order.shop_id,
        user_id=actor_id,
        reason=reason,
        policy_version=policy.version,
        revealed_at=now,
    )
    session.add(reveal)
    await session.flush()
    return reveal, dict(order.address)


async def list_reveals(
    session: AsyncSession, *, shop_id: int, actor_id: int, before: int | None, limit: int
) -> list[RevealRecord]:
    """The shop's reveals, newest first, for its owner and admins (manage_shop)."""
    await shops.require_permission(
        session, shop_id=shop_id, user_id=actor_id, permission=shops.Permission.MANAGE_SHOP
    )
    query = select(AddressReveal).where(AddressReveal.shop_id == shop_id)
    if before is not None:
        query = query.where(AddressReveal.id < before)
    rows = list(await session.scalars(query.order_by(AddressReveal.id.desc()).limit(limit)))
    names = await accounts.display_names(session, {r.user_id for r in rows})
    return [RevealRecord(r, names.get(r.user_id, "")) for r in rows]
