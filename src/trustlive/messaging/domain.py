"""Messaging rules: the first-reply clock of a thread. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Sender(StrEnum):
    BUYER = "buyer"
    SHOP = "shop"


@dataclass(frozen=True)
class ReplyClock:
    """After a message: when the shop's wait started (None: nothing unanswered) and, on the
    shop's first reply to a waiting buyer, how long the buyer waited."""

    waiting_since: datetime | None
    first_reply_seconds: int | None


def after_message(sender: Sender, waiting_since: datetime | None, now: datetime) -> ReplyClock:
    if sender == Sender.BUYER:
        return ReplyClock(waiting_since or now, None)
    if waiting_since is None:
        return ReplyClock(None, None)
    return ReplyClock(None, int((now - waiting_since).total_seconds()))
