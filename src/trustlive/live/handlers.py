"""Live reactions to other contexts' events: shops get rooms, paid room orders show as
purchases and count in the session's statistics, cancelled flash orders give units back."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import accounts, catalog, orders, shops
from trustlive.kernel.clock import Clock
from trustlive.kernel.outbox import HandlerRegistry
from trustlive.kernel.runtime import Runtime
from trustlive.live.channel.hub import Channel
from trustlive.live.flash_gate import FlashGate
from trustlive.live.flash_returns import return_cancelled
from trustlive.live.models import LiveSession, Pin, RoomPurchase
from trustlive.live.rooms import shop_room
from trustlive.live.wiring import announce, channel_of, gate_of


async def record_room_purchase(
    session: AsyncSession, event: orders.OrderPaid, *, channel: Channel, now: datetime
) -> None:
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
    await session.flush()
    first = int(event.lines[0]["product_id"]) if event.lines else 0
    cards = await catalog.product_cards(session, [first])
    names = await accounts.display_names(session, {event.buyer_id})
    announce(
        session,
        channel,
        event.room_id,
        {
            "type": "purchase",
            "buyer": accounts.mask_name(names.get(event.buyer_id, "")),
            "product_id": str(first),
            "title": cards[first].title if first in cards else "",
            "quantity": units[first],
            "others": 0,
        },
    )


def register(registry: HandlerRegistry, runtime: Runtime) -> None:
    clock: Clock = runtime.clock

    async def open_shop_room(session: AsyncSession, event: shops.ShopOpened) -> None:
        await shop_room(session, shop_id=event.shop_id, now=clock.now())

    async def show_room_purchase(session: AsyncSession, event: orders.OrderPaid) -> None:
        await record_room_purchase(session, event, channel=channel_of(runtime), now=clock.now())

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
    registry.subscribe(orders.OrderPaid, show_room_purchase, name="live.show_room_purchase")
    registry.subscribe(orders.OrderCancelled, return_flash_units, name="live.return_flash_units")
