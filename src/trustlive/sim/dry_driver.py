"""A driver that acts on nothing: for calibrating behaviour and testing the run loop alone."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from datetime import datetime

from trustlive.aftersale import Kind, Reason
from trustlive.sim.behaviour import Ratings
from trustlive.sim.driver import Ticket


class DryDriver:
    """Acts on nothing and counts ids up: calibrates behaviour, tests the loop in isolation."""

    def __init__(self) -> None:
        self.next_id = 0
        self.calls: dict[str, int] = {}

    def _id(self, call: str) -> int:
        self.calls[call] = self.calls.get(call, 0) + 1
        self.next_id += 1
        return self.next_id

    @contextlib.asynccontextmanager
    async def batch(self, now: datetime) -> AsyncIterator[None]:
        yield

    async def register(self, username: str, display_name: str, *, creator: bool) -> int:
        return self._id("register")

    async def open_shop(self, owner_id: int, name: str, description: str) -> int:
        return self._id("open_shop")

    async def list_product(
        self, owner_id: int, shop_id: int, title: str, category: str, price_fen: int
    ) -> int:
        return self._id("list_product")

    async def follow(self, follower_id: int, followee_id: int) -> None:
        self._id("follow")

    async def unfollow(self, follower_id: int, followee_id: int) -> None:
        self._id("unfollow")

    async def register_operator(self, username: str, display_name: str) -> int:
        return self._id("register_operator")

    async def start_session(
        self, owner_id: int, shop_id: int, sku_ids: Sequence[int], title: str, at: datetime
    ) -> int:
        return self._id("start_session")

    async def admit_viewers(self, session_id: int, viewer_ids: Sequence[int], at: datetime) -> None:
        self._id("admit_viewers")

    async def comment(self, session_id: int, user_id: int, text: str, at: datetime) -> None:
        self._id("comment")

    async def end_session(self, owner_id: int, session_id: int, at: datetime) -> None:
        self._id("end_session")

    async def place_order(
        self,
        buyer_id: int,
        sku_id: int,
        quantity: int,
        address: dict[str, str],
        at: datetime,
        live_session_id: int | None,
    ) -> int:
        return self._id("place_order")

    async def pay(self, buyer_id: int, order_id: int, at: datetime) -> None:
        self._id("pay")

    async def ship(self, actor_id: int, order_id: int, tracking_no: str, at: datetime) -> None:
        self._id("ship")

    async def confirm_receipt(self, buyer_id: int, order_id: int, at: datetime) -> None:
        self._id("confirm_receipt")

    async def review(
        self, buyer_id: int, order_id: int, ratings: Ratings, text: str, at: datetime
    ) -> None:
        self._id("review")

    async def request_aftersale(
        self, buyer_id: int, order_id: int, kind: Kind, reason: Reason, at: datetime
    ) -> Ticket:
        return Ticket(self._id("request_aftersale"), settled=False)

    async def decide_aftersale(
        self, owner_id: int, ticket: Ticket, *, accept: bool, at: datetime
    ) -> None:
        self._id("accept_aftersale" if accept else "reject_aftersale")

    async def escalate(self, buyer_id: int, ticket: Ticket, at: datetime) -> int:
        return self._id("escalate")

    async def rule_dispute(
        self,
        operator_id: int,
        dispute_id: int,
        *,
        merchant_at_fault: bool,
        counterfeit: bool,
        at: datetime,
    ) -> None:
        self._id("rule_dispute")

    async def ship_return(
        self, buyer_id: int, ticket: Ticket, tracking_no: str, at: datetime
    ) -> bool:
        self._id("ship_return")
        return False

    async def confirm_return(self, owner_id: int, ticket: Ticket, at: datetime) -> None:
        self._id("confirm_return")

    async def run_jobs(self, now: datetime) -> int:
        return 0

    async def deliver_events(self) -> int:
        return 0
