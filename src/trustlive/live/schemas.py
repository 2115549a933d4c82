"""Live HTTP schemas; the room channel sends the same shapes (model_dump(mode="json"))."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AnyHttpUrl, BaseModel, Field, StringConstraints

from trustlive import catalog, orders
from trustlive.kernel.fields import InputModel, Instant
from trustlive.kernel.http import Id
from trustlive.live.domain import MAX_COMMENT_LENGTH, MAX_PINS

Strict = InputModel  # every request body: no unknown fields, no control characters


Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class SessionIn(Strict):
    title: Title
    cover_url: AnyHttpUrl | None = None
    hls_url: AnyHttpUrl | None = None


class PinIn(Strict):
    product_id: Id


class PinOrderIn(Strict):
    pin_ids: Annotated[list[Id], Field(min_length=1, max_length=MAX_PINS)]


class SpotlightIn(Strict):
    pin_id: Id


class FlashSaleIn(Strict):
    pin_id: Id
    sku_id: Id
    price_fen: Annotated[int, Field(ge=1, le=100_000_000)]
    quantity: Annotated[int, Field(ge=1, le=1_000_000)]
    starts_at: Instant
    ends_at: Instant
    per_buyer_limit: Annotated[int, Field(ge=1, le=999)] = 1


class FlashBuyIn(Strict):
    quantity: Annotated[int, Field(ge=1, le=999)] = 1
    address: orders.AddressIn


class RoomOrderIn(Strict):
    lines: Annotated[list[orders.LineIn], Field(min_length=1, max_length=20)]
    address: orders.AddressIn
    buyer_note: Annotated[str, StringConstraints(max_length=200)] = ""
    payment_instrument: orders.PaymentInstrument = None


class CommentIn(Strict):
    text: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_COMMENT_LENGTH)
    ]


class SkuOut(BaseModel):
    id: Id
    spec_name: str
    price_fen: int
    stock: int
    availability: catalog.Availability = Field(description="what buyers are shown, not the count")
    only_left: int | None = Field(description="the count, only when few are left (policy)")


class PinOut(BaseModel):
    id: Id
    product_id: Id
    shop_id: Id
    position: int
    title: str
    image_url: str | None
    min_price_fen: int
    skus: list[SkuOut]
    clicks: int
    units_sold: int


class PinStatsOut(BaseModel):
    pin_id: Id
    product_id: Id
    clicks: int
    units: int
    gmv_fen: int


class FlashSaleOut(BaseModel):
    id: Id
    pin_id: Id
    sku_id: Id
    price_fen: int
    quantity: int
    left: int
    per_buyer_limit: int
    starts_at: datetime
    ends_at: datetime


class SessionOut(BaseModel):
    id: Id
    room_id: Id
    status: str
    title: str
    cover_url: str | None
    hls_url: str | None
    stream_status: str | None = Field(
        None,
        description="the platform stream: on_air, reconnecting (the publisher dropped or the "
        "media server went quiet), or null when no stream was published into this session",
    )
    viewers: int
    started_at: datetime
    ended_at: datetime | None


class SessionStatsOut(SessionOut):
    peak_viewers: int | None = None
    total_viewers: int | None = None
    comments: int | None = None
    orders: int | None = None
    gmv_fen: int | None = None
    pins: list[PinStatsOut] | None = None


class RoomOut(BaseModel):
    id: Id
    owner_kind: str
    shop_id: Id | None
    owner_user_id: Id
    name: str
    avatar_url: str | None
    session: SessionOut | None


class RoomDetailOut(RoomOut):
    pins: list[PinOut]
    spotlight: PinOut | None
    flash_sales: list[FlashSaleOut]


class BadgeOut(BaseModel):
    level: int
    label: str


class CommentOut(BaseModel):
    id: Id
    session_id: Id
    name: str
    text: str
    badge: BadgeOut | None
    created_at: datetime


class ChannelTicketOut(BaseModel):
    ticket: str = Field(
        description="open /ws/rooms/{room_id}?ticket=… with it, once, before expiry"
    )
    expires_at: datetime
