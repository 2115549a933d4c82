"""Risk reacts to registrations and logins (their identifiers; a closed account's identifier on
a new account opens a case) and to placed orders the inline check did not see (a flash sale's
held orders), so the scheduled detectors see every order."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import accounts, orders
from trustlive.kernel.ids import new_id
from trustlive.kernel.outbox import HandlerRegistry, event_recorded_at
from trustlive.risk import cases
from trustlive.risk.domain import Detector, SubjectKind
from trustlive.risk.inline import InlineOrderCheck
from trustlive.risk.models import BannedIdentifier, LoginIdentity, OrderIdentity

E = TypeVar("E")
Handler = Callable[[AsyncSession, E], Awaitable[None]]


async def _record_login(
    session: AsyncSession,
    *,
    account_id: int,
    event: str,
    device: str | None,
    ip: str | None,
) -> None:
    now = event_recorded_at()
    session.add(
        LoginIdentity(
            id=new_id(), account_id=account_id, event=event, device=device, ip=ip, seen_at=now
        )
    )
    if device is None:
        return
    banned = await session.scalar(
        select(BannedIdentifier).where(
            BannedIdentifier.kind == "device", BannedIdentifier.digest == device
        )
    )
    if banned is None or banned.account_id == account_id:
        return
    if banned.expires_at is not None and banned.expires_at <= now:
        return
    await cases.attach(
        session,
        kind=SubjectKind.ACCOUNT,
        subject_id=account_id,
        finding=cases.Finding(
            detector=Detector.BANNED_IDENTIFIER,
            key=f"banned:device:{banned.account_id}",
            summary=f"{event} from the device of closed account {banned.account_id}",
            detail={
                "kind": "device",
                "closed_account": str(banned.account_id),
                "accounts": [str(account_id)],
            },
        ),
        now=now,
    )


def record_login(check: InlineOrderCheck) -> Handler[accounts.UserSignedIn]:
    async def record_login(session: AsyncSession, event: accounts.UserSignedIn) -> None:
        await _record_login(
            session,
            account_id=event.user_id,
            event="login",
            device=event.device_digest,
            ip=event.address_digest,
        )
        check.note_login(event.user_id, event.device_digest, event_recorded_at())

    return record_login


async def record_registration(session: AsyncSession, event: accounts.UserRegistered) -> None:
    await _record_login(
        session,
        account_id=event.user_id,
        event="register",
        device=event.device_digest,
        ip=event.address_digest,
    )


async def record_unchecked_order(session: AsyncSession, event: orders.OrderPlaced) -> None:
    if await session.get(OrderIdentity, event.order_id) is not None:
        return  # the inline check saw it
    session.add(
        OrderIdentity(
            order_id=event.order_id,
            buyer_id=event.buyer_id,
            shop_id=event.shop_id,
            total_fen=event.total_fen,
            device=None,
            ip=None,
            address=None,
            payment=None,
            phone=None,
            outcome="unchecked",
            rule="",
            placed_at=event_recorded_at(),
        )
    )


def register(registry: HandlerRegistry, check: InlineOrderCheck) -> None:
    registry.subscribe(accounts.UserRegistered, record_registration, name="risk.identifiers")
    registry.subscribe(accounts.UserSignedIn, record_login(check), name="risk.identifiers")
    registry.subscribe(orders.OrderPlaced, record_unchecked_order, name="risk.orders")
