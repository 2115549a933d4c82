"""Live HTTP API: rooms, sessions, pins, spotlight, flash sales, room orders, comments."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response, status
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import accounts, orders
from trustlive.accounts import CurrentUser, MaybeUser, Principal
from trustlive.kernel import idempotency
from trustlive.kernel.http import Id, Rt, Tx
from trustlive.kernel.paging import Limit
from trustlive.kernel.runtime import Runtime
from trustlive.live import comments, flash, pins, rooms, schemas, state
from trustlive.live.comments import MODERATOR_KEY, AllowAll, Moderator
from trustlive.live.domain import CommentPolicy
from trustlive.live.flash import sale as flash_sale
from trustlive.live.flash.gate import gate_of
from trustlive.live.models import Room
from trustlive.live.room_orders import place_room_order
from trustlive.live.wiring import channel_of
from trustlive.live.ws import channel_audience

router = APIRouter(tags=["live"])
IdempotencyKey = Annotated[str | None, Header(description="a fresh UUID per order")]


def viewers_of(rt: Runtime, room_id: int) -> int:
    hub = channel_of(rt).hubs.get(room_id)
    return hub.count if hub is not None else 0


def moderator_of(rt: Runtime) -> Moderator:
    return MODERATOR_KEY.get(rt) or AllowAll()


async def _detail(tx: AsyncSession, rt: Runtime, room: Room) -> schemas.RoomDetailOut:
    return await state.room_detail(tx, room, viewers_of(rt, room.id))


@router.get("/rooms", operation_id="listLiveRooms", response_model=list[schemas.RoomOut])
async def list_live_rooms(
    tx: Tx,
    rt: Rt,
    live: Annotated[
        bool, Query(description="only rooms live now (the only listing so far)")
    ] = True,
    limit: Limit = 50,
) -> list[schemas.RoomOut]:
    found = await rooms.list_live_rooms(tx, limit=limit)
    return [state.room_out(room, s, viewers_of(rt, room.id)) for room, s in found]


@router.get("/rooms/{room_id}", operation_id="getRoom", response_model=schemas.RoomDetailOut)
async def get_room(room_id: Id, tx: Tx, rt: Rt) -> schemas.RoomDetailOut:
    return await _detail(tx, rt, await rooms.get_room(tx, room_id))


@router.post(
    "/rooms/{room_id}/channel-tickets",
    operation_id="issueChannelTicket",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.ChannelTicketOut,
)
async def issue_channel_ticket(
    room_id: Id, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.ChannelTicketOut:
    """A one-use ticket that opens this room's WebSocket as the caller, for clients (browsers)
    that cannot send an Authorization header there: the bearer token never goes in a URL."""
    await rooms.get_room(tx, room_id)
    ticket, expires_at = accounts.issue_socket_ticket(rt, me, audience=channel_audience(room_id))
    return schemas.ChannelTicketOut(ticket=ticket, expires_at=expires_at)


@router.get(
    "/shops/{shop_id}/room", operation_id="getShopRoom", response_model=schemas.RoomDetailOut
)
async def get_shop_room(shop_id: Id, tx: Tx, rt: Rt) -> schemas.RoomDetailOut:
    room = await rooms.shop_room(tx, shop_id=shop_id, now=rt.clock.now())
    return await _detail(tx, rt, room)


@router.get("/me/room", operation_id="getMyRoom", response_model=schemas.RoomDetailOut)
async def get_my_room(me: CurrentUser, tx: Tx, rt: Rt) -> schemas.RoomDetailOut:
    room = await rooms.my_room(tx, user=me, now=rt.clock.now())
    return await _detail(tx, rt, room)


@router.post(
    "/rooms/{room_id}/sessions",
    operation_id="startSession",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.SessionOut,
)
async def start_session(
    room_id: Id, body: schemas.SessionIn, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.SessionOut:
    live = await rooms.start_session(
        tx,
        room_id=room_id,
        user_id=me.user_id,
        title=body.title,
        cover_url=str(body.cover_url) if body.cover_url else None,
        hls_url=str(body.hls_url) if body.hls_url else None,
        channel=channel_of(rt),
        now=rt.clock.now(),
    )
    return state.session_out(live, viewers_of(rt, room_id))


@router.post(
    "/sessions/{session_id}/end", operation_id="endSession", response_model=schemas.SessionOut
)
async def end_session(session_id: Id, me: CurrentUser, tx: Tx, rt: Rt) -> schemas.SessionOut:
    live = await rooms.end_session(
        tx, session_id=session_id, user_id=me.user_id, channel=channel_of(rt), now=rt.clock.now()
    )
    return state.session_out(live, 0)


@router.get(
    "/sessions/{session_id}", operation_id="getSession", response_model=schemas.SessionStatsOut
)
async def get_session(session_id: Id, me: MaybeUser, tx: Tx, rt: Rt) -> schemas.SessionStatsOut:
    room, live = await rooms.get_session(tx, session_id)
    viewers = viewers_of(rt, room.id) if room.live_session_id == live.id else 0
    out = schemas.SessionStatsOut(**state.session_out(live, viewers).model_dump())
    if me is not None and await rooms.may_broadcast(tx, room, me.user_id):
        out.peak_viewers = live.peak_viewers
        out.total_viewers = live.total_viewers
        out.comments = live.comments
        out.orders = live.orders
        out.gmv_fen = live.gmv_fen
        out.pins = await state.session_stats(tx, live)
    return out


@router.post(
    "/sessions/{session_id}/pins", operation_id="pinProduct", response_model=list[schemas.PinOut]
)
async def pin_product(
    session_id: Id, body: schemas.PinIn, me: CurrentUser, tx: Tx, rt: Rt
) -> list[schemas.PinOut]:
    return await pins.pin_product(
        tx,
        session_id=session_id,
        user_id=me.user_id,
        product_id=body.product_id,
        channel=channel_of(rt),
        now=rt.clock.now(),
    )


@router.delete(
    "/sessions/{session_id}/pins/{pin_id}",
    operation_id="unpinProduct",
    response_model=list[schemas.PinOut],
)
async def unpin_product(
    session_id: Id, pin_id: Id, me: CurrentUser, tx: Tx, rt: Rt
) -> list[schemas.PinOut]:
    return await pins.unpin(
        tx, session_id=session_id, user_id=me.user_id, pin_id=pin_id, channel=channel_of(rt)
    )


@router.put(
    "/sessions/{session_id}/pins", operation_id="reorderPins", response_model=list[schemas.PinOut]
)
async def reorder_pins(
    session_id: Id, body: schemas.PinOrderIn, me: CurrentUser, tx: Tx, rt: Rt
) -> list[schemas.PinOut]:
    return await pins.reorder(
        tx,
        session_id=session_id,
        user_id=me.user_id,
        pin_ids=list(body.pin_ids),
        channel=channel_of(rt),
    )


@router.put(
    "/sessions/{session_id}/spotlight",
    operation_id="spotlightPin",
    response_model=schemas.PinOut | None,
)
async def spotlight_pin(
    session_id: Id, body: schemas.SpotlightIn, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.PinOut | None:
    return await pins.set_spotlight(
        tx, session_id=session_id, user_id=me.user_id, pin_id=body.pin_id, channel=channel_of(rt)
    )


@router.delete(
    "/sessions/{session_id}/spotlight",
    operation_id="clearSpotlight",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def clear_spotlight(session_id: Id, me: CurrentUser, tx: Tx, rt: Rt) -> Response:
    await pins.set_spotlight(
        tx, session_id=session_id, user_id=me.user_id, pin_id=None, channel=channel_of(rt)
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/sessions/{session_id}/pins/{pin_id}/clicks",
    operation_id="recordPinClick",
    status_code=status.HTTP_204_NO_CONTENT,
)
async def record_pin_click(session_id: Id, pin_id: Id, tx: Tx) -> Response:
    await pins.record_click(tx, session_id=session_id, pin_id=pin_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/sessions/{session_id}/flash-sales",
    operation_id="createFlashSale",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.FlashSaleOut,
)
async def create_flash_sale(
    session_id: Id, body: schemas.FlashSaleIn, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.FlashSaleOut:
    sale = await flash_sale.create(
        tx,
        session_id=session_id,
        user_id=me.user_id,
        terms=flash_sale.FlashTerms(
            pin_id=body.pin_id,
            sku_id=body.sku_id,
            price_fen=body.price_fen,
            quantity=body.quantity,
            per_buyer_limit=body.per_buyer_limit,
            starts_at=body.starts_at,
            ends_at=body.ends_at,
        ),
        channel=channel_of(rt),
        gate=gate_of(rt),
        now=rt.clock.now(),
    )
    return state.flash_sale_out(sale)


async def _idempotent(
    tx: AsyncSession,
    rt: Runtime,
    *,
    scope: str,
    key: str | None,
    body: dict[str, Any],
    create: Callable[[], Awaitable[orders.OrderView]],
    me: Principal,
) -> JSONResponse:
    async def make() -> dict[str, Any]:
        return orders.order_out(await create(), me).model_dump(mode="json")

    try:
        return await idempotency.answer_once(
            tx, scope=scope, key=key, body=body, make=make, now=rt.clock.now()
        )
    except orders.OrderBlocked:
        await tx.commit()  # risk's record of the refused attempt; nothing of the order exists
        raise


@router.post(
    "/flash-sales/{flash_sale_id}/orders",
    operation_id="buyFlashSale",
    status_code=status.HTTP_201_CREATED,
    response_model=orders.OrderOut,
)
async def buy_flash_sale(
    flash_sale_id: Id,
    body: schemas.FlashBuyIn,
    me: CurrentUser,
    tx: Tx,
    rt: Rt,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    return await flash.buy(
        tx,
        rt,
        flash_sale_id=flash_sale_id,
        buyer=me,
        quantity=body.quantity,
        address=body.address.model_dump(),
        key=idempotency_key,
    )


@router.post(
    "/sessions/{session_id}/orders",
    operation_id="placeRoomOrder",
    status_code=status.HTTP_201_CREATED,
    response_model=orders.OrderOut,
)
async def place_order_in_room(
    session_id: Id,
    body: schemas.RoomOrderIn,
    request: Request,
    me: CurrentUser,
    tx: Tx,
    rt: Rt,
    idempotency_key: IdempotencyKey = None,
    device_id: Annotated[str | None, Header(alias="X-Device-Id")] = None,
) -> JSONResponse:
    async def create() -> orders.OrderView:
        return await place_room_order(
            tx,
            session_id=session_id,
            buyer_id=me.user_id,
            lines=[(ln.sku_id, ln.quantity) for ln in body.lines],
            address=body.address.model_dump(),
            buyer_note=body.buyer_note,
            policy=orders.policy_from(rt.settings),
            now=rt.clock.now(),
            check=orders.check_of(rt),
            client=orders.Client(
                device_id=device_id,
                address=request.client.host if request.client else None,
                payment_instrument=body.payment_instrument,
            ),
        )

    return await _idempotent(
        tx,
        rt,
        scope=f"placeRoomOrder:{me.user_id}",
        key=idempotency_key,
        body={"session_id": session_id, **body.model_dump(mode="json")},
        create=create,
        me=me,
    )


@router.post(
    "/sessions/{session_id}/comments",
    operation_id="postComment",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.CommentOut,
)
async def post_comment(
    session_id: Id, body: schemas.CommentIn, me: CurrentUser, tx: Tx, rt: Rt
) -> schemas.CommentOut:
    comment, badge = await comments.post_comment(
        tx,
        session_id=session_id,
        user=me,
        text=body.text,
        policy=CommentPolicy(),
        moderator=moderator_of(rt),
        channel=channel_of(rt),
        now=rt.clock.now(),
    )
    return schemas.CommentOut(
        id=comment.id,
        session_id=comment.session_id,
        name=me.display_name,
        text=comment.text,
        badge=schemas.BadgeOut(level=badge.level, label=badge.label) if badge else None,
        created_at=comment.created_at,
    )
