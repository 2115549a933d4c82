"""After-sales: refunds, returns, disputes, guarantees and their ledger. Other contexts use this."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.aftersale import offers, outcomes
from trustlive.aftersale.domain import Guarantee, Kind, Payer, Reason
from trustlive.aftersale.events import (
    AftersaleRequestDecided,
    AftersaleRequestOpened,
    DisputeDecided,
    DisputeOpened,
    GuaranteePaid,
    RefundPaid,
)
from trustlive.aftersale.policy import Policy, load_policy


async def set_tier_guarantees(
    session: AsyncSession,
    *,
    shop_id: int,
    guarantees: set[str],
    policy_version: str,
    now: datetime,
    may_opt_in: set[str] | None = None,
) -> None:
    """The trust side grants (and revokes) the score-unlocked guarantees of a shop, and the ones
    its tier lets it choose (`may_opt_in`)."""
    await offers.set_tier_guarantees(
        session,
        shop_id=shop_id,
        guarantees=guarantees,
        may_opt_in=may_opt_in or set(),
        policy_version=policy_version,
        now=now,
        policy=load_policy(),
    )


async def shop_guarantees(session: AsyncSession, shop_id: int) -> list[tuple[Guarantee, str]]:
    """What the shop offers now: (guarantee, source) with source mandatory | opt_in | tier."""
    return await offers.shop_guarantees(session, shop_id, load_policy())


async def refunded_and_disputed(
    session: AsyncSession, order_ids: Collection[int]
) -> tuple[set[int], set[int]]:
    """Of `order_ids`: those with a refund paid, and those taken to the platform as a dispute."""
    return await outcomes.refunded_and_disputed(session, order_ids)


__all__ = [
    "AftersaleRequestDecided",
    "AftersaleRequestOpened",
    "DisputeDecided",
    "DisputeOpened",
    "Guarantee",
    "GuaranteePaid",
    "Kind",
    "Payer",
    "Policy",
    "Reason",
    "RefundPaid",
    "load_policy",
    "refunded_and_disputed",
    "set_tier_guarantees",
    "shop_guarantees",
]
