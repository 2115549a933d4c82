"""Small explicit builders over the HTTP API: each test says what world it needs."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import func, select

from trustlive.accounts import service as accounts_service
from trustlive.kernel.auth import Role
from trustlive.kernel.db import Base, unit_of_work
from trustlive.kernel.runtime import Runtime

PASSWORD = "correct-horse-9"
ADDRESS = {
    "recipient": "王小明",
    "phone": "13800138000",
    "province": "江西省",
    "city": "赣州市",
    "district": "章贡区",
    "detail": "红旗大道 88 号",
}
_counter = itertools.count(1)


@dataclass
class User:
    id: str
    username: str
    token: str

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Listed:
    shop_id: str
    product_id: str
    sku_ids: list[str]
    owner: User


class Api:
    def __init__(self, client: httpx.AsyncClient, runtime: Runtime) -> None:
        self.client = client
        self.runtime = runtime

    async def user(self, name: str | None = None, *, display_name: str = "王小明") -> User:
        username = name or f"user{next(_counter)}"
        r = await self.client.post(
            "/api/v1/users",
            json={"username": username, "display_name": display_name, "password": PASSWORD},
        )
        assert r.status_code == 201, r.text
        login = await self.client.post(
            "/api/v1/sessions", json={"username": username, "password": PASSWORD}
        )
        assert login.status_code == 200, login.text
        return User(r.json()["id"], username, login.json()["token"])

    async def relogin(self, user: User) -> User:
        """Tokens expire (7 days by default); long clock jumps need a fresh one."""
        r = await self.client.post(
            "/api/v1/sessions", json={"username": user.username, "password": PASSWORD}
        )
        assert r.status_code == 200, r.text
        user.token = r.json()["token"]
        return user

    async def shop(self, owner: User, name: str | None = None) -> str:
        r = await self.client.post(
            "/api/v1/shops", json={"name": name or f"小店{next(_counter)}"}, headers=owner.auth
        )
        assert r.status_code == 201, r.text
        return str(r.json()["id"])

    async def listed_product(
        self,
        owner: User | None = None,
        *,
        stock: int = 10,
        price_fen: int = 2990,
        skus: int = 1,
        shop_id: str | None = None,
    ) -> Listed:
        owner = owner or await self.user()
        shop_id = shop_id or await self.shop(owner)
        body = {
            "title": "赣南脐橙",
            "category": "fresh_food",
            "image_urls": ["https://img.example.com/a.jpg"],
            "skus": [
                {"spec_name": f"{i + 1}斤装", "price_fen": price_fen, "stock": stock}
                for i in range(skus)
            ],
        }
        r = await self.client.post(
            f"/api/v1/shops/{shop_id}/products", json=body, headers=owner.auth
        )
        assert r.status_code == 201, r.text
        product = r.json()
        listed = await self.client.post(
            f"/api/v1/products/{product['id']}/list", headers=owner.auth
        )
        assert listed.status_code == 200, listed.text
        return Listed(shop_id, product["id"], [s["id"] for s in product["skus"]], owner)

    async def place(
        self,
        buyer: User,
        lines: list[tuple[str, int]],
        *,
        key: str | None = None,
        expect: int = 201,
    ) -> dict[str, Any]:
        r = await self.client.post(
            "/api/v1/orders",
            json={"lines": [{"sku_id": s, "quantity": q} for s, q in lines], "address": ADDRESS},
            headers={**buyer.auth, "Idempotency-Key": key or str(uuid.uuid4())},
        )
        assert r.status_code == expect, r.text
        body: dict[str, Any] = r.json()
        return body

    async def pay(self, buyer: User, order_id: str) -> dict[str, Any]:
        r = await self.client.post(f"/api/v1/orders/{order_id}/payments", headers=buyer.auth)
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    async def ship(self, staff: User, order_id: str) -> dict[str, Any]:
        r = await self.client.post(
            f"/api/v1/orders/{order_id}/shipment",
            json={"carrier": "顺丰速运", "tracking_no": "SF1234567890"},
            headers=staff.auth,
        )
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    async def order(self, who: User, order_id: str) -> dict[str, Any]:
        r = await self.client.get(f"/api/v1/orders/{order_id}", headers=who.auth)
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    async def stock(self, owner: User, product_id: str) -> list[int]:
        r = await self.client.get(f"/api/v1/products/{product_id}", headers=owner.auth)
        assert r.status_code == 200, r.text
        return [s["stock"] for s in r.json()["skus"]]

    async def operator(self) -> User:
        """A user granted the platform operator role (as `trustlive admin grant-operator` does)."""
        user = await self.user(display_name="平台运营")
        async with unit_of_work(self.runtime.sessions) as session:
            await accounts_service.grant_role(session, user_id=int(user.id), role=Role.OPERATOR)
        return user

    async def follow(self, follower: User, followee_id: str) -> None:
        r = await self.client.put(f"/api/v1/me/following/{followee_id}", headers=follower.auth)
        assert r.status_code == 200, r.text

    async def count(self, table: type[Base]) -> int:
        async with self.runtime.sessions() as session:
            return int(await session.scalar(select(func.count()).select_from(table)) or 0)
