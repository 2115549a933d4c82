"""Catalog HTTP schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, StringConstraints

from trustlive.catalog.domain import Availability, ProductStatus
from trustlive.kernel.fields import InputModel
from trustlive.kernel.http import Id
from trustlive.kernel.money import PriceFen

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Spec = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Description = Annotated[str, StringConstraints(max_length=5000)]
Stock = Annotated[int, Field(ge=0, le=1_000_000)]
# an image on the web, or one uploaded here (uploadProductImage answers its /media/… path)
UploadedPath = Annotated[str, StringConstraints(pattern=r"^/media/[A-Za-z0-9_./-]{1,200}$")]
ImageRef = AnyHttpUrl | UploadedPath
Images = Annotated[list[ImageRef], Field(max_length=9)]
MAX_SKUS = 50


Strict = InputModel  # every request body: no unknown fields, no control characters


class SkuIn(Strict):
    spec_name: Spec = Field(examples=["5斤装"])
    price_fen: PriceFen = Field(examples=[3990])
    stock: Stock = 0


class ProductIn(Strict):
    title: Title = Field(examples=["赣南脐橙 现摘现发"])
    description: Description = ""
    category: str = Field(max_length=40, examples=["fresh_food"])
    image_urls: Images = Field(default_factory=list)
    skus: Annotated[list[SkuIn], Field(min_length=1, max_length=MAX_SKUS)]


class SkuPatch(Strict):
    id: Id | None = Field(None, description="omit to add a SKU")
    spec_name: Spec
    price_fen: PriceFen
    stock: Stock | None = Field(None, description="only for a new SKU; use adjustStock otherwise")


class ProductPatch(Strict):
    title: Title | None = None
    description: Description | None = None
    category: str | None = Field(None, max_length=40)
    image_urls: Images | None = None
    skus: Annotated[list[SkuPatch], Field(max_length=MAX_SKUS)] | None = None


class SkuOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    spec_name: str
    price_fen: int
    stock: int
    availability: Availability = Field(description="what buyers are shown instead of the count")
    only_left: int | None = Field(description="the count, only when few are left (policy)")


class ProductOut(BaseModel):
    id: Id
    shop_id: Id
    title: str
    description: str
    category: str
    image_urls: list[str]
    status: ProductStatus
    sold_count: int
    skus: list[SkuOut]
    created_at: datetime
    listed_at: datetime | None


class ProductPage(BaseModel):
    items: list[ProductOut]
    next_before: str | None


class StockAdjustmentIn(Strict):
    delta: Annotated[int, Field(ge=-1_000_000, le=1_000_000)] = Field(
        description="units to add (positive) or remove (negative)"
    )
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class StockAdjustmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: Id
    sku_id: Id
    delta: int
    stock_after: int
    reason: str
    actor_id: Id
    created_at: datetime


class ImageOut(BaseModel):
    url: str = Field(description="put it in a product's image_urls")
    content_type: str
    width: int
    height: int
    size_bytes: int


class CategoryOut(BaseModel):
    code: str
    name: str
    name_zh: str
    seven_day_return: bool
