"""How the simulator acts on the platform: in-process through the service layer, or over HTTP.

The in-process driver (here) batches every action of a simulated hour into one unit of work and
moves a FixedClock through simulated time; the HTTP driver (http_driver.py) sends each action as a
request (for load); the dry driver (dry_driver.py) acts on nothing. All answer the same protocol,
so the run loop does not know which one it drives.

Two seams wait for contexts this branch does not have yet:
- `watch_session`: live rooms. Today a "session" is the shop's broadcast hour and nothing is
  written; when live rooms land it opens (or joins) the room's session, admits the viewers and
  returns the session id that orders then carry.
- `request_aftersale`: after-sales. Today it returns False (not executable) and writes nothing;
  when after-sales land it calls the after-sale service and returns True.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.accounts import service as accounts
from trustlive.catalog import service as catalog
from trustlive.catalog.domain import ProductStatus
from trustlive.kernel.clock import FixedClock
from trustlive.kernel.db import unit_of_work
from trustlive.kernel.runtime import Runtime
from trustlive.orders import payments, sandbox_payment
from trustlive.orders import service as orders
from trustlive.orders.router import policy_from
from trustlive.reviews import service as reviews
from trustlive.shops import service as shops
from trustlive.sim.behaviour import Ratings

PASSWORD = "sim-pass-1234"
CARRIER = "顺丰速运"
SKU_STOCK = 1_000_000
IMAGE = "https://img.trustlive.dev/sim/{}.jpg"


def image_url(title: str) -> str:
    return IMAGE.format(zlib.crc32(title.encode()) % 1000)


class Driver(Protocol):
    def batch(self, now: datetime) -> contextlib.AbstractAsyncContextManager[None]: ...
    async def register(self, username: str, display_name: str, *, creator: bool) -> int: ...
    async def open_shop(self, owner_id: int, name: str, description: str) -> int: ...
    async def list_product(
        self, owner_id: int, shop_id: int, title: str, category: str, price_fen: int
    ) -> int: ...
    async def follow(self, follower_id: int, followee_id: int) -> None: ...
    async def unfollow(self, follower_id: int, followee_id: int) -> None: ...
    async def watch_session(
        self, shop_id: int, viewer_ids: Sequence[int], at: datetime
    ) -> int | None: ...
    async def place_order(
        self,
        buyer_id: int,
        sku_id: int,
        quantity: int,
        address: dict[str, str],
        at: datetime,
        live_session_id: int | None,
    ) -> int: ...
    async def pay(self, buyer_id: int, order_id: int, at: datetime) -> None: ...
    async def ship(self, actor_id: int, order_id: int, tracking_no: str, at: datetime) -> None: ...
    async def confirm_receipt(self, buyer_id: int, order_id: int, at: datetime) -> None: ...
    async def review(
        self, buyer_id: int, order_id: int, ratings: Ratings, text: str, at: datetime
    ) -> None: ...
    async def request_aftersale(
        self, buyer_id: int, order_id: int, reason: str, at: datetime
    ) -> bool: ...
    async def run_jobs(self, now: datetime) -> int: ...
    async def deliver_events(self) -> int: ...


class InProcessDriver:
    """Calls the service functions directly; one transaction per batch (a simulated hour)."""

    def __init__(self, runtime: Runtime, clock: FixedClock) -> None:
        self.rt = runtime
        self.clock = clock
        self.policy = policy_from(runtime.settings)
        self.provider = sandbox_payment.SandboxPaymentProvider(
            runtime.settings.sandbox_payment_secret
        )
        self._session: AsyncSession | None = None

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("act inside `async with driver.batch(now)`")
        return self._session

    @contextlib.asynccontextmanager
    async def batch(self, now: datetime) -> AsyncIterator[None]:
        self.clock.set(now)
        async with unit_of_work(self.rt.sessions) as session:
            self._session = session
            try:
                yield
            finally:
                self._session = None

    async def register(self, username: str, display_name: str, *, creator: bool) -> int:
        user = await accounts.register(
            self.session,
            hasher=self.rt.password_hasher,
            username=username,
            display_name=display_name,
            password=PASSWORD,
            as_creator=creator,
            now=self.clock.now(),
        )
        return user.id

    async def open_shop(self, owner_id: int, name: str, description: str) -> int:
        shop = await shops.open_shop(
            self.session,
            owner_id=owner_id,
            name=name,
            description=description,
            logo_url=None,
            now=self.clock.now(),
        )
        await self.session.flush()  # open_shop adds the owner's staff row without flushing it
        return shop.id

    async def list_product(
        self, owner_id: int, shop_id: int, title: str, category: str, price_fen: int
    ) -> int:
        view = await catalog.create_product(
            self.session,
            shop_id=shop_id,
            actor_id=owner_id,
            title=title,
            description=title,
            category=category,
            image_urls=[image_url(title)],
            skus=[catalog.NewSku("标准", price_fen, SKU_STOCK)],
            now=self.clock.now(),
        )
        await catalog.change_status(
            self.session,
            product_id=view.product.id,
            actor_id=owner_id,
            target=ProductStatus.LISTED,
            now=self.clock.now(),
        )
        return view.skus[0].id

    async def follow(self, follower_id: int, followee_id: int) -> None:
        await accounts.follow(
            self.session, follower_id=follower_id, followee_id=followee_id, now=self.clock.now()
        )

    async def unfollow(self, follower_id: int, followee_id: int) -> None:
        await accounts.unfollow(
            self.session, follower_id=follower_id, followee_id=followee_id, now=self.clock.now()
        )

    async def watch_session(
        self, shop_id: int, viewer_ids: Sequence[int], at: datetime
    ) -> int | None:
        """Seam for live rooms: no sessions in this branch, so nothing is written."""
        return None

    async def place_order(
        self,
        buyer_id: int,
        sku_id: int,
        quantity: int,
        address: dict[str, str],
        at: datetime,
        live_session_id: int | None,
    ) -> int:
        self.clock.set(at)
        view = await orders.place_order(
            self.session,
            buyer_id=buyer_id,
            lines=[(sku_id, quantity)],
            address=address,
            buyer_note="",
            source=orders.Source(live_session_id=live_session_id),
            policy=self.policy,
            now=at,
        )
        return view.order.id

    async def pay(self, buyer_id: int, order_id: int, at: datetime) -> None:
        """Start the payment, let the sandbox provider sign its notification, verify and accept it:
        the HTTP flow's two steps, inside the batch's transaction."""
        self.clock.set(at)
        payment = await payments.start_payment(
            self.session, order_id=order_id, buyer_id=buyer_id, now=at
        )
        signed = self.provider.charge(
            payment_id=payment.id, order_id=order_id, amount_fen=payment.amount_fen, now=at
        )
        note = payments.verify_notification(
            body=signed.body,
            timestamp=signed.timestamp,
            signature=signed.signature,
            secret=self.rt.settings.sandbox_payment_secret,
            tolerance_seconds=self.rt.settings.payment_notification_tolerance_seconds,
            now=at,
        )
        await payments.accept_notification(self.session, note, now=at)

    async def ship(self, actor_id: int, order_id: int, tracking_no: str, at: datetime) -> None:
        self.clock.set(at)
        await orders.ship_order(
            self.session,
            order_id=order_id,
            actor_id=actor_id,
            carrier=CARRIER,
            tracking_no=tracking_no,
            policy=self.policy,
            now=at,
        )

    async def confirm_receipt(self, buyer_id: int, order_id: int, at: datetime) -> None:
        self.clock.set(at)
        await orders.confirm_receipt(
            self.session, order_id=order_id, buyer_id=buyer_id, policy=self.policy, now=at
        )

    async def review(
        self, buyer_id: int, order_id: int, ratings: Ratings, text: str, at: datetime
    ) -> None:
        self.clock.set(at)
        await reviews.create_review(
            self.session,
            order_id=order_id,
            buyer_id=buyer_id,
            ratings=reviews.Ratings(ratings.described, ratings.service, ratings.logistics),
            text=text,
            image_urls=[],
            now=at,
        )

    async def request_aftersale(
        self, buyer_id: int, order_id: int, reason: str, at: datetime
    ) -> bool:
        """Seam for after-sales: not in this branch, so nothing is written; False = not executed."""
        return False

    async def run_jobs(self, now: datetime) -> int:
        """The platform's timeouts (unpaid cancel, auto-receipt, completion) at simulated `now`."""
        self.clock.set(now)
        total, full = 0, True
        while full:  # a job that handled a whole batch may have more waiting
            done = await self.rt.scheduler.run_due()
            total += sum(done.values())
            full = any(n >= orders.SWEEP_BATCH for n in done.values())
        return total

    async def deliver_events(self) -> int:
        return await self.rt.dispatcher.run_once()
