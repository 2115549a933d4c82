"""What a viewer sees of a room right now: for getRoom and the channel's first frame."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.live import schemas
from trustlive.live.flash.sale import left_of
from trustlive.live.models import FlashSale, LiveSession, Pin, Room
from trustlive.live.pins import pin_views, pinned, spotlight_view


def session_out(live: LiveSession, viewers: int) -> schemas.SessionOut:
    return schemas.SessionOut(
        id=live.id,
        room_id=live.room_id,
        status=live.status,
        title=live.title,
        cover_url=live.cover_url,
        hls_url=live.hls_url,
        stream_status=live.stream_status,
        viewers=viewers,
        started_at=live.started_at,
        ended_at=live.ended_at,
    )


def room_out(room: Room, live: LiveSession | None, viewers: int) -> schemas.RoomOut:
    return schemas.RoomOut(
        id=room.id,
        owner_kind=room.owner_kind,
        shop_id=room.shop_id,
        owner_user_id=room.owner_user_id,
        name=room.name,
        avatar_url=room.avatar_url,
        session=session_out(live, viewers) if live is not None else None,
    )


def flash_sale_out(sale: FlashSale) -> schemas.FlashSaleOut:
    return schemas.FlashSaleOut(
        id=sale.id,
        pin_id=sale.pin_id,
        sku_id=sale.sku_id,
        price_fen=sale.price_fen,
        quantity=sale.quantity,
        left=left_of(sale),
        per_buyer_limit=sale.per_buyer_limit,
        starts_at=sale.starts_at,
        ends_at=sale.ends_at,
    )


async def room_detail(session: AsyncSession, room: Room, viewers: int) -> schemas.RoomDetailOut:
    live = None
    if room.live_session_id is not None:
        live = await session.get(LiveSession, room.live_session_id)
    base = room_out(room, live, viewers)
    if live is None:
        return schemas.RoomDetailOut(**base.model_dump(), pins=[], spotlight=None, flash_sales=[])
    sales = await session.scalars(
        select(FlashSale)
        .where(FlashSale.session_id == live.id, FlashSale.closed_at.is_(None))
        .order_by(FlashSale.id)
    )
    return schemas.RoomDetailOut(
        **base.model_dump(),
        pins=await pin_views(session, await pinned(session, live.id)),
        spotlight=await spotlight_view(session, live),
        flash_sales=[flash_sale_out(s) for s in sales],
    )


async def session_stats(session: AsyncSession, live: LiveSession) -> list[schemas.PinStatsOut]:
    pins = await session.scalars(
        select(Pin).where(Pin.session_id == live.id).order_by(Pin.position, Pin.id)
    )
    return [
        schemas.PinStatsOut(
            pin_id=p.id,
            product_id=p.product_id,
            clicks=p.clicks,
            units=p.units_sold,
            gmv_fen=p.gmv_fen,
        )
        for p in pins
    ]
