"""Reviews: ratings and reviews of received orders. Other contexts use this facade."""

from trustlive.reviews.events import ReviewCreated

__all__ = ["ReviewCreated"]
