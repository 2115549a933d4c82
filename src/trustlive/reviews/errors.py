"""Reviews error codes."""

from enum import StrEnum


class ReviewError(StrEnum):
    NOT_REVIEWABLE = "order-not-reviewable"
    ALREADY_REVIEWED = "already-reviewed"
    ALREADY_REPLIED = "already-replied"
