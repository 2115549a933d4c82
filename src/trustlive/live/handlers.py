"""Live reactions to other contexts' events: shops get rooms, paid room orders show as
purchases at once (on commit) and count in the session's statistics (through the outbox),
cancelled flash orders give units back."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import accounts, orders, shops
from trustlive.kernel.clock import Clock
from trustlive.kernel.outbox import HandlerRegistry
from trustlive.kernel.runtime import Runtime
from trustlive.live.channel.frames import RoomEvent
from trustlive.live.flash.gate import FlashGate, gate_of
from trustlive.live.flash.returns import return_cancelled
from trustlive.live.models import LiveSession, Pin, RoomPurchase
from trustlive.live.rooms import shop_room
from trustlive.live.wiring import channel_of


async def record_room_purchase(
    session: AsyncSession, event: orders.OrderPaid, *, now: datetime
) -> None:
    """The session's and its pins' statistics (exactly once, through the outbox)."""
    if event.room_id is None or event.live_session_id is None:
        return
    session.add(
        RoomPurchase(
            order_id=event.order_id,
            room_id=event.room_id,
            session_id=event.live_session_id,
            buyer_id=event.buyer_id,
            total_fen=event.total_fen,
            paid_at=now,
        )
    )
    await session.execute(
        update(LiveSession)
        .where(LiveSession.id == event.live_session_id)
        .values(orders=LiveSession.orders + 1, gmv_fen=LiveSession.gmv_fen + event.total_fen)
    )
    units: Counter[int] = Counter()
    gmv: Counter[int] = Counter()
    for line in event.lines:
        product_id = int(line["product_id"])
        units[product_id] += int(line["quantity"])
        gmv[product_id] += int(line["quantity"]) * int(line["unit_price_fen"])
    for product_id in sorted(units):
        await session.execute(
            update(Pin)
            .where(Pin.session_id == event.live_session_id, Pin.product_id == product_id)
            .values(
                units_sold=Pin.units_sold + units[product_id],
                gmv_fen=Pin.gmv_fen + gmv[product_id],
            )
        )


def purchase_event(event: orders.OrderPaid, *, at: datetime) -> RoomEvent:
    """What the room's viewers see of a paid room order, from the event alone (no lookup);
    `at` is when the payment committed."""
    first = event.lines[0] if event.lines else {}
    product_id = int(first.get("product_id", 0))
    quantity = sum(int(ln["quantity"]) for ln in event.lines if int(ln["product_id"]) == product_id)
    return {
        "type": "purchase",
        "buyer": accounts.mask_name(event.buyer_name or ""),
        "product_id": str(product_id),
        "title": str(first.get("title", "")),
        "quantity": quantity,
        "others": 0,
        "at": at.isoformat(),
    }


def register(registry: HandlerRegistry, runtime: Runtime) -> None:
    clock: Clock = runtime.clock

    async def open_shop_room(session: AsyncSession, event: shops.ShopOpened) -> None:
        await shop_room(session, shop_id=event.shop_id, now=clock.now())

    async def count_room_purchase(session: AsyncSession, event: orders.OrderPaid) -> None:
        await record_room_purchase(session, event, now=clock.now())

    def show_room_purchase(event: orders.OrderPaid) -> None:
        if event.room_id is not None:
            channel_of(runtime).publish(event.room_id, purchase_event(event, at=clock.now()))

    async def return_flash_units(session: AsyncSession, event: orders.OrderCancelled) -> None:
        gate: FlashGate | None = gate_of(runtime)
        await return_cancelled(
            session,
            order_id=event.order_id,
            channel=channel_of(runtime),
            gate=gate,
            now=clock.now(),
        )

    registry.subscribe(shops.ShopOpened, open_shop_room, name="live.open_shop_room")
    # the room sees the purchase the moment the payment commits; the statistics follow durably
    registry.on_commit(orders.OrderPaid, show_room_purchase)
    registry.subscribe(orders.OrderPaid, count_room_purchase, name="live.show_room_purchase")
    registry.subscribe(orders.OrderCancelled, return_flash_units, name="live.return_flash_units")
