"""Two staff change one shop's guarantees at the same instant: both succeed, the later one wins."""

from __future__ import annotations

import asyncio

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from tests.support.api import Api, User
from trustlive.aftersale import offers
from trustlive.aftersale.domain import Guarantee
from trustlive.aftersale.models import ShopGuarantee
from trustlive.aftersale.policy import load_policy
from trustlive.kernel.runtime import Runtime

FAST, FREIGHT = Guarantee.FAST_SHIPPING, Guarantee.RETURN_SHIPPING_REFUND
WAITING = text(
    "SELECT count(*) FROM pg_stat_activity"
    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
)


async def staffed_shop(api: Api) -> tuple[str, User, User]:
    owner, admin = await api.user(), await api.user()
    shop_id = await api.shop(owner)
    r = await api.client.post(
        f"/api/v1/shops/{shop_id}/staff",
        json={"user_id": admin.id, "role": "admin"},
        headers=owner.auth,
    )
    assert r.status_code == 201, r.text
    return shop_id, owner, admin


async def opted_in(runtime: Runtime, shop_id: str) -> set[str]:
    async with runtime.sessions() as session:
        rows = await session.scalars(
            select(ShopGuarantee.guarantee).where(ShopGuarantee.shop_id == int(shop_id))
        )
        return set(rows)


async def until_one_waits(runtime: Runtime) -> None:
    """Returns once a transaction waits on another's lock. SQLite queues whole transactions
    (BEGIN IMMEDIATE), where a pause lets the second one reach its queue."""
    if runtime.settings.is_sqlite:
        await asyncio.sleep(0.1)
        return
    for _ in range(300):
        async with runtime.engine.connect() as conn:
            if await conn.scalar(WAITING):
                return
        await asyncio.sleep(0.01)
    raise AssertionError("the second change never waited for the first")


async def change_overlapping_the_open_one(
    runtime: Runtime, shop_id: str, owner: User, admin: User, first: set[Guarantee],
    second: set[Guarantee],
) -> None:  # fmt: skip
    """The owner's change is written but not committed when the admin's starts."""
    policy = load_policy()

    async def change(session: AsyncSession, actor: User, wanted: set[Guarantee]) -> None:
        await offers.set_opt_in(
            session, shop_id=int(shop_id), actor_id=int(actor.id), wanted=wanted, policy=policy,
            now=runtime.clock.now(),
        )  # fmt: skip

    async with runtime.sessions() as owners, runtime.sessions() as admins:
        await change(owners, owner, first)

        async def admins_change() -> None:
            await change(admins, admin, second)
            await admins.commit()

        later = asyncio.create_task(admins_change())
        await until_one_waits(runtime)
        await owners.commit()
        await later


async def test_the_same_guarantee_chosen_twice_at_once_is_stored_once(api: Api) -> None:
    shop_id, owner, admin = await staffed_shop(api)

    await change_overlapping_the_open_one(
        api.runtime, shop_id, owner, admin, first={FAST}, second={FAST, FREIGHT}
    )

    assert await opted_in(api.runtime, shop_id) == {FAST, FREIGHT}
    assert await api.count(ShopGuarantee) == 2


async def test_the_later_of_two_changes_replaces_the_earlier_whole(api: Api) -> None:
    shop_id, owner, admin = await staffed_shop(api)

    await change_overlapping_the_open_one(
        api.runtime, shop_id, owner, admin, first={FAST}, second={FREIGHT}
    )

    assert await opted_in(api.runtime, shop_id) == {FREIGHT}


async def test_staff_putting_guarantees_at_once_all_get_an_answer(api: Api) -> None:
    shop_id, owner, admin = await staffed_shop(api)
    url = f"/api/v1/shops/{shop_id}/guarantees"
    choices = [[FAST], [FAST, FREIGHT]]

    answers = await asyncio.gather(
        *(
            api.client.put(url, json={"opt_in": choices[n % 2]}, headers=who.auth)
            for n, who in enumerate([owner, admin] * 4)
        )
    )

    assert [r.status_code for r in answers] == [200] * 8, [r.text for r in answers]
    assert await opted_in(api.runtime, shop_id) in ({FAST}, {FAST, FREIGHT})
