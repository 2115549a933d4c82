"""After-sales tables: requests, disputes, evidence, guarantees, deposits and the pay-out ledger."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column

from trustlive.kernel.db import Base

OPEN_PREDICATE = (
    "status IN ('pending', 'rejected', 'disputed', 'awaiting_return', 'return_shipped')"
)


class AftersaleRequest(Base):
    __tablename__ = "aftersale_request"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    order_id: Mapped[int] = mapped_column(ForeignKey("order_header.id"), index=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"))
    buyer_id: Mapped[int] = mapped_column(ForeignKey("account_user.id"))
    kind: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(String(500), default="")
    evidence_urls: Mapped[list[str]] = mapped_column(JSON)
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{sku_id, quantity}]
    amount_fen: Mapped[int]
    shipped: Mapped[bool]  # was the order shipped when the buyer asked
    status: Mapped[str] = mapped_column(String(20))
    opened_at: Mapped[datetime]
    decide_by_at: Mapped[datetime | None] = mapped_column(default=None)
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    reject_reason: Mapped[str] = mapped_column(String(500), default="")
    return_ship_by_at: Mapped[datetime | None] = mapped_column(default=None)
    return_carrier: Mapped[str | None] = mapped_column(String(40), default=None)
    return_tracking_no: Mapped[str | None] = mapped_column(String(40), default=None)
    return_shipped_at: Mapped[datetime | None] = mapped_column(default=None)
    confirm_by_at: Mapped[datetime | None] = mapped_column(default=None)
    return_received_at: Mapped[datetime | None] = mapped_column(default=None)
    refunded_fen: Mapped[int] = mapped_column(default=0)
    refunded_at: Mapped[datetime | None] = mapped_column(default=None)
    instant: Mapped[bool] = mapped_column(default=False)
    without_return: Mapped[bool] = mapped_column(default=False)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    policy_version: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(default=1)

    __table_args__ = (
        Index("ix_aftersale_request_shop", "shop_id", "status", "id"),
        Index("ix_aftersale_request_buyer", "buyer_id", "id"),
        Index("ix_aftersale_request_status", "status"),
        Index(  # the rule "one open request per order", kept by the database (domain.OPEN)
            "uq_aftersale_request_open",
            "order_id",
            unique=True,
            sqlite_where=sql_text(OPEN_PREDICATE),
            postgresql_where=sql_text(OPEN_PREDICATE),
        ),
    )


class AftersaleStep(Base):
    """Who moved a request from what to what, when, and under which policy: its audit trail."""

    __tablename__ = "aftersale_step"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    request_id: Mapped[int] = mapped_column(ForeignKey("aftersale_request.id"), index=True)
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(30))
    actor: Mapped[str] = mapped_column(String(10))
    actor_id: Mapped[int | None]
    note: Mapped[str] = mapped_column(String(500), default="")
    policy_version: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime]


class Dispute(Base):
    __tablename__ = "aftersale_dispute"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    request_id: Mapped[int] = mapped_column(ForeignKey("aftersale_request.id"), unique=True)
    order_id: Mapped[int]
    shop_id: Mapped[int] = mapped_column(index=True)
    buyer_id: Mapped[int]
    status: Mapped[str] = mapped_column(String(10))  # open | decided
    opened_at: Mapped[datetime]
    decided_at: Mapped[datetime | None] = mapped_column(default=None)
    operator_id: Mapped[int | None] = mapped_column(default=None)
    merchant_at_fault: Mapped[bool | None] = mapped_column(default=None)
    counterfeit: Mapped[bool | None] = mapped_column(default=None)
    decision_note: Mapped[str] = mapped_column(String(1000), default="")
    policy_version: Mapped[str] = mapped_column(String(40))

    __table_args__ = (Index("ix_aftersale_dispute_status", "status", "id"),)


class DisputeEvidence(Base):
    __tablename__ = "aftersale_dispute_evidence"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("aftersale_dispute.id"), index=True)
    party: Mapped[str] = mapped_column(String(10))  # buyer | merchant
    author_id: Mapped[int]
    text: Mapped[str] = mapped_column(String(1000))
    image_urls: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class ShopGuarantee(Base):
    """A guarantee a shop opted into or its tier unlocked (mandatory ones are not stored)."""

    __tablename__ = "aftersale_shop_guarantee"

    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), primary_key=True)
    guarantee: Mapped[str] = mapped_column(String(30), primary_key=True)
    source: Mapped[str] = mapped_column(String(10))  # opt_in | tier
    since: Mapped[datetime]
    policy_version: Mapped[str] = mapped_column(String(40))


class GuaranteeUnlock(Base):
    """A guarantee the shop's tier lets it choose to offer (offered only once it opts in)."""

    __tablename__ = "aftersale_guarantee_unlock"

    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), primary_key=True)
    guarantee: Mapped[str] = mapped_column(String(30), primary_key=True)
    since: Mapped[datetime]
    policy_version: Mapped[str] = mapped_column(String(40))


class DepositAccount(Base):
    """A shop's deposit (保证金). A negative balance is what the shop owes the platform."""

    __tablename__ = "aftersale_deposit_account"

    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), primary_key=True)
    balance_fen: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime]


class DepositEntry(Base):
    __tablename__ = "aftersale_deposit_entry"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    shop_id: Mapped[int] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(10))  # top_up | debit
    amount_fen: Mapped[int]  # positive for top-ups, negative for debits
    balance_after_fen: Mapped[int]
    payout_id: Mapped[int | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime]


class GuaranteePayout(Base):
    """The ledger: every guarantee executed, who pays, who receives, how much and why."""

    __tablename__ = "aftersale_guarantee_payout"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    dedupe_key: Mapped[str] = mapped_column(String(80), unique=True)
    guarantee: Mapped[str] = mapped_column(String(30))
    payer: Mapped[str] = mapped_column(String(20))
    buyer_id: Mapped[int] = mapped_column(index=True)
    shop_id: Mapped[int] = mapped_column(index=True)
    order_id: Mapped[int] = mapped_column(index=True)
    request_id: Mapped[int | None] = mapped_column(default=None)
    amount_fen: Mapped[int]
    platform_advanced_fen: Mapped[int] = mapped_column(default=0)
    provider_ref: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(String(200))
    policy_version: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime]


class FastShippingWatch(Base):
    """A paid order of a shop promising fast shipping, checked once its promise falls due."""

    __tablename__ = "aftersale_fast_shipping_watch"

    order_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    shop_id: Mapped[int]
    buyer_id: Mapped[int]
    due_at: Mapped[datetime]
    checked_at: Mapped[datetime | None] = mapped_column(default=None)
    policy_version: Mapped[str] = mapped_column(String(40))

    __table_args__ = (Index("ix_aftersale_fast_shipping_due", "checked_at", "due_at"),)
