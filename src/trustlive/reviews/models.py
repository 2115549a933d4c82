"""Reviews tables: one review per order, linked to the products it covers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Text
from sqlalchemy.orm import Mapped, mapped_column

from trustlive.kernel.db import Base


class Review(Base):
    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    order_id: Mapped[int] = mapped_column(ForeignKey("order_header.id"), unique=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("account_user.id"))
    shop_id: Mapped[int] = mapped_column(ForeignKey("shop.id"), index=True)
    rating_described: Mapped[int]
    rating_service: Mapped[int]
    rating_logistics: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    image_urls: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    reply_text: Mapped[str | None] = mapped_column(Text, default=None)
    replied_by: Mapped[int | None] = mapped_column(default=None)
    replied_at: Mapped[datetime | None] = mapped_column(default=None)


class ReviewProduct(Base):
    __tablename__ = "review_product"

    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(primary_key=True)

    __table_args__ = (Index("ix_review_product_product", "product_id", "review_id"),)
