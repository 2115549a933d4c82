"""Concurrent first top-ups of a shop's deposit: one account, both amounts, no lost update."""

from __future__ import annotations

import asyncio

from tests.support.aftersale import Trust
from tests.support.api import Api
from trustlive.aftersale import ledger
from trustlive.aftersale.models import DepositAccount, DepositEntry
from trustlive.aftersale.policy import load_policy
from trustlive.kernel.db import unit_of_work


async def test_six_concurrent_first_top_ups_all_count(api: Api) -> None:
    t = Trust(api)
    listed = await t.product()
    rt = api.runtime

    async def top_up(amount: int) -> None:
        async with unit_of_work(rt.sessions) as session:
            await ledger.top_up(
                session, shop_id=int(listed.shop_id), actor_id=int(listed.owner.id),
                amount_fen=amount, policy=load_policy(), now=rt.clock.now(),
            )  # fmt: skip

    await asyncio.gather(*(top_up(100 * (n + 1)) for n in range(6)))

    assert await t.balance(listed) == 2100
    assert await api.count(DepositAccount) == 1
    assert await api.count(DepositEntry) == 6
