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


class StreamStatus(StrEnum):
    """The video of a live session, as the media server reports it. A session without a
    platform stream (none published yet, or a hand-typed HLS URL) has no stream status."""

    ON_AIR = "on_air"
    RECONNECTING = "reconnecting"  # the publisher dropped or the media server stopped answering


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


@dataclass(frozen=True)
class FlashPolicy:
    """How far ahead a flash sale may be set and how long it may run."""

    # source: chosen: a sale belongs to the live session it is set in; a day's lead covers the
    # longest broadcasts and keeps stock from being held for a sale nobody is there to watch
    max_lead: timedelta = timedelta(hours=24)
    # source: chosen: a 秒杀 runs for minutes; a day is the console's longest choice (1440 min)
    max_length: timedelta = timedelta(hours=24)


def check_flash_terms(
    *,
    price_fen: int,
    quantity: int,
    per_buyer_limit: int,
    starts_at: datetime,
    ends_at: datetime,
    now: datetime,
    policy: FlashPolicy = FlashPolicy(),
) -> None:
    if ends_at <= starts_at:
        raise _bad_flash("ends_at", "ends_at must be after starts_at")
    if ends_at <= now:
        raise _bad_flash("ends_at", "ends_at is in the past")
    if starts_at - now > policy.max_lead:
        hours = policy.max_lead // timedelta(hours=1)
        raise _bad_flash("starts_at", f"a flash sale starts within {hours} h from now")
    if ends_at - starts_at > policy.max_length:
        hours = policy.max_length // timedelta(hours=1)
        raise _bad_flash("ends_at", f"a flash sale lasts at most {hours} h")
    if per_buyer_limit > quantity:
        raise _bad_flash("per_buyer_limit", "per_buyer_limit cannot exceed the quantity")
    if price_fen < 1 or quantity < 1:
        raise Problem(LiveError.BAD_FLASH_SALE, "price and quantity must be positive", status=422)


def _bad_flash(field: str, detail: str) -> Problem:
    return Problem(LiveError.BAD_FLASH_SALE, detail, status=422, field=field)


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
