"""A buyer's saved shipping addresses: add, change, delete, pick the default. Owner only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.accounts import domain
from trustlive.accounts.models import Address
from trustlive.kernel.errors import NotFound
from trustlive.kernel.ids import new_id


@dataclass(frozen=True)
class AddressFields:
    recipient: str
    phone: str
    province: str
    city: str
    district: str
    detail: str


async def list_addresses(session: AsyncSession, *, user_id: int) -> list[Address]:
    """The default first, then newest first."""
    rows = await session.scalars(
        select(Address)
        .where(Address.user_id == user_id)
        .order_by(Address.is_default.desc(), Address.id.desc())
    )
    return list(rows)


async def owned_address(session: AsyncSession, *, user_id: int, address_id: int) -> Address:
    """Someone else's address is "not found": its existence is not theirs to learn."""
    address = await session.get(Address, address_id)
    if address is None or address.user_id != user_id:
        raise NotFound("address", address_id)
    return address


async def _make_default(session: AsyncSession, address: Address) -> None:
    await session.execute(
        update(Address)
        .where(Address.user_id == address.user_id, Address.id != address.id)
        .values(is_default=False)
    )
    address.is_default = True


async def add_address(
    session: AsyncSession,
    *,
    user_id: int,
    fields: AddressFields,
    make_default: bool,
    now: datetime,
) -> Address:
    """The first address saved is the default whatever the caller says."""
    saved = await session.scalar(
        select(func.count()).select_from(Address).where(Address.user_id == user_id)
    )
    domain.check_address_room(int(saved or 0))
    address = Address(id=new_id(), user_id=user_id, created_at=now, **fields.__dict__)
    session.add(address)
    await session.flush()
    if make_default or not saved:
        await _make_default(session, address)
    await session.flush()
    return address


async def change_address(
    session: AsyncSession,
    *,
    user_id: int,
    address_id: int,
    changes: dict[str, str],
    make_default: bool,
) -> Address:
    """`changes` holds only the fields the buyer changed; a default is never unset directly,
    only replaced by making another address the default."""
    address = await owned_address(session, user_id=user_id, address_id=address_id)
    for name, value in changes.items():
        setattr(address, name, value)
    if make_default:
        await _make_default(session, address)
    await session.flush()
    return address


async def delete_address(session: AsyncSession, *, user_id: int, address_id: int) -> None:
    address = await owned_address(session, user_id=user_id, address_id=address_id)
    was_default = address.is_default
    await session.delete(address)
    await session.flush()
    remaining = await session.scalars(
        select(Address.id).where(Address.user_id == user_id).order_by(Address.id.desc())
    )
    successor = domain.default_after_removal(list(remaining), was_default)
    if successor is not None:
        await session.execute(
            update(Address).where(Address.id == successor).values(is_default=True)
        )
