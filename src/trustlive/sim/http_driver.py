"""The simulator's driver over HTTP: every action is a request to a running server (load)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

import httpx

from trustlive.aftersale import Kind, Reason
from trustlive.sim.behaviour import Ratings
from trustlive.sim.driver import (
    CARRIER,
    PASSWORD,
    REASON_TEXT,
    RETURN_CARRIER,
    SKU_STOCK,
    Ticket,
    image_url,
)


class HttpDriver:
    """Drives a running server over its public API: every action is a request (load testing).

    The server keeps its own clock and runs its own jobs, so `at` is only the simulated intent.
    Operators are made by an administrator, not through the API: pass one's id and token to
    have disputes ruled; without them disputes wait for a person at the operator console.
    Viewers count in a session's statistics when they join its room channel (WebSocket), which
    this driver does not open; it drives everything else a live session has over HTTP.
    """

    def __init__(self, client: httpx.AsyncClient, operator: tuple[int, str] | None = None) -> None:
        self.client = client
        self.tokens: dict[int, str] = {}
        self.operator = operator
        self.product_of: dict[int, int] = {}  # sku id → product id, to pin a shop's products

    def _auth(self, user_id: int) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[user_id]}"}

    async def _call(self, method: str, path: str, user_id: int | None, **kw: Any) -> Any:
        headers = {**kw.pop("headers", {}), **(self._auth(user_id) if user_id else {})}
        r = await self.client.request(method, f"/api/v1{path}", headers=headers, **kw)
        if r.status_code >= 400:
            raise RuntimeError(f"{method} {path} → {r.status_code}: {r.text[:300]}")
        return r.json() if r.content else None

    @contextlib.asynccontextmanager
    async def batch(self, now: datetime) -> AsyncIterator[None]:
        yield

    async def register(self, username: str, display_name: str, *, creator: bool) -> int:
        body = {"username": username, "display_name": display_name, "password": PASSWORD}
        user = await self._call("POST", "/users", None, json={**body, "as_creator": creator})
        login = await self._call(
            "POST", "/sessions", None, json={"username": username, "password": PASSWORD}
        )
        user_id = int(user["id"])
        self.tokens[user_id] = login["token"]
        return user_id

    async def open_shop(self, owner_id: int, name: str, description: str) -> int:
        shop = await self._call(
            "POST", "/shops", owner_id, json={"name": name, "description": description}
        )
        return int(shop["id"])

    async def list_product(
        self, owner_id: int, shop_id: int, title: str, category: str, price_fen: int
    ) -> int:
        body = {
            "title": title,
            "category": category,
            "image_urls": [image_url(title)],
            "skus": [{"spec_name": "标准", "price_fen": price_fen, "stock": SKU_STOCK}],
        }
        product = await self._call("POST", f"/shops/{shop_id}/products", owner_id, json=body)
        await self._call("POST", f"/products/{product['id']}/list", owner_id)
        sku_id = int(product["skus"][0]["id"])
        self.product_of[sku_id] = int(product["id"])
        return sku_id

    async def register_operator(self, username: str, display_name: str) -> int:
        if self.operator is None:
            return await self.register(username, display_name, creator=False)
        user_id, token = self.operator
        self.tokens[user_id] = token
        return user_id

    async def follow(self, follower_id: int, followee_id: int) -> None:
        await self._call("PUT", f"/me/following/{followee_id}", follower_id)

    async def unfollow(self, follower_id: int, followee_id: int) -> None:
        await self._call("DELETE", f"/me/following/{followee_id}", follower_id)

    async def start_session(
        self, owner_id: int, shop_id: int, sku_ids: Sequence[int], title: str, at: datetime
    ) -> int:
        room = await self._call("GET", f"/shops/{shop_id}/room", owner_id)
        live = await self._call(
            "POST", f"/rooms/{room['id']}/sessions", owner_id, json={"title": title}
        )
        session_id = int(live["id"])
        pins: list[Any] = []
        for sku_id in sku_ids:
            body = {"product_id": str(self.product_of[sku_id])}
            pins = await self._call("POST", f"/sessions/{session_id}/pins", owner_id, json=body)
        if pins:
            body = {"pin_id": pins[0]["id"]}
            await self._call("PUT", f"/sessions/{session_id}/spotlight", owner_id, json=body)
        return session_id

    async def admit_viewers(self, session_id: int, viewer_ids: Sequence[int], at: datetime) -> None:
        return None  # viewers are counted by the room channel they would join (see the class)

    async def comment(self, session_id: int, user_id: int, text: str, at: datetime) -> None:
        """On the server's clock a viewer's comments may come too fast (its time does not move
        with the simulation's): a paced-out comment is dropped, as a viewer would let it go."""
        r = await self.client.post(
            f"/api/v1/sessions/{session_id}/comments",
            headers=self._auth(user_id),
            json={"text": text},
        )
        if r.status_code >= 400 and r.status_code != 429:
            raise RuntimeError(f"POST comment → {r.status_code}: {r.text[:300]}")

    async def end_session(self, owner_id: int, session_id: int, at: datetime) -> None:
        await self._call("POST", f"/sessions/{session_id}/end", owner_id)

    async def place_order(
        self,
        buyer_id: int,
        sku_id: int,
        quantity: int,
        address: dict[str, str],
        at: datetime,
        live_session_id: int | None,
    ) -> int:
        body: dict[str, Any] = {
            "lines": [{"sku_id": str(sku_id), "quantity": quantity}],
            "address": address,
        }
        path = "/orders" if live_session_id is None else f"/sessions/{live_session_id}/orders"
        order = await self._call(
            "POST", path, buyer_id, json=body, headers={"Idempotency-Key": str(uuid.uuid4())}
        )
        return int(order["id"])

    async def pay(self, buyer_id: int, order_id: int, at: datetime) -> None:
        await self._call("POST", f"/orders/{order_id}/payments", buyer_id)

    async def ship(self, actor_id: int, order_id: int, tracking_no: str, at: datetime) -> None:
        body = {"carrier": CARRIER, "tracking_no": tracking_no}
        await self._call("POST", f"/orders/{order_id}/shipment", actor_id, json=body)

    async def confirm_receipt(self, buyer_id: int, order_id: int, at: datetime) -> None:
        await self._call("POST", f"/orders/{order_id}/receipt", buyer_id)

    async def review(
        self, buyer_id: int, order_id: int, ratings: Ratings, text: str, at: datetime
    ) -> None:
        body = {
            "rating_described": ratings.described,
            "rating_service": ratings.service,
            "rating_logistics": ratings.logistics,
            "text": text,
        }
        await self._call("POST", f"/orders/{order_id}/review", buyer_id, json=body)

    async def request_aftersale(
        self, buyer_id: int, order_id: int, kind: Kind, reason: Reason, at: datetime
    ) -> Ticket:
        body = {"kind": kind.value, "reason": reason.value, "text": REASON_TEXT[reason]}
        request = await self._call(
            "POST",
            f"/orders/{order_id}/aftersale-requests",
            buyer_id,
            json=body,
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
        return Ticket(int(request["id"]), settled=request["refunded_at"] is not None)

    async def decide_aftersale(
        self, owner_id: int, ticket: Ticket, *, accept: bool, at: datetime
    ) -> None:
        path = f"/aftersale-requests/{ticket.request_id}"
        if accept:
            await self._call("POST", f"{path}/accept", owner_id)
        else:
            await self._call("POST", f"{path}/reject", owner_id, json={"reason": "商品没有问题"})

    async def escalate(self, buyer_id: int, ticket: Ticket, at: datetime) -> int:
        body = {"text": "商家拒绝售后, 请平台介入"}
        request = await self._call(
            "POST", f"/aftersale-requests/{ticket.request_id}/dispute", buyer_id, json=body
        )
        return int(request["dispute"]["id"])

    async def rule_dispute(
        self,
        operator_id: int,
        dispute_id: int,
        *,
        merchant_at_fault: bool,
        counterfeit: bool,
        at: datetime,
    ) -> None:
        if self.operator is None:
            return  # no operator's token: the dispute waits at the operator console
        body = {
            "merchant_at_fault": merchant_at_fault,
            "counterfeit": counterfeit,
            "note": "依据证据裁定",
        }
        await self._call("POST", f"/disputes/{dispute_id}/decision", operator_id, json=body)

    async def ship_return(
        self, buyer_id: int, ticket: Ticket, tracking_no: str, at: datetime
    ) -> bool:
        body = {"carrier": RETURN_CARRIER, "tracking_no": tracking_no}
        path = f"/aftersale-requests/{ticket.request_id}/return-shipment"
        r = await self.client.post(f"/api/v1{path}", headers=self._auth(buyer_id), json=body)
        if r.status_code == 409:  # accepted only by a deadline the server's clock has not reached
            return False
        if r.status_code >= 400:
            raise RuntimeError(f"POST {path} → {r.status_code}: {r.text[:300]}")
        return r.json()["refunded_at"] is not None

    async def confirm_return(self, owner_id: int, ticket: Ticket, at: datetime) -> None:
        await self._call(
            "POST", f"/aftersale-requests/{ticket.request_id}/return-receipt", owner_id
        )

    async def run_jobs(self, now: datetime) -> int:
        return 0  # the server runs its own scheduler

    async def deliver_events(self) -> int:
        return 0  # and its own dispatcher
