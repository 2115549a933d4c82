"""Shelf tables: the search documents, the exposure log and what it earned, exploration counts."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column

from trustlive.kernel.db import Base

# On PostgreSQL the segmented terms as a tsvector (GIN-indexed); SQLite keeps it empty and
# indexes `terms` in the FTS5 table `shelf_search_fts` (migration 0010) through triggers.
TermsVector = Text().with_variant(TSVECTOR(), "postgresql")


class SearchDoc(Base):
    """One searchable thing (product, shop or live room) as the shelf sees it: denormalised from
    catalog, shops, trust, aftersale and live by events, so a query reads one table."""

    __tablename__ = "shelf_search_doc"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)  # the thing's own id
    kind: Mapped[str] = mapped_column(String(10))  # product | shop | room
    shop_id: Mapped[int | None] = mapped_column(default=None)
    title: Mapped[str] = mapped_column(String(120))
    category: Mapped[str | None] = mapped_column(String(40), default=None)
    price_fen: Mapped[int | None] = mapped_column(default=None)
    in_stock: Mapped[bool] = mapped_column(default=True)
    sales: Mapped[int] = mapped_column(default=0)
    score: Mapped[float] = mapped_column(default=0.0)
    tier: Mapped[str | None] = mapped_column(String(20), default=None)
    traffic_weight: Mapped[float] = mapped_column(default=1.0)
    guarantees: Mapped[str] = mapped_column(String(200), default=" ")  # " a b ": LIKE '% a %'
    on_air: Mapped[bool] = mapped_column(default=False)
    image_url: Mapped[str | None] = mapped_column(String(500), default=None)
    listed_at: Mapped[datetime | None] = mapped_column(default=None)
    terms: Mapped[str] = mapped_column(Text)
    terms_vector: Mapped[str | None] = mapped_column(TermsVector, default=None)
    updated_at: Mapped[datetime]

    __table_args__ = (
        Index("ix_shelf_search_doc_kind_category", "kind", "category", "sales"),
        Index("ix_shelf_search_doc_kind_sales", "kind", "sales"),
        Index("ix_shelf_search_doc_kind_listed", "kind", "listed_at"),
        Index("ix_shelf_search_doc_shop", "shop_id", "kind"),
        Index("ix_shelf_search_doc_terms_vector", "terms_vector", postgresql_using="gin"),
    )


class Impression(Base):
    """One item shown to one viewer: where, at which position, under which policy, and how likely
    the policy was to show it there (for offline evaluation of another policy)."""

    __tablename__ = "shelf_impression"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    request_id: Mapped[int]  # the page it was part of
    viewer_id: Mapped[int | None] = mapped_column(default=None)  # None: anonymous
    surface: Mapped[str] = mapped_column(String(10))  # search | feed | mall | shop | room
    position: Mapped[int]
    item_kind: Mapped[str] = mapped_column(String(10))  # product | room | shop
    item_id: Mapped[int]
    shop_id: Mapped[int | None] = mapped_column(default=None)
    policy_version: Mapped[str] = mapped_column(String(40))
    propensity: Mapped[float]
    boosted: Mapped[bool] = mapped_column(default=False)  # the new-product plan lifted it
    shown_at: Mapped[datetime]
    clicked_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (
        Index("ix_shelf_impression_viewer", "viewer_id", "item_id", "shown_at"),
        Index("ix_shelf_impression_shop", "shop_id", "shown_at"),
    )


class Attribution(Base):
    """An order credited to the impression (and so the surface) that led to it."""

    __tablename__ = "shelf_attribution"

    order_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    product_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    impression_id: Mapped[int] = mapped_column(index=True)
    surface: Mapped[str] = mapped_column(String(10))
    buyer_id: Mapped[int]
    amount_fen: Mapped[int]
    attributed_at: Mapped[datetime]


class Arm(Base):
    """Exploration evidence of one item: impressions, clicks and orders, for its Beta posteriors
    and its staged pool."""

    __tablename__ = "shelf_arm"

    item_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    impressions: Mapped[int] = mapped_column(default=0)
    clicks: Mapped[int] = mapped_column(default=0)
    orders: Mapped[int] = mapped_column(default=0)
    pool: Mapped[int] = mapped_column(default=0)


class DailyDelivery(Base):
    """Impressions an item received on one day, and how many of them the new-product boost gave:
    what pacing reads."""

    __tablename__ = "shelf_daily_delivery"

    item_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    day: Mapped[date] = mapped_column(primary_key=True)
    impressions: Mapped[int] = mapped_column(default=0)
    boosted: Mapped[int] = mapped_column(default=0)
