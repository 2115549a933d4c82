"""Live rules: session lifecycle, flash-sale windows, comment pacing, regulars' badges."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from trustlive.kernel.errors import Conflict, Problem
from trustlive.live.errors import LiveError

MAX_PINS = 100
FLASH_SALE_HELD_BY = "flash_sale"  # orders' name for units a flash pool holds
MAX_COMMENT_LENGTH = 200


class OwnerKind(StrEnum):
    SHOP = "shop"
    CREATOR = "creator"


class SessionStatus(StrEnum):
    LIVE = "live"
    ENDED = "ended"


def require_live(status: str) -> None:
    if status != SessionStatus.LIVE:
        raise Conflict(LiveError.SESSION_NOT_LIVE, "this session has ended; start a new one")


@dataclass(frozen=True)
class FlashWindow:
    starts_at: datetime
    ends_at: datetime
    closed_at: datetime | None

    def is_active(self, now: datetime) -> bool:
        return self.closed_at is None and self.starts_at <= now < self.ends_at


def check_flash_terms(
    *, price_fen: int, quantity: int, per_buyer_limit: int, starts_at: datetime, ends_at: datetime
) -> None:
    if ends_at <= starts_at:
        raise Problem(LiveError.BAD_FLASH_SALE, "ends_at must be after starts_at", status=422)
    if ends_at - starts_at > timedelta(days=1):
        raise Problem(LiveError.BAD_FLASH_SALE, "a flash sale lasts at most a day", status=422)
    if per_buyer_limit > quantity:
        raise Problem(
            LiveError.BAD_FLASH_SALE, "per_buyer_limit cannot exceed the quantity", status=422
        )
    if price_fen < 1 or quantity < 1:
        raise Problem(LiveError.BAD_FLASH_SALE, "price and quantity must be positive", status=422)


@dataclass(frozen=True)
class CommentPolicy:
    """At most one comment per `min_gap` and `per_minute` a minute per user."""

    min_gap: timedelta = timedelta(seconds=2)
    per_minute: int = 10
    max_length: int = MAX_COMMENT_LENGTH

    def check(self, recent: Sequence[datetime], now: datetime) -> None:
        """`recent`: the user's comment times in the last minute, newest first."""
        in_minute = [t for t in recent if now - t < timedelta(minutes=1)]
        if in_minute and now - in_minute[0] < self.min_gap:
            wait = self.min_gap - (now - in_minute[0])
            raise _rate_limited(wait)
        if len(in_minute) >= self.per_minute:
            raise _rate_limited(timedelta(minutes=1) - (now - in_minute[-1]))


def _rate_limited(wait: timedelta) -> Problem:
    seconds = max(1, int(wait.total_seconds() + 0.999))
    return Problem(
        LiveError.COMMENT_RATE_LIMITED,
        f"you are commenting too fast; try again in {seconds} s",
        status=429,
        retry_after_seconds=seconds,
    )


@dataclass(frozen=True)
class Badge:
    level: int
    label: str


BADGE_ORDER_LEVELS = ((10, 3), (3, 2), (1, 1))  # (paid orders in this room, level)
LOYAL_FAN_AFTER = timedelta(days=30)


def regular_badge(
    *, paid_orders: int, following_since: datetime | None, now: datetime
) -> Badge | None:
    """老粉: a level from past paid orders in this room, or level 1 for a fan of 30+ days."""
    for threshold, level in BADGE_ORDER_LEVELS:
        if paid_orders >= threshold:
            return Badge(level, f"老粉 Lv{level}")
    if following_since is not None and now - following_since >= LOYAL_FAN_AFTER:
        return Badge(1, "老粉")
    return None
