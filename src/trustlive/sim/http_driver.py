"""The simulator's driver over HTTP: every action is a request to a running server (load)."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

import httpx

from trustlive.sim.behaviour import Ratings
from trustlive.sim.driver import CARRIER, PASSWORD, SKU_STOCK, image_url


class HttpDriver:
    """Drives a running server over its public API: every action is a request (load testing).

    The server keeps its own clock and runs its own jobs, so `at` is only the simulated intent.
    """

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.tokens: dict[int, str] = {}

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
        return int(product["skus"][0]["id"])

    async def follow(self, follower_id: int, followee_id: int) -> None:
        await self._call("PUT", f"/me/following/{followee_id}", follower_id)

    async def unfollow(self, follower_id: int, followee_id: int) -> None:
        await self._call("DELETE", f"/me/following/{followee_id}", follower_id)

    async def watch_session(
        self, shop_id: int, viewer_ids: Sequence[int], at: datetime
    ) -> int | None:
        return None  # seam for live rooms, as in the in-process driver

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
        if live_session_id is not None:
            body["live_session_id"] = str(live_session_id)
        order = await self._call(
            "POST", "/orders", buyer_id, json=body, headers={"Idempotency-Key": str(uuid.uuid4())}
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
        self, buyer_id: int, order_id: int, reason: str, at: datetime
    ) -> bool:
        return False  # seam for after-sales, as in the in-process driver

    async def run_jobs(self, now: datetime) -> int:
        return 0  # the server runs its own scheduler

    async def deliver_events(self) -> int:
        return 0  # and its own dispatcher
