"""The seams other issues fill: risk exclusions, creator attribution, guarantee grants."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession


class RatingExclusion(Protocol):
    """Risk control's verdicts: accounts and orders whose orders, ratings, after-sales and
    messages every score leaves out. A verdict counts for live events from the moment it is
    given and for past events from the next full recompute (which folds history again)."""

    async def excluded_accounts(self, session: AsyncSession) -> set[int]: ...

    async def excluded_orders(self, session: AsyncSession) -> set[int]: ...


class ExcludeNobody:
    async def excluded_accounts(self, session: AsyncSession) -> set[int]:
        return set()

    async def excluded_orders(self, session: AsyncSession) -> set[int]:
        return set()


class CreatorAttribution(Protocol):
    """Which creator sold in a live room (live rooms and distribution fill this in)."""

    async def creators_of_rooms(
        self, session: AsyncSession, room_ids: set[int]
    ) -> dict[int, int]: ...


class NoAttribution:
    async def creators_of_rooms(self, session: AsyncSession, room_ids: set[int]) -> dict[int, int]:
        return {}


GrantGuarantees = Callable[..., Awaitable[object]]


@dataclass(frozen=True)
class TrustHooks:
    exclusion: RatingExclusion
    attribution: CreatorAttribution
    # aftersale.set_tier_guarantees(session, *, shop_id, guarantees, may_opt_in, policy_version,
    # now)
    grant_guarantees: GrantGuarantees | None = None


async def grant(
    hooks: TrustHooks,
    session: AsyncSession,
    *,
    shop_id: int,
    guarantees: set[str],
    may_opt_in: set[str],
    policy_version: str,
    now: datetime,
) -> None:
    if hooks.grant_guarantees is not None:
        await hooks.grant_guarantees(
            session,
            shop_id=shop_id,
            guarantees=guarantees,
            may_opt_in=may_opt_in,
            policy_version=policy_version,
            now=now,
        )
