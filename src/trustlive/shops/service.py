"""Shops use cases."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import accounts
from trustlive.kernel.auth import Role
from trustlive.kernel.errors import Conflict, Forbidden, NotFound
from trustlive.kernel.ids import new_id
from trustlive.kernel.outbox import record_event
from trustlive.shops.domain import Permission, StaffRole, allows, may_assign
from trustlive.shops.errors import ShopError
from trustlive.shops.events import ShopOpened, StaffAdded
from trustlive.shops.models import Shop, ShopStaff


async def open_shop(
    session: AsyncSession,
    *,
    owner_id: int,
    name: str,
    description: str,
    logo_url: str | None,
    now: datetime,
) -> Shop:
    if await session.scalar(select(Shop.id).where(Shop.owner_id == owner_id)) is not None:
        raise Conflict(ShopError.ALREADY_OWNS_SHOP, "you already own a shop; one account, one shop")
    if await session.scalar(select(Shop.id).where(Shop.name == name)) is not None:
        raise Conflict(ShopError.SHOP_NAME_TAKEN, f"a shop is already called {name!r}")
    shop = Shop(
        id=new_id(),
        owner_id=owner_id,
        name=name,
        description=description,
        logo_url=logo_url,
        created_at=now,
        updated_at=now,
    )
    session.add(shop)
    try:
        await session.flush()
    except IntegrityError as exc:
        raise Conflict(ShopError.SHOP_NAME_TAKEN, "the shop name or owner is taken") from exc
    session.add(
        ShopStaff(
            shop_id=shop.id, user_id=owner_id, role=StaffRole.OWNER, added_by=owner_id, added_at=now
        )
    )
    await accounts.grant_role(session, user_id=owner_id, role=Role.MERCHANT)
    record_event(session, ShopOpened(shop_id=shop.id, owner_id=owner_id), now=now)
    return shop


async def get_shop(session: AsyncSession, shop_id: int) -> Shop:
    shop = await session.get(Shop, shop_id)
    if shop is None:
        raise NotFound("shop", shop_id)
    return shop


async def staff_role(session: AsyncSession, *, shop_id: int, user_id: int) -> StaffRole | None:
    role = await session.scalar(
        select(ShopStaff.role).where(ShopStaff.shop_id == shop_id, ShopStaff.user_id == user_id)
    )
    return None if role is None else StaffRole(role)


async def require_permission(
    session: AsyncSession, *, shop_id: int, user_id: int, permission: Permission
) -> StaffRole:
    """The shop must exist and the user must hold a staff role that grants `permission`."""
    await get_shop(session, shop_id)
    role = await staff_role(session, shop_id=shop_id, user_id=user_id)
    if role is None or not allows(role, permission):
        raise Forbidden(
            "you need the %(permission)s permission in this shop",
            params={"permission": str(permission)},
        )
    return role


async def has_permission(
    session: AsyncSession, *, shop_id: int, user_id: int, permission: Permission
) -> bool:
    role = await staff_role(session, shop_id=shop_id, user_id=user_id)
    return role is not None and allows(role, permission)


async def users_with_permission(
    session: AsyncSession, *, shop_id: int, user_ids: Collection[int], permission: Permission
) -> set[int]:
    """Which of `user_ids` hold a staff role in the shop that grants `permission` (one query)."""
    rows = await session.execute(
        select(ShopStaff.user_id, ShopStaff.role).where(
            ShopStaff.shop_id == shop_id, ShopStaff.user_id.in_(list(user_ids))
        )
    )
    return {user_id for user_id, role in rows.all() if allows(StaffRole(role), permission)}


async def update_profile(
    session: AsyncSession,
    *,
    shop_id: int,
    actor_id: int,
    name: str | None,
    description: str | None,
    logo_url: str | None,
    now: datetime,
) -> Shop:
    await require_permission(
        session, shop_id=shop_id, user_id=actor_id, permission=Permission.MANAGE_SHOP
    )
    shop = await get_shop(session, shop_id)
    if name is not None and name != shop.name:
        taken = await session.scalar(select(Shop.id).where(Shop.name == name))
        if taken is not None:
            raise Conflict(ShopError.SHOP_NAME_TAKEN, f"a shop is already called {name!r}")
        shop.name = name
    if description is not None:
        shop.description = description
    if logo_url is not None:
        shop.logo_url = logo_url
    shop.updated_at = now
    return shop


async def add_staff(
    session: AsyncSession,
    *,
    shop_id: int,
    actor_id: int,
    user_id: int,
    role: StaffRole,
    now: datetime,
) -> ShopStaff:
    actor_role = await require_permission(
        session, shop_id=shop_id, user_id=actor_id, permission=Permission.MANAGE_STAFF
    )
    if not may_assign(actor_role, role):
        raise Forbidden(f"a shop {actor_role} cannot make someone {role}")
    await accounts.get_user(session, user_id)
    if await staff_role(session, shop_id=shop_id, user_id=user_id) is not None:
        raise Conflict(ShopError.ALREADY_STAFF, "this user is already on the shop's staff")
    staff = ShopStaff(shop_id=shop_id, user_id=user_id, role=role, added_by=actor_id, added_at=now)
    session.add(staff)
    await session.flush()
    record_event(session, StaffAdded(shop_id=shop_id, user_id=user_id, role=role), now=now)
    return staff


async def list_staff(session: AsyncSession, *, shop_id: int, actor_id: int) -> list[ShopStaff]:
    await require_permission(
        session, shop_id=shop_id, user_id=actor_id, permission=Permission.MANAGE_STAFF
    )
    rows = await session.scalars(
        select(ShopStaff).where(ShopStaff.shop_id == shop_id).order_by(ShopStaff.added_at)
    )
    return list(rows)


async def remove_staff(session: AsyncSession, *, shop_id: int, actor_id: int, user_id: int) -> None:
    actor_role = await require_permission(
        session, shop_id=shop_id, user_id=actor_id, permission=Permission.MANAGE_STAFF
    )
    staff = await session.get(ShopStaff, (shop_id, user_id))
    if staff is None:
        raise NotFound("staff member", user_id)
    if staff.role == StaffRole.OWNER:
        raise Conflict(ShopError.CANNOT_CHANGE_OWNER, "the owner cannot be removed")
    if staff.role == StaffRole.ADMIN and actor_role != StaffRole.OWNER:
        raise Forbidden("only the owner removes admins")
    await session.delete(staff)


async def shops_of(session: AsyncSession, user_id: int) -> list[tuple[Shop, StaffRole]]:
    rows = await session.execute(
        select(Shop, ShopStaff.role)
        .join(ShopStaff, ShopStaff.shop_id == Shop.id)
        .where(ShopStaff.user_id == user_id)
    )
    return [(shop, StaffRole(role)) for shop, role in rows]
