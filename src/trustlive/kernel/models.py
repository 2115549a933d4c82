"""Kernel tables: the event outbox, per-handler deliveries, idempotency records, job leases and
the items a scheduled job could not handle."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trustlive.kernel.db import Base


class OutboxEvent(Base):
    """An event, written in the same transaction as the change it reports."""

    __tablename__ = "outbox_event"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    topic: Mapped[str] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    fanned_out_at: Mapped[datetime | None] = mapped_column(default=None)
    request_id: Mapped[str | None] = mapped_column(String(64), default=None)  # who caused it

    __table_args__ = (Index("ix_outbox_event_pending", "fanned_out_at", "id"),)


class OutboxDelivery(Base):
    """One handler's delivery of one event; `done` is committed with the handler's own writes."""

    __tablename__ = "outbox_delivery"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    event_id: Mapped[int] = mapped_column(ForeignKey("outbox_event.id"))
    handler: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(10))  # pending | done | dead
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (
        UniqueConstraint("event_id", "handler"),
        Index("ix_outbox_delivery_due", "status", "next_attempt_at"),
    )


class IdempotencyRecord(Base):
    """The first answer to a create request, returned again for a retry with the same key."""

    __tablename__ = "idempotency_record"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    scope: Mapped[str] = mapped_column(String(100))
    key: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int]
    response: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]

    __table_args__ = (UniqueConstraint("scope", "key"),)


class JobLease(Base):
    """Which process runs a scheduled job now; past `expires_at` the lease is free again."""

    __tablename__ = "job_lease"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    holder: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime]


class JobItemFailure(Base):
    """An item a scheduled sweep could not handle: recorded, retried later, blocking nothing."""

    __tablename__ = "job_item_failure"

    job: Mapped[str] = mapped_column(String(100), primary_key=True)
    item_key: Mapped[str] = mapped_column(String(100), primary_key=True)
    attempts: Mapped[int]
    last_error: Mapped[str] = mapped_column(Text)
    first_failed_at: Mapped[datetime]
    last_failed_at: Mapped[datetime]
    retry_at: Mapped[datetime]
