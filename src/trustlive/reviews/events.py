"""Events published by reviews."""

from dataclasses import dataclass, field

from trustlive.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class ReviewCreated(Event):
    topic = "reviews.review_created"
    review_id: int
    order_id: int
    shop_id: int
    buyer_id: int
    product_ids: list[int] = field(default_factory=list)
    rating_described: int
    rating_service: int
    rating_logistics: int
