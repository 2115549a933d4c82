"""Trust error codes."""

from enum import StrEnum


class TrustError(StrEnum):
    NOT_A_CREATOR_VIEWER = "creator-score-private"
