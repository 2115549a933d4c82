"""Reviews HTTP schemas."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AnyHttpUrl, BaseModel, Field, StringConstraints

from trustlive.kernel.fields import InputModel
from trustlive.kernel.http import Id
from trustlive.reviews.domain import RATING_MAX, RATING_MIN

Rating = Annotated[int, Field(ge=RATING_MIN, le=RATING_MAX)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]


class ReviewIn(InputModel):
    rating_described: Rating = Field(description="product as described (描述相符)")
    rating_service: Rating = Field(description="seller service (服务态度)")
    rating_logistics: Rating = Field(description="delivery (物流服务)")
    text: Text = ""
    image_urls: Annotated[list[AnyHttpUrl], Field(max_length=9)] = Field(default_factory=list)


class ReplyIn(InputModel):
    text: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class ReviewOut(BaseModel):
    id: Id
    order_id: Id
    shop_id: Id
    buyer_name: str = Field(description="masked, e.g. 王**")
    rating_described: int
    rating_service: int
    rating_logistics: int
    text: str
    image_urls: list[str]
    created_at: datetime
    reply_text: str | None
    replied_at: datetime | None


class ReviewPage(BaseModel):
    items: list[ReviewOut]
    next_before: str | None
