"""The demo marketplace: thirty simulated days of history made by the simulator through the real
service layer, then logins a newcomer can use and the most popular shops live in their rooms.

History runs on a FixedClock that ends where the real clock is now, so the dashboards' "last 30
days" show the simulated month; what follows (logins, sessions, the living loop) runs on real time.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from trustlive.accounts import service as accounts
from trustlive.accounts.models import User
from trustlive.catalog import service as catalog
from trustlive.kernel.auth import Role
from trustlive.kernel.clock import FixedClock
from trustlive.kernel.db import unit_of_work
from trustlive.kernel.runtime import Runtime
from trustlive.live import pins as live_pins
from trustlive.live import rooms as live_rooms
from trustlive.live import wiring as live_wiring
from trustlive.shops import service as shops
from trustlive.shops.domain import StaffRole
from trustlive.sim import launch, traits, world
from trustlive.sim.driver import PASSWORD
from trustlive.sim.market import SimConfig, Summary
from trustlive.sim.sqlite_same_thread import same_thread_engine

DEMO_PASSWORD = PASSWORD  # every demo account, simulated or not, logs in with this
OPERATOR = "operator"
STAFF_SUFFIX = "_kefu"


@dataclass(frozen=True)
class DemoWorld:
    """How big the simulated history is: small, so that the demo starts in seconds."""

    days: int = 30
    buyers: int = 20
    shops: int = 4
    live_shops: int = 3
    seed: int = 7

    def config(self, now: datetime) -> SimConfig:
        end = now.replace(minute=0, second=0, microsecond=0)
        return SimConfig(
            days=self.days,
            buyers=self.buyers,
            shops=self.shops,
            seed=self.seed,
            start=end - timedelta(days=self.days),
        )


@dataclass
class Demo:
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, note
    live_shop_ids: list[int] = field(default_factory=list)
    summary: Summary | None = None
    history_seconds: float = 0.0


async def is_seeded(rt: Runtime) -> bool:
    async with rt.sessions() as session:
        return bool(await session.scalar(select(func.count()).select_from(User)))


async def simulate_history(url: str, size: DemoWorld, now: datetime) -> Summary:
    """Run the simulator in-process on the demo's SQLite file, its clock ending at `now`."""
    config = size.config(now)
    clock = FixedClock(config.start)
    runtime = Runtime.build(
        launch.simulation_settings(url), clock=clock, engine=same_thread_engine(url)
    )
    try:
        summary, _truth = await launch.run_in_process(config, runtime, clock)
    finally:
        await runtime.close()
    return summary


def _popular_first(size: DemoWorld) -> list[traits.MerchantTraits]:
    """The simulated merchants, most popular room first (the same draw the simulator made)."""
    population = traits.generate(size.seed, buyers=size.buyers, shops=size.shops)
    graph = world.build(population, size.seed)
    return sorted(population.merchants, key=lambda m: -graph.popularity[m.index])


async def _user_id(rt: Runtime, username: str) -> int:
    async with rt.sessions() as session:
        user_id = await session.scalar(select(User.id).where(User.username == username))
    if user_id is None:
        raise LookupError(f"the simulated history has no user {username!r}")
    return int(user_id)


async def _register(rt: Runtime, username: str, name: str) -> int:
    async with unit_of_work(rt.sessions) as session:
        user = await accounts.register(
            session,
            password_hash=await rt.passwords.hash(DEMO_PASSWORD),
            username=username,
            display_name=name,
            as_creator=False,
            now=rt.clock.now(),
        )
        return user.id


async def _shop_of(rt: Runtime, owner_id: int) -> tuple[int, str]:
    async with rt.sessions() as session:
        owned = [shop for shop, _role in await shops.shops_of(session, owner_id)]
    return owned[0].id, owned[0].name


async def add_logins(rt: Runtime, size: DemoWorld) -> None:
    """An operator and customer service for the most popular shop; the rest are simulated."""
    operator_id = await _register(rt, OPERATOR, "平台运营")
    async with unit_of_work(rt.sessions) as session:
        await accounts.grant_role(session, user_id=operator_id, role=Role.OPERATOR)
    top = _popular_first(size)[0]
    owner_id = await _user_id(rt, top.username)
    shop_id, _name = await _shop_of(rt, owner_id)
    staff_id = await _register(rt, f"{top.username}{STAFF_SUFFIX}", f"{top.display_name}的客服")
    async with unit_of_work(rt.sessions) as session:
        await shops.add_staff(
            session,
            shop_id=shop_id,
            actor_id=owner_id,
            user_id=staff_id,
            role=StaffRole.CUSTOMER_SERVICE,
            now=rt.clock.now(),
        )


async def demo_logins(rt: Runtime, size: DemoWorld) -> list[tuple[str, str, str, int]]:
    """Who a newcomer can log in as: (username, role, note, user id); the same on every start."""
    top = _popular_first(size)[0]
    owner_id = await _user_id(rt, top.username)
    _shop_id, shop_name = await _shop_of(rt, owner_id)
    staff = f"{top.username}{STAFF_SUFFIX}"
    found = [
        (OPERATOR, "operator", "platform operator", await _user_id(rt, OPERATOR)),
        (top.username, "merchant", f"owner of {shop_name}", owner_id),
        (staff, "shop staff", f"customer service, {shop_name}", await _user_id(rt, staff)),
    ]
    async with rt.sessions() as session:
        fans = sorted(await accounts.follower_ids(session, owner_id))
        if fans:
            fan = await accounts.get_user(session, fans[0])
            note = f"{fan.display_name}, a fan of {shop_name}"
            found.append((fan.username, "buyer", note, fan.id))
    return found


async def go_live(rt: Runtime, size: DemoWorld, demo: Demo) -> None:
    """The most popular shops are live now: products pinned, the first one in the spotlight."""
    channel = live_wiring.channel_of(rt)
    for merchant in _popular_first(size)[: size.live_shops]:
        owner_id = await _user_id(rt, merchant.username)
        shop_id, shop_name = await _shop_of(rt, owner_id)
        async with unit_of_work(rt.sessions) as session:
            room = await live_rooms.shop_room(session, shop_id=shop_id, now=rt.clock.now())
            started = await live_rooms.start_session(
                session,
                room_id=room.id,
                user_id=owner_id,
                title=f"{shop_name} 直播中",
                cover_url=None,
                hls_url=None,
                channel=channel,
                now=rt.clock.now(),
            )
            views = await catalog.list_shop_products(
                session, shop_id=shop_id, viewer_id=None, status=None, before=None, limit=20
            )
            pins = []
            for view in reversed(views):
                pins = await live_pins.pin_product(
                    session,
                    session_id=started.id,
                    user_id=owner_id,
                    product_id=view.product.id,
                    channel=channel,
                    now=rt.clock.now(),
                )
            if pins:
                await live_pins.set_spotlight(
                    session,
                    session_id=started.id,
                    user_id=owner_id,
                    pin_id=pins[0].id,
                    channel=channel,
                )
        demo.live_shop_ids.append(shop_id)


async def seed_demo(rt: Runtime, size: DemoWorld | None = None) -> Demo:
    """Fill the (migrated, empty) database behind `rt`: history, logins, live rooms. Call once."""
    size = size or DemoWorld()
    demo = Demo()
    started = time.perf_counter()
    demo.summary = await simulate_history(rt.settings.database_url, size, rt.clock.now())
    demo.history_seconds = time.perf_counter() - started
    await add_logins(rt, size)
    await go_live(rt, size, demo)
    demo.logins = [login[:3] for login in await demo_logins(rt, size)]
    await rt.dispatcher.run_once()
    return demo
