"""Messaging tables: one thread per buyer and shop, and its messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from trustlive.kernel.db import Base


class MessageThread(Base):
    __tablename__ = "messaging_thread"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), index=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("account_user.id"), index=True)
    created_at: Mapped[datetime]
    last_message_at: Mapped[datetime]
    # the first buyer message the shop has not answered yet (first-reply time starts here)
    waiting_since: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (UniqueConstraint("shop_id", "buyer_id"),)


class Message(Base):
    __tablename__ = "messaging_message"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    thread_id: Mapped[int] = mapped_column(ForeignKey("messaging_thread.id"), index=True)
    sender: Mapped[str] = mapped_column(String(10))  # buyer | shop
    author_id: Mapped[int]
    text: Mapped[str] = mapped_column(String(1000))
    sent_at: Mapped[datetime]
    first_reply_seconds: Mapped[int | None] = mapped_column(default=None)
