"""Rules of cases and enforcement: who a case is about, the actions an operator takes, when
they are in force, and the one appeal a subject has. Pure: `now` is passed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from trustlive.kernel.errors import Conflict, Problem
from trustlive.risk.errors import RiskError


class SubjectKind(StrEnum):
    ACCOUNT = "account"
    SHOP = "shop"
    GANG = "gang"  # named by its first member; the members are the accounts acted on


class CaseStatus(StrEnum):
    OPEN = "open"  # evidence waits for an operator
    ACTIONED = "actioned"  # an operator acted; new evidence opens it again
    DISMISSED = "dismissed"  # an operator found nothing; new evidence opens it again


class Detector(StrEnum):
    INLINE = "inline"  # the order check's review or block
    BANNED_IDENTIFIER = "banned_identifier"  # a new account shows a closed account's identifier
    TEXT = "text"  # repeated private-deal or false-claim findings
    BRUSHING = "brushing"  # a flagged one-hour window
    DENSE_BLOCK = "dense_block"  # FRAUDAR block
    GANG = "gang"  # accounts linked by shared identifiers
    REPORT = "report"  # a buyer's report


class ActionKind(StrEnum):
    WARN = "warn"
    LIMIT_TRAFFIC = "limit_traffic"  # params: factor in (0, 1): the shelf multiplies its weight
    FREEZE_SETTLEMENT = "freeze_settlement"  # pay-outs and commission held while in force
    REMOVE_PRODUCTS = "remove_products"  # params: product_ids
    BAN_ROOM = "ban_room"  # params: room_id
    CLOSE_ACCOUNT = "close_account"  # the accounts cannot log in; their identifiers are banned
    EXCLUDE_FROM_SCORES = "exclude_from_scores"  # the evidence's accounts and orders count nowhere


class ActionStatus(StrEnum):
    IN_FORCE = "in_force"
    OVERTURNED = "overturned"  # an appeal succeeded
    LIFTED = "lifted"  # expired (recorded by the expiry job)


class ReportTarget(StrEnum):
    ROOM = "room"
    PRODUCT = "product"
    COMMENT = "comment"
    SHOP = "shop"


# Which subjects each action applies to: shop-level measures need a shop case.
SHOP_ONLY = {ActionKind.LIMIT_TRAFFIC, ActionKind.REMOVE_PRODUCTS}
ACCOUNT_ONLY = {ActionKind.CLOSE_ACCOUNT}


def check_action_fits(kind: ActionKind, subject: SubjectKind) -> None:
    if kind in SHOP_ONLY and subject != SubjectKind.SHOP:
        raise Problem(
            RiskError.ACTION_DOES_NOT_FIT,
            f"{kind} applies to a shop; this case is about a {subject}",
            status=422,
        )
    if kind in ACCOUNT_ONLY and subject == SubjectKind.SHOP:
        raise Problem(
            RiskError.ACTION_DOES_NOT_FIT,
            f"{kind} applies to accounts; close the shop owner's account from their own case",
            status=422,
        )


def expiry(
    kind: ActionKind, *, days: int | None, defaults: dict[str, int], now: datetime
) -> datetime | None:
    """The operator's days, else the policy's default for the kind; 0 days: no expiry."""
    chosen = defaults.get(kind.value, 0) if days is None else days
    return None if chosen == 0 else now + timedelta(days=chosen)


def in_force(status: str, expires_at: datetime | None, now: datetime) -> bool:
    return status == ActionStatus.IN_FORCE and (expires_at is None or now < expires_at)


@dataclass(frozen=True)
class AppealFacts:
    status: str
    decided_at: datetime
    appealed_at: datetime | None


def check_appealable(facts: AppealFacts, *, window: timedelta, now: datetime) -> None:
    """One appeal per action, within the window, against an action still standing."""
    if facts.appealed_at is not None:
        raise Conflict(RiskError.ALREADY_APPEALED, "this decision was already appealed once")
    if facts.status != ActionStatus.IN_FORCE:
        raise Conflict(
            RiskError.NOT_APPEALABLE, f"a decision that is {facts.status} stands no more"
        )
    if now > facts.decided_at + window:
        raise Conflict(
            RiskError.APPEAL_WINDOW_CLOSED,
            f"appeals are accepted within {window.days} days of the decision",
        )


def reopened(status: str) -> str:
    """New evidence puts any case back in the queue."""
    return CaseStatus.OPEN if status != CaseStatus.OPEN else status
