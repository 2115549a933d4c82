"""Live tables: rooms, sessions, pins, flash sales with their claims and orders, comments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from trustlive.kernel.db import Base


class Room(Base):
    """A seller's long-lived room: one per shop, one per creator."""

    __tablename__ = "live_room"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    owner_kind: Mapped[str] = mapped_column(String(10))  # shop | creator
    shop_id: Mapped[int | None] = mapped_column(ForeignKey("shop.id"), unique=True)
    owner_user_id: Mapped[int] = mapped_column(ForeignKey("account_user.id"))
    name: Mapped[str] = mapped_column(String(40))
    avatar_url: Mapped[str | None] = mapped_column(String(500), default=None)
    live_session_id: Mapped[int | None] = mapped_column(default=None)  # the one live session
    created_at: Mapped[datetime]

    __table_args__ = (
        Index(
            "uq_live_room_creator",
            "owner_user_id",
            unique=True,
            sqlite_where=owner_kind == "creator",
            postgresql_where=owner_kind == "creator",
        ),
    )


class LiveSession(Base):
    """One broadcast and its statistics."""

    __tablename__ = "live_session"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    room_id: Mapped[int] = mapped_column(ForeignKey("live_room.id"), index=True)
    status: Mapped[str] = mapped_column(String(10))  # live | ended
    title: Mapped[str] = mapped_column(String(60))
    cover_url: Mapped[str | None] = mapped_column(String(500), default=None)
    hls_url: Mapped[str | None] = mapped_column(String(500), default=None)
    stream_status: Mapped[str | None] = mapped_column(String(12), default=None)  # StreamStatus
    stream_changed_at: Mapped[datetime | None] = mapped_column(default=None)
    started_by: Mapped[int]
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    spotlight_pin_id: Mapped[int | None] = mapped_column(default=None)
    peak_viewers: Mapped[int] = mapped_column(default=0)
    total_viewers: Mapped[int] = mapped_column(default=0)
    comments: Mapped[int] = mapped_column(default=0)
    orders: Mapped[int] = mapped_column(default=0)
    gmv_fen: Mapped[int] = mapped_column(default=0)


class Pin(Base):
    """A product in the session's cart. `seller_user_id` is who earns from it: null when the
    shop sells its own product; the creator when a creator sells another shop's (distribution)."""

    __tablename__ = "live_pin"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_session.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("catalog_product.id"))
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"))
    seller_user_id: Mapped[int | None] = mapped_column(default=None)
    position: Mapped[int]
    pinned: Mapped[bool] = mapped_column(default=True)
    pinned_at: Mapped[datetime]
    clicks: Mapped[int] = mapped_column(default=0)
    units_sold: Mapped[int] = mapped_column(default=0)
    gmv_fen: Mapped[int] = mapped_column(default=0)


class FlashSale(Base):
    """A pool of units carved out of one SKU's stock, sold at a price in a time window."""

    __tablename__ = "live_flash_sale"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_session.id"), index=True)
    room_id: Mapped[int]
    pin_id: Mapped[int] = mapped_column(ForeignKey("live_pin.id"))
    sku_id: Mapped[int] = mapped_column(ForeignKey("catalog_sku.id"))
    product_id: Mapped[int]
    price_fen: Mapped[int]
    quantity: Mapped[int]
    sold: Mapped[int] = mapped_column(default=0)
    per_buyer_limit: Mapped[int]
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    returned_units: Mapped[int] = mapped_column(default=0)  # unsold, given back to SKU stock

    __table_args__ = (
        CheckConstraint("sold >= 0 AND sold <= quantity", name="sold_within_quantity"),
        Index("ix_live_flash_sale_open", "closed_at", "ends_at"),
    )


class FlashClaim(Base):
    """How many units one buyer holds in one flash sale: the per-buyer limit's record."""

    __tablename__ = "live_flash_claim"

    flash_sale_id: Mapped[int] = mapped_column(ForeignKey("live_flash_sale.id"), primary_key=True)
    buyer_id: Mapped[int] = mapped_column(primary_key=True)
    quantity: Mapped[int]


class FlashOrder(Base):
    """An order sold from a flash pool; `returned_at` makes giving units back happen once."""

    __tablename__ = "live_flash_order"

    order_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    flash_sale_id: Mapped[int] = mapped_column(ForeignKey("live_flash_sale.id"), index=True)
    buyer_id: Mapped[int]
    quantity: Mapped[int]
    returned_at: Mapped[datetime | None] = mapped_column(default=None)


class RoomPurchase(Base):
    """A paid order placed in a room: session stats and the regulars' badge count them."""

    __tablename__ = "live_room_purchase"

    order_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    room_id: Mapped[int]
    session_id: Mapped[int]
    buyer_id: Mapped[int]
    total_fen: Mapped[int]
    paid_at: Mapped[datetime]

    __table_args__ = (Index("ix_live_room_purchase_buyer", "room_id", "buyer_id"),)


class Comment(Base):
    __tablename__ = "live_comment"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_session.id"))
    user_id: Mapped[int]
    text: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_live_comment_session", "session_id", "id"),
        Index("ix_live_comment_user", "user_id", "created_at"),
    )
