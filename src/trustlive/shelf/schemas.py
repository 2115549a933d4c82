"""Shelf HTTP schemas."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from trustlive.kernel.http import Id
from trustlive.shelf.search import DocKind


class ItemOut(BaseModel):
    """One thing shown: what it is, and the impression to report a click on."""

    impression_id: Id
    position: int
    propensity: float
    boosted: bool  # lifted by the new-product plan (上新)
    kind: DocKind
    id: Id
    title: str
    shop_id: Id | None
    category: str | None
    price_fen: int | None
    in_stock: bool
    sales: int
    score: float
    tier: str | None
    guarantees: list[str]
    on_air: bool
    image_url: str | None


class FacetsOut(BaseModel):
    categories: dict[str, int]
    tiers: dict[str, int]
    guarantees: dict[str, int]
    in_stock: int


class SearchOut(BaseModel):
    items: list[ItemOut]
    total: int
    facets: FacetsOut | None


class CategoryNodeOut(BaseModel):
    code: str
    name: str
    name_zh: str
    products: int
    children: list[CategoryNodeOut]


class SectionOut(BaseModel):
    code: str
    by: str
    items: list[ItemOut]


class MallOut(BaseModel):
    tree: list[CategoryNodeOut]
    sections: list[SectionOut]


class BadgeOut(BaseModel):
    tier: str | None
    score: float | None  # shop experience score, 0–5
    traffic_weight: float


class GuaranteeOut(BaseModel):
    guarantee: str
    source: str


class RoomOut(BaseModel):
    room_id: Id
    name: str
    on_air: bool
    session_id: Id | None
    title: str | None
    viewers: int


class ReviewOut(BaseModel):
    id: Id
    buyer_name: str
    rating_described: int
    rating_service: int
    rating_logistics: int
    text: str
    created_at: datetime


class ShopPageOut(BaseModel):
    shop_id: Id
    name: str
    description: str
    logo_url: str | None
    owner_id: Id
    badge: BadgeOut
    guarantees: list[GuaranteeOut]
    room: RoomOut | None
    following: bool | None
    products: SearchOut
    reviews: list[ReviewOut]


class FeedItemOut(ItemOut):
    section: str  # private | rooms | bought | explore


class FeedOut(BaseModel):
    items: list[FeedItemOut]
    policy_version: str


class AttributionOut(BaseModel):
    order_id: Id
    product_id: Id
    amount_fen: int


class ImpressionOut(BaseModel):
    id: Id
    surface: str
    position: int
    item_kind: str
    item_id: Id
    policy_version: str
    propensity: float
    boosted: bool
    shown_at: datetime
    clicked_at: datetime | None
    orders: list[AttributionOut]


class ClickOut(BaseModel):
    impression_id: Id
    surface: str
    clicked_at: datetime


class ReindexOut(BaseModel):
    products: int
    shops: int
    rooms: int
