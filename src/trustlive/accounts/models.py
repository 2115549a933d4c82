"""Accounts tables: users, their bearer tokens, who follows whom, and saved shipping addresses."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from trustlive.kernel.db import Base


class User(Base):
    __tablename__ = "account_user"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(40))
    password_hash: Mapped[str] = mapped_column(String(200))
    roles: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None] = mapped_column(default=None)  # by an operator's decision


class AuthToken(Base):
    """A login. Only the token's SHA-256 is kept; logout sets revoked_at."""

    __tablename__ = "account_token"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("account_user.id"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None] = mapped_column(default=None)


class Follow(Base):
    """follower follows followee. Two rows in opposite directions make a mutual follow (互关)."""

    __tablename__ = "account_follow"

    follower_id: Mapped[int] = mapped_column(ForeignKey("account_user.id"), primary_key=True)
    followee_id: Mapped[int] = mapped_column(ForeignKey("account_user.id"), primary_key=True)
    id: Mapped[int] = mapped_column(unique=True)  # time-ordered, for keyset paging
    created_at: Mapped[datetime]

    __table_args__ = (Index("ix_account_follow_followee", "followee_id", "id"),)


class Address(Base):
    """A shipping address a buyer saved for checkout. Only its owner reads it; an order copies
    the fields it ships to (orders mask that copy for everyone but the buyer)."""

    __tablename__ = "account_address"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("account_user.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(20))
    phone: Mapped[str] = mapped_column(String(20))
    province: Mapped[str] = mapped_column(String(20))
    city: Mapped[str] = mapped_column(String(20))
    district: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(String(120))
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]
