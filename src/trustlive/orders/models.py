"""Orders tables: orders, their lines and transitions, payments and provider notifications."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from trustlive.kernel.db import Base

STOCK_FROM_CATALOG = "catalog"


class Order(Base):
    __tablename__ = "order_header"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("account_user.id"))
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"))
    status: Mapped[str] = mapped_column(String(20))
    items_fen: Mapped[int]
    shipping_fen: Mapped[int] = mapped_column(default=0)
    total_fen: Mapped[int]
    address: Mapped[dict[str, Any]] = mapped_column(JSON)
    buyer_note: Mapped[str] = mapped_column(String(200), default="")
    room_id: Mapped[int | None] = mapped_column(default=None)  # where it was bought (live issue)
    live_session_id: Mapped[int | None] = mapped_column(default=None)
    placed_at: Mapped[datetime]
    pay_deadline_at: Mapped[datetime]
    paid_at: Mapped[datetime | None] = mapped_column(default=None)
    shipped_at: Mapped[datetime | None] = mapped_column(default=None)
    carrier: Mapped[str | None] = mapped_column(String(40), default=None)
    tracking_no: Mapped[str | None] = mapped_column(String(40), default=None)
    auto_receive_at: Mapped[datetime | None] = mapped_column(default=None)
    received_at: Mapped[datetime | None] = mapped_column(default=None)
    completes_at: Mapped[datetime | None] = mapped_column(default=None)
    completed_at: Mapped[datetime | None] = mapped_column(default=None)
    cancelled_at: Mapped[datetime | None] = mapped_column(default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    # money given back so far, never above total_fen (a conditional UPDATE keeps it so)
    refunded_fen: Mapped[int] = mapped_column(default=0, server_default="0")
    version: Mapped[int] = mapped_column(default=1)

    __table_args__ = (
        Index("ix_order_header_buyer", "buyer_id", "id"),
        Index("ix_order_header_shop", "shop_id", "status", "id"),
        Index("ix_order_header_status_deadline", "status", "pay_deadline_at"),
    )


class OrderLine(Base):
    __tablename__ = "order_line"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    order_id: Mapped[int] = mapped_column(ForeignKey("order_header.id"), index=True)
    sku_id: Mapped[int]
    product_id: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(60))
    spec_name: Mapped[str] = mapped_column(String(60))
    image_url: Mapped[str | None] = mapped_column(String(500), default=None)
    unit_price_fen: Mapped[int]
    quantity: Mapped[int]
    line_total_fen: Mapped[int]
    returned_quantity: Mapped[int] = mapped_column(default=0, server_default="0")
    # who holds the units: "catalog" (SKU stock, released on cancel) or a pool such as
    # "flash_sale" that took them earlier and takes them back itself
    stock_held_by: Mapped[str] = mapped_column(
        String(20), default=STOCK_FROM_CATALOG, server_default=STOCK_FROM_CATALOG
    )


class OrderTransition(Base):
    """Who moved the order from what to what, and when: the order's audit trail."""

    __tablename__ = "order_transition"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    order_id: Mapped[int] = mapped_column(ForeignKey("order_header.id"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(10))
    actor_id: Mapped[int | None]
    reason: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime]


class Payment(Base):
    __tablename__ = "order_payment"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    order_id: Mapped[int] = mapped_column(ForeignKey("order_header.id"), index=True)
    buyer_id: Mapped[int]
    amount_fen: Mapped[int]
    provider: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))  # pending | succeeded | orphaned
    provider_ref: Mapped[str | None] = mapped_column(String(80), default=None)
    created_at: Mapped[datetime]
    settled_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (  # one attempt in flight and one settled payment per order, by the database
        Index(
            "uq_order_payment_pending",
            "order_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index(
            "uq_order_payment_succeeded",
            "order_id",
            unique=True,
            sqlite_where=text("status = 'succeeded'"),
            postgresql_where=text("status = 'succeeded'"),
        ),
    )


class PaymentNotification(Base):
    """Each provider notification id is accepted once; a replay finds its row, changes nothing."""

    __tablename__ = "order_payment_notification"

    notification_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    payment_id: Mapped[int]
    received_at: Mapped[datetime]
    outcome: Mapped[str] = mapped_column(String(20))


class ChargeRefund(Base):
    """A provider charge that settled nothing, given back once: money never stays without an order.

    `reason` is `order_not_payable` (paid after the order was cancelled) or `extra_charge` (a second
    charge of a payment that another charge already settled).
    """

    __tablename__ = "order_charge_refund"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    payment_id: Mapped[int] = mapped_column(ForeignKey("order_payment.id"), index=True)
    order_id: Mapped[int]
    charge_ref: Mapped[str] = mapped_column(String(80), unique=True)
    amount_fen: Mapped[int]
    reason: Mapped[str] = mapped_column(String(40))
    provider_ref: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]


class OrderRefund(Base):
    """Money given back on an order, once per reference (e.g. one after-sale request)."""

    __tablename__ = "order_refund"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    order_id: Mapped[int] = mapped_column(ForeignKey("order_header.id"), index=True)
    reference: Mapped[str] = mapped_column(String(80), unique=True)
    amount_fen: Mapped[int]
    reason: Mapped[str] = mapped_column(String(200))
    provider_ref: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]


class AddressReveal(Base):
    """A staff member saw one order's full address: who, when and why; the shop owner reads it."""

    __tablename__ = "order_address_reveal"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    order_id: Mapped[int] = mapped_column(ForeignKey("order_header.id"))
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("account_user.id"))
    reason: Mapped[str] = mapped_column(String(200))
    policy_version: Mapped[str] = mapped_column(String(40))
    revealed_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_order_address_reveal_shop", "shop_id", "id"),
        Index("ix_order_address_reveal_user", "user_id", "revealed_at"),
    )
