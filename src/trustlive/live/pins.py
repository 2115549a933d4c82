"""Pins (挂车) and the spotlight (讲解): the session's cart in order, and the product presented."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import catalog
from trustlive.kernel.errors import Conflict, NotFound, Problem
from trustlive.kernel.ids import new_id
from trustlive.live import schemas
from trustlive.live.channel.hub import Channel
from trustlive.live.domain import MAX_PINS, OwnerKind
from trustlive.live.errors import LiveError
from trustlive.live.models import LiveSession, Pin, Room
from trustlive.live.rooms import live_session_for_staff
from trustlive.live.wiring import announce


def _sku_out(sku: catalog.SkuCard) -> schemas.SkuOut:
    shown = catalog.stock_for_buyers(sku.stock)
    return schemas.SkuOut(
        id=sku.sku_id,
        spec_name=sku.spec_name,
        price_fen=sku.price_fen,
        stock=sku.stock,
        availability=shown.availability,
        only_left=shown.only_left,
    )


async def pinned(session: AsyncSession, session_id: int) -> list[Pin]:
    rows = await session.scalars(
        select(Pin).where(Pin.session_id == session_id, Pin.pinned.is_(True)).order_by(Pin.position)
    )
    return list(rows)


async def pin_views(session: AsyncSession, pins: list[Pin]) -> list[schemas.PinOut]:
    cards = await catalog.product_cards(session, [p.product_id for p in pins])
    out = []
    for pin in pins:
        card = cards[pin.product_id]
        out.append(
            schemas.PinOut(
                id=pin.id,
                product_id=pin.product_id,
                shop_id=pin.shop_id,
                position=pin.position,
                title=card.title,
                image_url=card.image_url,
                min_price_fen=card.min_price_fen,
                skus=[_sku_out(s) for s in card.skus],
                clicks=pin.clicks,
                units_sold=pin.units_sold,
            )
        )
    return out


async def _announce_pins(
    session: AsyncSession, channel: Channel, room: Room, session_id: int
) -> list[schemas.PinOut]:
    views = await pin_views(session, await pinned(session, session_id))
    announce(
        session,
        channel,
        room.id,
        {"type": "pins", "pins": [v.model_dump(mode="json") for v in views]},
    )
    return views


async def pin_product(
    session: AsyncSession,
    *,
    session_id: int,
    user_id: int,
    product_id: int,
    channel: Channel,
    now: datetime,
) -> list[schemas.PinOut]:
    room, live = await live_session_for_staff(session, session_id=session_id, user_id=user_id)
    cards = await catalog.product_cards(session, [product_id])
    card = cards.get(product_id)
    if card is None:
        raise NotFound("product", product_id)
    if room.owner_kind == OwnerKind.SHOP and card.shop_id != room.shop_id:
        raise Problem(
            LiveError.NOT_YOUR_PRODUCT,
            "a shop's room pins the shop's own products",
            status=403,
        )
    if room.owner_kind == OwnerKind.CREATOR:
        raise Problem(
            LiveError.NOT_YOUR_PRODUCT,
            "creators pin other shops' products through distribution, which is not open yet",
            status=403,
        )
    if not card.on_sale:
        raise Conflict(LiveError.PRODUCT_NOT_ON_SALE, f"{card.title} is not listed")
    current = await pinned(session, live.id)
    if any(p.product_id == product_id for p in current):
        raise Conflict(LiveError.ALREADY_PINNED, f"{card.title} is already pinned")
    if len(current) >= MAX_PINS:
        raise Conflict(LiveError.TOO_MANY_PINS, f"a session pins at most {MAX_PINS} products")
    top = await session.scalar(select(func.max(Pin.position)).where(Pin.session_id == live.id))
    session.add(
        Pin(
            id=new_id(),
            session_id=live.id,
            product_id=product_id,
            shop_id=card.shop_id,
            seller_user_id=None,
            position=(top or 0) + 1,
            pinned=True,
            pinned_at=now,
        )
    )
    await session.flush()
    return await _announce_pins(session, channel, room, live.id)


async def _pin_of(session: AsyncSession, live: LiveSession, pin_id: int) -> Pin:
    pin = await session.get(Pin, pin_id)
    if pin is None or pin.session_id != live.id or not pin.pinned:
        raise NotFound("pin", pin_id)
    return pin


async def unpin(
    session: AsyncSession, *, session_id: int, user_id: int, pin_id: int, channel: Channel
) -> list[schemas.PinOut]:
    room, live = await live_session_for_staff(session, session_id=session_id, user_id=user_id)
    pin = await _pin_of(session, live, pin_id)
    pin.pinned = False
    if live.spotlight_pin_id == pin.id:
        live.spotlight_pin_id = None
        announce(session, channel, room.id, {"type": "spotlight", "pin": None})
    await session.flush()
    return await _announce_pins(session, channel, room, live.id)


async def reorder(
    session: AsyncSession, *, session_id: int, user_id: int, pin_ids: list[int], channel: Channel
) -> list[schemas.PinOut]:
    room, live = await live_session_for_staff(session, session_id=session_id, user_id=user_id)
    current = {p.id: p for p in await pinned(session, live.id)}
    if sorted(pin_ids) != sorted(current):
        raise Problem(
            LiveError.BAD_PIN_ORDER,
            "send every pinned pin id exactly once, in the new order",
            status=422,
        )
    for position, pin_id in enumerate(pin_ids, start=1):
        current[pin_id].position = position
    await session.flush()
    return await _announce_pins(session, channel, room, live.id)


async def set_spotlight(
    session: AsyncSession,
    *,
    session_id: int,
    user_id: int,
    pin_id: int | None,
    channel: Channel,
) -> schemas.PinOut | None:
    room, live = await live_session_for_staff(session, session_id=session_id, user_id=user_id)
    view = None
    if pin_id is not None:
        pin = await _pin_of(session, live, pin_id)
        view = (await pin_views(session, [pin]))[0]
    live.spotlight_pin_id = pin_id
    await session.flush()
    card = view.model_dump(mode="json") if view else None
    announce(session, channel, room.id, {"type": "spotlight", "pin": card})
    return view


async def record_click(session: AsyncSession, *, session_id: int, pin_id: int) -> None:
    result = await session.execute(
        update(Pin)
        .where(Pin.id == pin_id, Pin.session_id == session_id, Pin.pinned.is_(True))
        .values(clicks=Pin.clicks + 1)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise NotFound("pin", pin_id)


async def spotlight_view(session: AsyncSession, live: LiveSession) -> schemas.PinOut | None:
    if live.spotlight_pin_id is None:
        return None
    pin = await session.get(Pin, live.spotlight_pin_id)
    return (await pin_views(session, [pin]))[0] if pin is not None else None
