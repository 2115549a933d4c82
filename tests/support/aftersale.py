"""Builders for after-sales tests: products of a category, received orders, operators, tiers."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from tests.support.api import Api, Listed, User
from trustlive import accounts, aftersale
from trustlive.aftersale.models import DepositAccount, GuaranteePayout
from trustlive.kernel.auth import Role


@dataclass
class Trade:
    listed: Listed
    buyer: User
    order_id: str


class Trust:
    def __init__(self, api: Api) -> None:
        self.api = api
        self.client = api.client

    async def operator(self) -> User:
        user = await self.api.user()
        async with self.api.runtime.sessions() as session:
            await accounts.grant_role(session, user_id=int(user.id), role=Role.OPERATOR)
            await session.commit()
        return user

    async def product(
        self,
        owner: User | None = None,
        *,
        category: str = "apparel",
        price_fen: int = 9900,
        stock: int = 10,
        shop_id: str | None = None,
    ) -> Listed:
        owner = owner or await self.api.user()
        shop_id = shop_id or await self.api.shop(owner)
        body = {
            "title": "纯棉T恤",
            "category": category,
            "image_urls": ["https://img.example.com/t.jpg"],
            "skus": [{"spec_name": "L", "price_fen": price_fen, "stock": stock}],
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

    async def paid(self, listed: Listed, buyer: User | None = None, quantity: int = 1) -> Trade:
        buyer = buyer or await self.api.user()
        order = await self.api.place(buyer, [(listed.sku_ids[0], quantity)])
        await self.api.pay(buyer, order["id"])
        return Trade(listed, buyer, order["id"])

    async def received(self, listed: Listed, buyer: User | None = None, quantity: int = 1) -> Trade:
        trade = await self.paid(listed, buyer, quantity)
        await self.api.ship(listed.owner, trade.order_id)
        r = await self.client.post(
            f"/api/v1/orders/{trade.order_id}/receipt", headers=trade.buyer.auth
        )
        assert r.status_code == 200, r.text
        return trade

    async def seasoned_buyer(self, orders: int) -> User:
        """A buyer with `orders` received orders from some other shop: a history of trust."""
        buyer = await self.api.user()
        elsewhere = await self.product(category="home", price_fen=1000, stock=orders)
        for _ in range(orders):
            await self.received(elsewhere, buyer)
        return buyer

    async def open(self, trade: Trade, expect: int = 201, **body: Any) -> dict[str, Any]:
        r = await self.client.post(
            f"/api/v1/orders/{trade.order_id}/aftersale-requests",
            json=body,
            headers={**trade.buyer.auth, "Idempotency-Key": str(uuid.uuid4())},
        )
        assert r.status_code == expect, r.text
        answer: dict[str, Any] = r.json()
        return answer

    async def act(
        self, who: User, request_id: str, step: str, body: dict[str, Any] | None = None,
        expect: int = 200,
    ) -> dict[str, Any]:  # fmt: skip
        r = await self.client.post(
            f"/api/v1/aftersale-requests/{request_id}/{step}", json=body, headers=who.auth
        )
        assert r.status_code == expect, r.text
        answer: dict[str, Any] = r.json()
        return answer

    async def ship_return(self, trade: Trade, request_id: str) -> dict[str, Any]:
        return await self.act(
            trade.buyer, request_id, "return-shipment",
            {"carrier": "中通快递", "tracking_no": "ZT20261122001"},
        )  # fmt: skip

    async def opt_in(self, listed: Listed, *guarantees: str) -> None:
        r = await self.client.put(
            f"/api/v1/shops/{listed.shop_id}/guarantees",
            json={"opt_in": list(guarantees)},
            headers=listed.owner.auth,
        )
        assert r.status_code == 200, r.text

    async def tier(self, listed: Listed, *guarantees: str) -> None:
        """What the scores side does when a shop reaches a tier."""
        async with self.api.runtime.sessions() as session:
            await aftersale.set_tier_guarantees(
                session,
                shop_id=int(listed.shop_id),
                guarantees=set(guarantees),
                policy_version="test-tier",
                now=self.api.runtime.clock.now(),
            )
            await session.commit()

    async def top_up(self, listed: Listed, amount_fen: int) -> dict[str, Any]:
        r = await self.client.post(
            f"/api/v1/shops/{listed.shop_id}/deposit/top-ups",
            json={"amount_fen": amount_fen},
            headers={**listed.owner.auth, "Idempotency-Key": str(uuid.uuid4())},
        )
        assert r.status_code == 201, r.text
        answer: dict[str, Any] = r.json()
        return answer

    async def payouts(self, order_id: str | None = None) -> list[tuple[str, str, int, int]]:
        """(guarantee, payer, amount, platform advanced) of the ledger, oldest first."""
        async with self.api.runtime.sessions() as session:
            query = select(GuaranteePayout).order_by(GuaranteePayout.id)
            if order_id is not None:
                query = query.where(GuaranteePayout.order_id == int(order_id))
            return [
                (p.guarantee, p.payer, p.amount_fen, p.platform_advanced_fen)
                for p in await session.scalars(query)
            ]

    async def balance(self, listed: Listed) -> int:
        async with self.api.runtime.sessions() as session:
            account = await session.get(DepositAccount, int(listed.shop_id))
            return account.balance_fen if account else 0
