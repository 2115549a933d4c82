"""The port through which risk control checks an order before it commits (allow, review or
block). The risk context installs its check; by default every order is allowed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.errors import Problem
from trustlive.kernel.runtime import Runtime, Slot
from trustlive.orders.errors import OrderError

CHECK_KEY: Slot[OrderCheck] = Slot("orders.risk_check")  # the composition root fills it


class Outcome(StrEnum):
    ALLOW = "allow"
    REVIEW = "review"  # the order goes through; risk control looks at it afterwards
    BLOCK = "block"


@dataclass(frozen=True)
class Client:
    """What the buyer's client says about itself. Raw here, in memory only: the check keeps
    nothing but keyed digests."""

    device_id: str | None = None
    address: str | None = None
    payment_instrument: str | None = None


NO_CLIENT = Client()


@dataclass(frozen=True)
class OrderAttempt:
    order_id: int  # the id the order will have if it is placed
    buyer_id: int
    shop_id: int
    total_fen: int
    shipping: Mapping[str, str]  # the shipping address as entered (recipient, phone, …)
    client: Client
    placed_at: datetime


@dataclass(frozen=True)
class CheckAnswer:
    outcome: Outcome
    rule: str = ""
    reason: str = ""


ALLOWED = CheckAnswer(Outcome.ALLOW)


class OrderCheck(Protocol):
    async def check(self, session: AsyncSession, attempt: OrderAttempt) -> CheckAnswer:
        """Decide before any of the order is written; may add its own records to the session."""
        ...


class AllowAllOrders:
    async def check(self, session: AsyncSession, attempt: OrderAttempt) -> CheckAnswer:
        return ALLOWED


ALLOW_ALL = AllowAllOrders()


def check_of(rt: Runtime) -> OrderCheck:
    return CHECK_KEY.get(rt) or ALLOW_ALL


class OrderBlocked(Problem):
    """Risk control refused the order. What the check recorded about the attempt is worth
    keeping although the order is not: the request boundary commits before answering."""

    status = 403

    def __init__(self, answer: CheckAnswer) -> None:
        super().__init__(
            OrderError.BLOCKED_BY_RISK,
            f"this order cannot be placed: {answer.reason}",
            rule=answer.rule,
        )
