"""Review rules: when an order may be reviewed, and the one reply a merchant gets."""

from __future__ import annotations

from trustlive.kernel.errors import Conflict
from trustlive.reviews.errors import ReviewError

RATING_MIN, RATING_MAX = 1, 5


def check_reviewable(*, status: str, reviewable: frozenset[str], already_reviewed: bool) -> None:
    if status not in reviewable:
        raise Conflict(
            ReviewError.NOT_REVIEWABLE,
            "confirm receipt before reviewing the order",
            current_status=status,
        )
    if already_reviewed:
        raise Conflict(ReviewError.ALREADY_REVIEWED, "this order already has its review")


def check_can_reply(*, existing_reply: str | None) -> None:
    if existing_reply is not None:
        raise Conflict(ReviewError.ALREADY_REPLIED, "the shop has already replied to this review")
