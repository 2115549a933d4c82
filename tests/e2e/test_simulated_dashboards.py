"""A small simulated market read through the dashboards: every figure matches a direct recount."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import distinct, func, select

from tests.support.api import Api
from trustlive.accounts.models import Follow, User
from trustlive.kernel.clock import FixedClock
from trustlive.orders.models import Order
from trustlive.shops.models import Shop
from trustlive.sim.driver import PASSWORD
from trustlive.sim.launch import run_in_process
from trustlive.sim.run import SimConfig

CONFIG = SimConfig(days=2, buyers=80, shops=4, seed=3)


async def test_dashboards_of_a_simulated_market_match_a_recount(
    api: Api, clock: FixedClock
) -> None:
    start = clock.now().replace(hour=0)
    summary, _ = await run_in_process(replace(CONFIG, start=start), api.runtime, clock)
    clock.set(start + timedelta(days=2, hours=1))
    operator = await api.operator()

    board = (
        await api.client.get("/api/v1/operator/dashboard?window=7d", headers=operator.auth)
    ).json()
    async with api.runtime.sessions() as session:
        paid = Order.paid_at.is_not(None)
        orders, gmv, buyers = (
            await session.execute(
                select(
                    func.count(Order.id),
                    func.sum(Order.total_fen),
                    func.count(distinct(Order.buyer_id)),
                ).where(paid)
            )
        ).one()
        top_shop, top_gmv = (
            await session.execute(
                select(Order.shop_id, func.sum(Order.total_fen))
                .where(paid)
                .group_by(Order.shop_id)
                .order_by(func.sum(Order.total_fen).desc())
                .limit(1)
            )
        ).one()
        owner = await session.scalar(
            select(User.username).join(Shop, Shop.owner_id == User.id).where(Shop.id == top_shop)
        )
        owner_id = await session.scalar(select(Shop.owner_id).where(Shop.id == top_shop))
        per_session = (
            await session.execute(
                select(
                    Order.live_session_id,
                    func.sum(Order.total_fen),
                    func.count(Order.id),
                    func.count(distinct(Order.buyer_id)),
                )
                .where(paid, Order.shop_id == top_shop, Order.live_session_id.is_not(None))
                .group_by(Order.live_session_id)
            )
        ).all()
        sessions = sorted(
            ((int(sid or 0), int(gmv_fen), n, who) for sid, gmv_fen, n, who in per_session),
            key=lambda r: (-r[1], r[0]),
        )
        fans = await session.scalar(
            select(func.count()).select_from(Follow).where(Follow.followee_id == owner_id)
        )
        shop_orders = (
            await session.execute(
                select(Order.buyer_id, func.count(Order.id))
                .where(paid, Order.shop_id == top_shop)
                .group_by(Order.buyer_id)
            )
        ).all()
    assert (board["totals"]["paid_orders"], board["totals"]["gmv_fen"]) == (orders, gmv)
    assert (orders, gmv) == (summary.orders_paid, summary.gmv_fen)
    assert board["totals"]["buyers"] == buyers
    assert board["monthly_active_buyers"] == buyers
    assert board["totals"]["new_buyers"] == buyers  # nobody bought before the simulation
    assert board["mutual_follow_pairs"] == summary.mutual_follow_pairs
    assert sum(p["paid_orders"] for p in board["series"]) == orders
    assert (board["top_shops"][0]["shop_id"], board["top_shops"][0]["gmv_fen"]) == (
        str(top_shop),
        top_gmv,
    )

    login = await api.client.post(
        "/api/v1/sessions", json={"username": owner, "password": PASSWORD}
    )
    seller = {"Authorization": f"Bearer {login.json()['token']}"}
    shop = (
        await api.client.get(f"/api/v1/shops/{top_shop}/dashboard?window=30d", headers=seller)
    ).json()
    repeat = sum(1 for _, n in shop_orders if n >= 2)
    assert shop["totals"]["gmv_fen"] == top_gmv
    assert shop["totals"]["buyers"] == len(shop_orders)
    assert shop["totals"]["repurchase_rate_bp"] == repeat * 10_000 // len(shop_orders)
    assert shop["fans"] == fans
    assert [
        (int(x["live_session_id"]), x["gmv_fen"], x["paid_orders"], x["buyers"])
        for x in shop["sessions"]
    ] == sessions  # the room's sessions, largest GMV first
