"""Catalog tables: products, their SKUs, and the audit trail of stock changes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from trustlive.kernel.db import Base


class Product(Base):
    __tablename__ = "catalog_product"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"))
    title: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[str] = mapped_column(String(40))
    image_urls: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10))
    sold_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    listed_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (Index("ix_catalog_product_shop", "shop_id", "status", "id"),)


class Sku(Base):
    __tablename__ = "catalog_sku"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    product_id: Mapped[int] = mapped_column(ForeignKey("catalog_product.id"), index=True)
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"))
    spec_name: Mapped[str] = mapped_column(String(60))
    price_fen: Mapped[int]
    stock: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)

    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price_fen > 0", name="price_positive"),
    )


class StockAdjustment(Base):
    """Every stock change a person makes, with who, why, and the stock after it."""

    __tablename__ = "catalog_stock_adjustment"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    sku_id: Mapped[int] = mapped_column(ForeignKey("catalog_sku.id"), index=True)
    delta: Mapped[int]
    stock_after: Mapped[int]
    reason: Mapped[str] = mapped_column(String(200))
    actor_id: Mapped[int]
    created_at: Mapped[datetime]
