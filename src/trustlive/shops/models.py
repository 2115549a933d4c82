"""Shops tables: the shop and its staff."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from trustlive.kernel.db import Base


class Shop(Base):
    __tablename__ = "shop"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    owner_id: Mapped[int] = mapped_column(ForeignKey("account_user.id"), unique=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    logo_url: Mapped[str | None] = mapped_column(String(500), default=None)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ShopStaff(Base):
    __tablename__ = "shop_staff"

    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("account_user.id"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    added_by: Mapped[int]
    added_at: Mapped[datetime]
