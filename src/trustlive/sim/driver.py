"""How the simulator acts on the platform: in-process through the service layer, or over HTTP.

The in-process driver (here) batches every action of a simulated hour into one unit of work and
moves a FixedClock through simulated time; the HTTP driver (http_driver.py) sends each action as a
request (for load); the dry driver (dry_driver.py) acts on nothing. All answer the same protocol,
so the run loop does not know which one it drives.

Live rooms: a merchant's broadcast opens a session in the shop's room with its products pinned
and the first one in the spotlight; viewers are admitted (the session's viewer statistics), some
comment, and orders placed while watching go through the room-order path, so they carry the room
and the session. After-sales: the buyer opens a request, the merchant accepts or rejects, the
buyer may escalate to a dispute that an operator rules on, returns are posted back and confirmed;
whatever nobody does in time is left to the platform's deadline jobs (`run_jobs`).

A guarantee may settle a request the moment it opens (instant refund, refund without return): the
ticket says so, and the later steps of that request are not the platform's to take any more.
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.accounts import service as accounts
from trustlive.aftersale import disputes as aftersale_disputes
from trustlive.aftersale import requests as aftersale_requests
from trustlive.aftersale import service as aftersale
from trustlive.aftersale.domain import Action, Actor, Kind, Reason
from trustlive.aftersale.ledger import Config
from trustlive.aftersale.policy import load_policy as aftersale_policy
from trustlive.catalog import service as catalog
from trustlive.catalog.domain import ProductStatus
from trustlive.kernel.auth import Role
from trustlive.kernel.clock import FixedClock
from trustlive.kernel.db import unit_of_work
from trustlive.kernel.runtime import Runtime
from trustlive.live import comments as live_comments
from trustlive.live import pins as live_pins
from trustlive.live import rooms as live_rooms
from trustlive.live.domain import CommentPolicy
from trustlive.live.room_orders import place_room_order
from trustlive.live.wiring import channel_of
from trustlive.orders import lifecycle as order_lifecycle
from trustlive.orders import payments, sandbox_payment
from trustlive.orders import placing as order_placing
from trustlive.orders import timeouts as order_timeouts
from trustlive.orders.policy import policy_from
from trustlive.reviews import service as reviews
from trustlive.shops import service as shops
from trustlive.sim.behaviour import Ratings

PASSWORD = "sim-pass-1234"
CARRIER = "顺丰速运"
SKU_STOCK = 1_000_000
IMAGE = "https://img.trustlive.dev/sim/{}.jpg"
RETURN_CARRIER = "中通快递"
REASON_TEXT = {
    Reason.QUALITY_PROBLEM: "质量有问题",
    Reason.NOT_AS_DESCRIBED: "和直播间介绍的不一样",
    Reason.COUNTERFEIT_SUSPECTED: "怀疑是假货",
    Reason.LATE_SHIPPING: "迟迟不发货, 不想要了",
}


@dataclass(frozen=True)
class Ticket:
    """An opened after-sale request; `settled` when a guarantee refunded it as it opened."""

    request_id: int
    settled: bool


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
    async def register_operator(self, username: str, display_name: str) -> int: ...
    async def start_session(
        self, owner_id: int, shop_id: int, sku_ids: Sequence[int], title: str, at: datetime
    ) -> int: ...
    async def admit_viewers(
        self, session_id: int, viewer_ids: Sequence[int], at: datetime
    ) -> None: ...
    async def comment(self, session_id: int, user_id: int, text: str, at: datetime) -> None: ...
    async def end_session(self, owner_id: int, session_id: int, at: datetime) -> None: ...
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
        self, buyer_id: int, order_id: int, kind: Kind, reason: Reason, at: datetime
    ) -> Ticket: ...
    async def decide_aftersale(
        self, owner_id: int, ticket: Ticket, *, accept: bool, at: datetime
    ) -> None: ...
    async def escalate(self, buyer_id: int, ticket: Ticket, at: datetime) -> int: ...
    async def rule_dispute(
        self,
        operator_id: int,
        dispute_id: int,
        *,
        merchant_at_fault: bool,
        counterfeit: bool,
        at: datetime,
    ) -> None: ...
    async def ship_return(
        self, buyer_id: int, ticket: Ticket, tracking_no: str, at: datetime
    ) -> bool: ...
    async def confirm_return(self, owner_id: int, ticket: Ticket, at: datetime) -> None: ...
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
        self.aftersale = Config(aftersale_policy(), runtime.settings.sandbox_payment_secret)
        self.channel = channel_of(runtime)
        self.product_of: dict[int, int] = {}  # sku id → product id, to pin a shop's products
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
            password_hash=await self.rt.passwords.hash(PASSWORD),
            username=username,
            display_name=display_name,
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
        self.product_of[view.skus[0].id] = view.product.id
        return view.skus[0].id

    async def register_operator(self, username: str, display_name: str) -> int:
        user_id = await self.register(username, display_name, creator=False)
        await accounts.grant_role(self.session, user_id=user_id, role=Role.OPERATOR)
        return user_id

    async def follow(self, follower_id: int, followee_id: int) -> None:
        await accounts.follow(
            self.session, follower_id=follower_id, followee_id=followee_id, now=self.clock.now()
        )

    async def unfollow(self, follower_id: int, followee_id: int) -> None:
        await accounts.unfollow(
            self.session, follower_id=follower_id, followee_id=followee_id, now=self.clock.now()
        )

    async def start_session(
        self, owner_id: int, shop_id: int, sku_ids: Sequence[int], title: str, at: datetime
    ) -> int:
        """Go live in the shop's room, pin its products in order, spotlight the first."""
        self.clock.set(at)
        room = await live_rooms.shop_room(self.session, shop_id=shop_id, now=at)
        live = await live_rooms.start_session(
            self.session, room_id=room.id, user_id=owner_id, title=title, cover_url=None,
            hls_url=None, channel=self.channel, now=at,
        )  # fmt: skip
        pins: list[int] = []
        for sku_id in sku_ids:
            views = await live_pins.pin_product(
                self.session, session_id=live.id, user_id=owner_id,
                product_id=self.product_of[sku_id], channel=self.channel, now=at,
            )  # fmt: skip
            pins = [v.id for v in views]
        if pins:
            await live_pins.set_spotlight(
                self.session, session_id=live.id, user_id=owner_id, pin_id=pins[0],
                channel=self.channel,
            )  # fmt: skip
        return live.id

    async def admit_viewers(self, session_id: int, viewer_ids: Sequence[int], at: datetime) -> None:
        self.clock.set(at)
        await live_rooms.admit_viewers(self.session, session_id=session_id, joined=len(viewer_ids))

    async def comment(self, session_id: int, user_id: int, text: str, at: datetime) -> None:
        self.clock.set(at)
        user = accounts.principal_of(await accounts.get_user(self.session, user_id))
        await live_comments.post_comment(
            self.session, session_id=session_id, user=user, text=text, policy=CommentPolicy(),
            moderator=live_comments.AllowAll(), channel=self.channel, now=at,
        )  # fmt: skip

    async def end_session(self, owner_id: int, session_id: int, at: datetime) -> None:
        self.clock.set(at)
        await live_rooms.end_session(
            self.session, session_id=session_id, user_id=owner_id, channel=self.channel, now=at
        )

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
        if live_session_id is not None:  # bought while watching: the room-order path
            view = await place_room_order(
                self.session, session_id=live_session_id, buyer_id=buyer_id,
                lines=[(sku_id, quantity)], address=address, buyer_note="", policy=self.policy,
                now=at,
            )  # fmt: skip
            return view.order.id
        view = await order_placing.place_order(
            self.session,
            buyer_id=buyer_id,
            lines=[(sku_id, quantity)],
            address=address,
            buyer_note="",
            source=order_placing.Source(),
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
        await payments.accept_notification(
            self.session, note, secret=self.rt.settings.sandbox_payment_secret, now=at
        )

    async def ship(self, actor_id: int, order_id: int, tracking_no: str, at: datetime) -> None:
        self.clock.set(at)
        await order_lifecycle.ship_order(
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
        await order_lifecycle.confirm_receipt(
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
        self, buyer_id: int, order_id: int, kind: Kind, reason: Reason, at: datetime
    ) -> Ticket:
        self.clock.set(at)
        new = aftersale.NewRequest(
            order_id=order_id, kind=kind, reason=reason, text=REASON_TEXT[reason],
            evidence_urls=[], lines=None, amount_fen=None,
        )  # fmt: skip
        request = await aftersale.open_request(
            self.session, buyer_id=buyer_id, new=new, cfg=self.aftersale, now=at
        )
        return Ticket(request.id, settled=request.refunded_at is not None)

    async def decide_aftersale(
        self, owner_id: int, ticket: Ticket, *, accept: bool, at: datetime
    ) -> None:
        self.clock.set(at)
        request = await aftersale_requests.for_merchant(self.session, ticket.request_id, owner_id)
        if accept:
            await aftersale.accept(
                self.session, request, actor=Actor.MERCHANT, actor_id=owner_id,
                cfg=self.aftersale, now=at,
            )  # fmt: skip
        else:
            await aftersale.decide(
                self.session, request, action=Action.REJECT, actor=Actor.MERCHANT,
                actor_id=owner_id, cfg=self.aftersale, now=at, note="商品没有问题",
            )  # fmt: skip

    async def escalate(self, buyer_id: int, ticket: Ticket, at: datetime) -> int:
        self.clock.set(at)
        dispute = await aftersale_disputes.escalate(
            self.session, request_id=ticket.request_id, buyer_id=buyer_id,
            text="商家拒绝售后, 请平台介入", image_urls=[], cfg=self.aftersale, now=at,
        )  # fmt: skip
        return dispute.id

    async def rule_dispute(
        self,
        operator_id: int,
        dispute_id: int,
        *,
        merchant_at_fault: bool,
        counterfeit: bool,
        at: datetime,
    ) -> None:
        self.clock.set(at)
        ruling = aftersale_disputes.Ruling(merchant_at_fault, counterfeit, "依据证据裁定")
        await aftersale_disputes.decide(
            self.session, dispute_id=dispute_id, operator_id=operator_id, ruling=ruling,
            cfg=self.aftersale, now=at,
        )  # fmt: skip

    async def ship_return(
        self, buyer_id: int, ticket: Ticket, tracking_no: str, at: datetime
    ) -> bool:
        """Post the goods back; True when the instant-refund guarantee paid on posting."""
        self.clock.set(at)
        request = await aftersale_requests.for_buyer(self.session, ticket.request_id, buyer_id)
        await aftersale.ship_return(
            self.session, request, carrier=RETURN_CARRIER, tracking_no=tracking_no,
            cfg=self.aftersale, now=at,
        )  # fmt: skip
        return request.refunded_at is not None

    async def confirm_return(self, owner_id: int, ticket: Ticket, at: datetime) -> None:
        self.clock.set(at)
        request = await aftersale_requests.for_merchant(self.session, ticket.request_id, owner_id)
        await aftersale.confirm_return(
            self.session, request, actor=Actor.MERCHANT, actor_id=owner_id, cfg=self.aftersale,
            now=at,
        )  # fmt: skip

    async def run_jobs(self, now: datetime) -> int:
        """The platform's timeouts (unpaid cancel, auto-receipt, completion) at simulated `now`."""
        self.clock.set(now)
        total, full = 0, True
        while full:  # a job that handled a whole batch may have more waiting
            done = await self.rt.scheduler.run_due()
            total += sum(done.values())
            full = any(n >= order_timeouts.SWEEP_BATCH for n in done.values())
        return total

    async def deliver_events(self) -> int:
        return await self.rt.dispatcher.run_once()
