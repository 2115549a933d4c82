"""Reviews: ratings and reviews of received orders. Other contexts use this facade."""

from trustlive.reviews.events import ReviewCreated
from trustlive.reviews.service import ReviewView
from trustlive.reviews.service import list_for_shop as shop_reviews

__all__ = ["ReviewCreated", "ReviewView", "shop_reviews"]
