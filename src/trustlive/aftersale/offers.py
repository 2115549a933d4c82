"""Which guarantees a shop offers: mandatory ones, those it opted into, those its tier unlocked."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import catalog, shops
from trustlive.aftersale.domain import Guarantee
from trustlive.aftersale.errors import AftersaleError
from trustlive.aftersale.guarantees import guarantees_for_product
from trustlive.aftersale.models import GuaranteeUnlock, ShopGuarantee
from trustlive.aftersale.policy import Policy
from trustlive.kernel.errors import NotFound, Problem
from trustlive.kernel.locks import lock_for_transaction

OPT_IN, TIER = "opt_in", "tier"


async def offered(session: AsyncSession, shop_id: int, policy: Policy) -> frozenset[Guarantee]:
    rows = await session.scalars(
        select(ShopGuarantee.guarantee).where(ShopGuarantee.shop_id == shop_id)
    )
    return policy.mandatory | {Guarantee(g) for g in rows}


async def offered_at(
    session: AsyncSession, shop_id: int, guarantee: Guarantee, at: datetime, policy: Policy
) -> bool:
    """Whether the shop offered `guarantee` at `at` and still does: a promise covers only what
    was bought while it was on the page, not orders paid before the shop opted in."""
    if guarantee in policy.mandatory:
        return True
    since = await session.scalar(
        select(ShopGuarantee.since).where(
            ShopGuarantee.shop_id == shop_id, ShopGuarantee.guarantee == guarantee
        )
    )
    return since is not None and since <= at


async def shop_guarantees(
    session: AsyncSession, shop_id: int, policy: Policy
) -> list[tuple[Guarantee, str]]:
    """Each guarantee the shop offers now, with why: mandatory, opt_in or tier."""
    rows = await session.scalars(select(ShopGuarantee).where(ShopGuarantee.shop_id == shop_id))
    found = [(Guarantee(g), "mandatory") for g in sorted(policy.mandatory)]
    found += [(Guarantee(r.guarantee), r.source) for r in rows]
    return sorted(found)


async def _replace(
    session: AsyncSession,
    *,
    shop_id: int,
    source: str,
    wanted: set[Guarantee],
    allowed: frozenset[Guarantee],
    policy_version: str,
    now: datetime,
) -> None:
    """Make `wanted` the shop's guarantees from this source; rows of the other source stay.

    Two changes to one shop's guarantees (two staff, or staff and a tier change) queue on the
    shop's lock: the later one reads what the earlier committed and replaces it whole.
    """
    not_allowed = sorted(wanted - allowed)
    if not_allowed:
        raise Problem(
            AftersaleError.GUARANTEE_NOT_OPTIONAL,
            f"{not_allowed[0]} cannot be set this way; choose from {', '.join(sorted(allowed))}",
            status=422,
        )
    await lock_for_transaction(session, scope=ShopGuarantee.__tablename__, key=shop_id)
    rows = {
        r.guarantee: r
        for r in await session.scalars(
            select(ShopGuarantee).where(ShopGuarantee.shop_id == shop_id)
        )
    }
    gone = sorted(g for g, r in rows.items() if r.source == source and g not in wanted)
    if gone:
        await session.execute(
            delete(ShopGuarantee).where(
                ShopGuarantee.shop_id == shop_id, ShopGuarantee.guarantee.in_(gone)
            )
        )
    for guarantee in sorted(wanted):
        if guarantee.value not in rows:
            session.add(
                ShopGuarantee(
                    shop_id=shop_id,
                    guarantee=guarantee,
                    source=source,
                    since=now,
                    policy_version=policy_version,
                )
            )
    await session.flush()


async def opt_in_choices(
    session: AsyncSession, shop_id: int, policy: Policy
) -> frozenset[Guarantee]:
    """What the shop may choose to offer: the policy's opt-ins, and those its tier unlocked."""
    unlocked = await session.scalars(
        select(GuaranteeUnlock.guarantee).where(GuaranteeUnlock.shop_id == shop_id)
    )
    return policy.opt_in | (policy.tier_opt_in & {Guarantee(g) for g in unlocked})


async def set_opt_in(
    session: AsyncSession,
    *,
    shop_id: int,
    actor_id: int,
    wanted: set[Guarantee],
    policy: Policy,
    now: datetime,
) -> None:
    await shops.require_permission(
        session, shop_id=shop_id, user_id=actor_id, permission=shops.Permission.MANAGE_SHOP
    )
    await lock_for_transaction(session, scope=ShopGuarantee.__tablename__, key=shop_id)
    allowed = await opt_in_choices(session, shop_id, policy)
    locked = sorted((wanted & policy.tier_opt_in) - allowed)
    if locked:
        raise Problem(
            AftersaleError.GUARANTEE_NEEDS_TIER,
            f"{locked[0]} may be offered only by shops whose tier allows it; raise the shop's "
            "score (see the tiers' may_opt_in in the score policy)",
            status=422,
        )
    await _replace(
        session,
        shop_id=shop_id,
        source=OPT_IN,
        wanted=wanted,
        allowed=allowed,
        policy_version=policy.version,
        now=now,
    )


async def set_tier_guarantees(
    session: AsyncSession,
    *,
    shop_id: int,
    guarantees: set[str],
    policy_version: str,
    now: datetime,
    policy: Policy,
    may_opt_in: set[str] | None = None,
) -> None:
    """The trust side grants (and revokes) the guarantees a shop's tier unlocks.

    Any guarantee may be unlocked by a tier; mandatory ones are on anyway and are ignored; one the
    shop opted into stays when its tier no longer grants it, unless it is one only a tier lets a
    shop choose (`may_opt_in`): losing that tier withdraws it.
    """
    await shops.get_shop(session, shop_id)
    await _set_unlocks(
        session,
        shop_id=shop_id,
        may_opt_in=set(may_opt_in or ()),
        policy=policy,
        policy_version=policy_version,
        now=now,
    )
    unknown = sorted(set(guarantees) - {g.value for g in Guarantee})
    if unknown:
        raise Problem(
            AftersaleError.GUARANTEE_NOT_OPTIONAL, f"unknown guarantee {unknown[0]}", status=422
        )
    await _replace(
        session,
        shop_id=shop_id,
        source=TIER,
        wanted={Guarantee(g) for g in guarantees} - policy.mandatory,
        allowed=frozenset(Guarantee) - policy.mandatory,
        policy_version=policy_version,
        now=now,
    )


async def _set_unlocks(
    session: AsyncSession,
    *,
    shop_id: int,
    may_opt_in: set[str],
    policy: Policy,
    policy_version: str,
    now: datetime,
) -> None:
    await lock_for_transaction(session, scope=ShopGuarantee.__tablename__, key=shop_id)
    unlocked = {g for g in policy.tier_opt_in if g.value in may_opt_in}
    rows = {
        r.guarantee: r
        for r in await session.scalars(
            select(GuaranteeUnlock).where(GuaranteeUnlock.shop_id == shop_id)
        )
    }
    gone = sorted(g for g in rows if g not in unlocked)
    if gone:
        await session.execute(
            delete(GuaranteeUnlock).where(
                GuaranteeUnlock.shop_id == shop_id, GuaranteeUnlock.guarantee.in_(gone)
            )
        )
    withdrawn = sorted(policy.tier_opt_in - unlocked)
    await session.execute(
        delete(ShopGuarantee).where(
            ShopGuarantee.shop_id == shop_id,
            ShopGuarantee.source == OPT_IN,
            ShopGuarantee.guarantee.in_(withdrawn),
        )
    )
    for guarantee in sorted(unlocked):
        if guarantee.value not in rows:
            session.add(
                GuaranteeUnlock(
                    shop_id=shop_id, guarantee=guarantee, since=now, policy_version=policy_version
                )
            )
    await session.flush()


async def product_guarantees(
    session: AsyncSession, *, product_id: int, policy: Policy
) -> tuple[int, list[Guarantee]]:
    facts = await catalog.product_facts(session, product_id)
    if not facts.listed:
        raise NotFound("product", product_id)
    category = catalog.CATEGORIES.get(facts.category)
    shown = guarantees_for_product(
        await offered(session, facts.shop_id, policy),
        category_allows_seven_day=bool(category and category.seven_day_return),
    )
    return facts.shop_id, shown
