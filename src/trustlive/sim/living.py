"""The living demo: simulated people in the live rooms at human pace, inside the server's process.

Every room that is live when the loop starts (and every one that goes live later) gets viewers who
arrive and leave, comments, a spotlight that moves along the cart, purchases and now and then a
flash sale. Everything goes through the same service functions the HTTP API calls, so purchases
reach the room's feed through the paid-order event like anyone else's, and a person logged in as
a demo buyer can buy in the same room at the same time.

Each kind of action happens at random moments around a mean interval (a Poisson process); `Pace`
holds the means at human speed and `speed` divides them all, so a test can run the same life
twenty times faster. The random draws come from one seeded generator.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta

from trustlive import accounts, orders
from trustlive.accounts.service import principal_of
from trustlive.kernel.db import unit_of_work
from trustlive.kernel.errors import Problem
from trustlive.kernel.runtime import Runtime
from trustlive.kernel.tasks import stop_tasks
from trustlive.live import comments as live_comments
from trustlive.live import pins as live_pins
from trustlive.live import room_orders
from trustlive.live import rooms as live_rooms
from trustlive.live.channel.hub import Viewer
from trustlive.live.domain import CommentPolicy
from trustlive.live.flash import sale as flash_sale
from trustlive.live.flash.gate import gate_of
from trustlive.live.router import moderator_of
from trustlive.live.wiring import channel_of
from trustlive.orders import payments

log = logging.getLogger(__name__)

KINDS = ("arrival", "comment", "spotlight", "purchase", "flash_sale")
COMMENTS = (
    "主播好!",
    "这个还有货吗?",
    "已拍, 期待发货",
    "上次买的很好, 回购了",
    "老铁们冲!",
    "能便宜点吗",
    "包邮吗?",
    "看起来不错",
    "{title} 怎么样?",
    "刚下单了 {title}",
    "{title} 有优惠吗?",
)
CITIES = (
    ("浙江省", "杭州市", "西湖区"),
    ("广东省", "广州市", "天河区"),
    ("四川省", "成都市", "武侯区"),
    ("江西省", "赣州市", "章贡区"),
)


@dataclass(frozen=True)
class Pace:
    """Mean seconds between actions in one room at human speed; `speed` divides every one."""

    speed: float = 1.0
    arrival: float = 4.0
    stay: float = 120.0
    comment: float = 6.0
    spotlight: float = 45.0
    purchase: float = 20.0
    flash_sale: float = 300.0
    flash_length: float = 90.0
    first_viewers: int = 6  # admitted at once, so a newcomer never finds an empty room
    max_viewers: int = 60
    unpaid_share: float = 0.1  # some buyers never pay, as in life; the order times out
    rescan: float = 30.0  # look for rooms that went live or ended

    def mean(self, kind: str) -> float:
        seconds: float = getattr(self, kind)
        return seconds / self.speed

    @property
    def tick(self) -> float:
        return max(0.05, min(0.5, 0.5 / self.speed))


@dataclass(frozen=True)
class Offer:
    pin_id: int
    title: str
    sku_id: int
    price_fen: int


@dataclass
class LiveRoom:
    room_id: int
    session_id: int
    owner_id: int
    fans: list[int]
    offers: list[Offer] = field(default_factory=list)
    present: dict[int, tuple[Viewer, float]] = field(default_factory=dict)  # user → (viewer, leave)
    due: dict[str, float] = field(default_factory=dict)
    spotlight: int = 0
    flash: tuple[int, float] | None = None  # (flash sale id, loop time it ends)


class LivingMarket:
    """The loop; `run` until cancelled, then every simulated viewer leaves."""

    def __init__(
        self, rt: Runtime, *, pace: Pace, seed: int = 11, reserved: frozenset[int] = frozenset()
    ) -> None:
        self.rt = rt
        self.pace = pace
        self.rng = random.Random(seed)
        self.reserved = reserved  # accounts people log in as: never acted for
        self.rooms: dict[int, LiveRoom] = {}
        self.crowd: list[int] = []
        self.names: dict[int, str] = {}
        self.counts: dict[str, int] = dict.fromkeys(KINDS, 0)
        self._loop = asyncio.get_running_loop()
        self.stopping = asyncio.Event()  # set when the demo shuts down

    def _next(self, kind: str) -> float:
        return self._loop.time() + self.rng.expovariate(1.0 / self.pace.mean(kind))

    async def run(self) -> None:
        next_scan = 0.0
        try:
            while not self.stopping.is_set():
                now = self._loop.time()
                if now >= next_scan:
                    await self._scan()
                    next_scan = now + self.pace.rescan / self.pace.speed
                for room in list(self.rooms.values()):
                    await self._step(room, now)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stopping.wait(), timeout=self.pace.tick)
        finally:
            self._everyone_leaves()

    async def _scan(self) -> None:
        """Join rooms that went live; forget sessions that ended."""
        now = self.rt.clock.now()
        async with self.rt.sessions() as session:  # one read; SQLite allows one transaction
            live = await live_rooms.list_live_rooms(session, limit=20)
            self.crowd = sorted(
                await orders.buyers_paid_before(session, before=now) - self.reserved
            )
            self.names = await accounts.display_names(session, set(self.crowd))
            fans = {
                room.id: await accounts.follower_ids(session, room.owner_user_id)
                for room, _live in live
            }
            found = [(room.id, s.id, room.owner_user_id) for room, s in live]
        current = {}
        for room_id, session_id, owner_id in found:
            known = self.rooms.get(room_id)
            if known is None or known.session_id != session_id:
                known = await self._enter(room_id, session_id, owner_id)
                known.fans = sorted(fans[room_id] & set(self.crowd))
            current[room_id] = known
        for room_id, gone in self.rooms.items():
            if current.get(room_id) is not gone:
                self._empty(gone)
        self.rooms = current

    async def _enter(self, room_id: int, session_id: int, owner_id: int) -> LiveRoom:
        room = LiveRoom(room_id, session_id, owner_id, fans=[])
        await self._load_offers(room)
        room.due = {kind: self._next(kind) for kind in KINDS}
        room.due["first"] = 0.0
        return room

    async def _load_offers(self, room: LiveRoom) -> None:
        async with self.rt.sessions() as session:
            views = await live_pins.pin_views(
                session, await live_pins.pinned(session, room.session_id)
            )
        room.offers = [
            Offer(v.id, v.title, s.id, s.price_fen) for v in views for s in v.skus if s.stock > 0
        ]

    async def _step(self, room: LiveRoom, now: float) -> None:
        if room.due.pop("first", None) is not None:
            for _ in range(self.pace.first_viewers):
                self._arrive(room, now)
        for user_id, (viewer, leave_at) in list(room.present.items()):
            if leave_at <= now:
                channel_of(self.rt).leave(viewer)
                del room.present[user_id]
        if room.flash is not None and room.flash[1] <= now:
            room.flash = None
        for kind in KINDS:
            while room.due[kind] <= now:
                room.due[kind] = self._next(kind)
                try:
                    await self._act(kind, room, now)
                    self.counts[kind] += 1
                except Problem as refused:  # the platform said no (rate limit, sold out, ended)
                    log.info("living %s in room %s refused: %s", kind, room.room_id, refused)

    async def _act(self, kind: str, room: LiveRoom, now: float) -> None:
        if kind == "arrival":
            self._arrive(room, now)
        elif kind == "comment":
            await self._comment(room)
        elif kind == "spotlight":
            await self._rotate_spotlight(room)
        elif kind == "purchase":
            await self._purchase(room)
        elif kind == "flash_sale":
            await self._flash_sale(room, now)

    def _arrive(self, room: LiveRoom, now: float) -> None:
        if len(room.present) >= self.pace.max_viewers or not self.crowd:
            return
        pool = room.fans if room.fans and self.rng.random() < 0.7 else self.crowd
        user_id = pool[self.rng.randrange(len(pool))]
        if user_id in room.present:
            return
        channel = channel_of(self.rt)
        viewer = channel.join(
            room.room_id,
            user_id=user_id,
            name=accounts.mask_name(self.names.get(user_id, "")),
            badge=None,
            sink=_look_away,
        )
        channel.start_sending(viewer)
        stay = self.rng.expovariate(1.0 / self.pace.mean("stay"))
        room.present[user_id] = (viewer, now + stay)

    def _someone_present(self, room: LiveRoom) -> int | None:
        if not room.present:
            return None
        return self.rng.choice(sorted(room.present))

    async def _comment(self, room: LiveRoom) -> None:
        user_id = self._someone_present(room)
        if user_id is None:
            return
        text = self.rng.choice(COMMENTS)
        if room.offers:
            text = text.format(title=self.rng.choice(room.offers).title)
        async with unit_of_work(self.rt.sessions) as session:
            user = principal_of(await accounts.get_user(session, user_id))
            await live_comments.post_comment(
                session,
                session_id=room.session_id,
                user=user,
                text=text,
                policy=CommentPolicy(),
                moderator=moderator_of(self.rt),
                channel=channel_of(self.rt),
                now=self.rt.clock.now(),
            )

    async def _rotate_spotlight(self, room: LiveRoom) -> None:
        pin_ids = sorted({o.pin_id for o in room.offers})
        if len(pin_ids) < 2:
            return
        room.spotlight = (room.spotlight + 1) % len(pin_ids)
        async with unit_of_work(self.rt.sessions) as session:
            await live_pins.set_spotlight(
                session,
                session_id=room.session_id,
                user_id=room.owner_id,
                pin_id=pin_ids[room.spotlight],
                channel=channel_of(self.rt),
            )

    def _address(self, user_id: int) -> dict[str, str]:
        province, city, district = CITIES[user_id % len(CITIES)]
        return {
            "recipient": self.names.get(user_id, "买家") or "买家",
            "phone": f"138{user_id % 10**8:08d}",
            "province": province,
            "city": city,
            "district": district,
            "detail": f"人民路 {user_id % 300 + 1} 号",
        }

    async def _purchase(self, room: LiveRoom) -> None:
        buyer = self._someone_present(room)
        if buyer is None or not room.offers:
            return
        now = self.rt.clock.now()
        policy = orders.policy_from(self.rt.settings)
        async with unit_of_work(self.rt.sessions) as session:
            if room.flash is not None and self.rng.random() < 0.6:
                user = principal_of(await accounts.get_user(session, buyer))
                view = await flash_sale.buy(
                    session,
                    flash_sale_id=room.flash[0],
                    buyer=user,
                    quantity=1,
                    address=self._address(buyer),
                    policy=policy,
                    channel=channel_of(self.rt),
                    gate=gate_of(self.rt),
                    now=now,
                )
            else:
                offer = self.rng.choice(room.offers)
                view = await room_orders.place_room_order(
                    session,
                    session_id=room.session_id,
                    buyer_id=buyer,
                    lines=[(offer.sku_id, self.rng.choice((1, 1, 1, 2)))],
                    address=self._address(buyer),
                    buyer_note="",
                    policy=policy,
                    now=now,
                )
            order_id = view.order.id
        if self.rng.random() >= self.pace.unpaid_share:
            await payments.pay_with_sandbox(self.rt, order_id=order_id, buyer_id=buyer)

    async def _flash_sale(self, room: LiveRoom, now: float) -> None:
        if room.flash is not None or not room.offers:
            return
        offer = self.rng.choice(room.offers)
        length = self.pace.mean("flash_length")
        starts = self.rt.clock.now()
        async with unit_of_work(self.rt.sessions) as session:
            sale = await flash_sale.create(
                session,
                session_id=room.session_id,
                user_id=room.owner_id,
                terms=flash_sale.FlashTerms(
                    pin_id=offer.pin_id,
                    sku_id=offer.sku_id,
                    price_fen=max(1, offer.price_fen * 8 // 10),
                    quantity=20,
                    per_buyer_limit=2,
                    starts_at=starts,
                    ends_at=starts + timedelta(seconds=length),
                ),
                channel=channel_of(self.rt),
                gate=gate_of(self.rt),
                now=starts,
            )
        room.flash = (sale.id, now + length)

    def _empty(self, room: LiveRoom) -> None:
        channel = channel_of(self.rt)
        for viewer, _leave in room.present.values():
            channel.leave(viewer)
        room.present.clear()

    def _everyone_leaves(self) -> None:
        for room in self.rooms.values():
            self._empty(room)


STOP_SECONDS = 10.0  # how long the demo's shutdown waits for the step under way


@contextlib.asynccontextmanager
async def living(
    rt: Runtime, pace: Pace, *, reserved: frozenset[int] = frozenset()
) -> AsyncIterator[LivingMarket]:
    """Run the living loop for the duration of the block (the demo server's lifespan)."""
    market = LivingMarket(rt, pace=pace, reserved=reserved)
    task = asyncio.create_task(_guarded(market), name="trustlive-living")
    try:
        yield market
    finally:
        market.stopping.set()  # the step under way finishes: no transaction is cut short
        await stop_tasks([task], STOP_SECONDS)


async def _guarded(market: LivingMarket) -> None:
    """An unexpected failure stops one pass, not the demo: wait a moment and carry on."""
    while not market.stopping.is_set():
        try:
            await market.run()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("living market pass failed; restarting")
            await asyncio.sleep(1.0)


async def _look_away(frame: str) -> None:
    """A simulated viewer has no screen: its frames are counted and let go."""
