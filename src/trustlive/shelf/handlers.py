"""The shelf follows the catalog, orders, trust, shops and live rooms: the index within a
dispatcher pass of a change (the dispatcher is nudged on commit), and orders credited to the
impressions that led to them."""

from __future__ import annotations

from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import catalog, live, orders, shops, trust
from trustlive.kernel.clock import Clock
from trustlive.kernel.outbox import HandlerRegistry
from trustlive.shelf import exposure, indexing
from trustlive.shelf.policy import ShelfPolicy
from trustlive.shelf.search import SearchEngine


class ProductChange(Protocol):
    """Any catalog event about one product."""

    @property
    def product_id(self) -> int: ...


def register(
    registry: HandlerRegistry, engine: SearchEngine, policy: ShelfPolicy, clock: Clock
) -> None:
    async def index_product(session: AsyncSession, event: ProductChange) -> None:
        await indexing.reindex_products(session, engine, [event.product_id], clock.now())

    async def index_paid_order(session: AsyncSession, event: orders.OrderPaid) -> None:
        products = sorted({int(line["product_id"]) for line in event.lines})
        await indexing.reindex_products(session, engine, products, clock.now())

    async def index_cancelled_order(session: AsyncSession, event: orders.OrderCancelled) -> None:
        refilled = await indexing.sold_out_products_of(session, event.shop_id)
        await indexing.reindex_products(session, engine, refilled, clock.now())

    async def index_shop(session: AsyncSession, event: shops.ShopOpened) -> None:
        await indexing.reindex_shops(session, engine, [event.shop_id], clock.now())

    async def index_tier(session: AsyncSession, event: trust.ShopTierChanged) -> None:
        await indexing.reindex_shop_everything(session, engine, event.shop_id, clock.now())

    async def index_room(
        session: AsyncSession, event: live.RoomWentLive | live.RoomWentOffAir
    ) -> None:
        await indexing.reindex_rooms(session, engine, [event.room_id], clock.now())
        if event.shop_id is not None:
            await indexing.reindex_shops(session, engine, [event.shop_id], clock.now())

    async def credit_order(session: AsyncSession, event: orders.OrderPaid) -> None:
        await exposure.attribute_order(
            session,
            order_id=event.order_id,
            buyer_id=event.buyer_id,
            lines=event.lines,
            policy=policy,
            now=clock.now(),
        )

    name = "shelf.index_product"
    registry.subscribe(catalog.ProductCreated, index_product, name=name)
    registry.subscribe(catalog.ProductUpdated, index_product, name=name)
    registry.subscribe(catalog.ProductStatusChanged, index_product, name=name)
    registry.subscribe(catalog.StockAdjusted, index_product, name=name)
    registry.subscribe(orders.OrderPaid, index_paid_order, name="shelf.index_paid_order")
    registry.subscribe(orders.OrderCancelled, index_cancelled_order, name="shelf.index_cancelled")
    registry.subscribe(shops.ShopOpened, index_shop, name="shelf.index_shop")
    registry.subscribe(trust.ShopTierChanged, index_tier, name="shelf.index_tier")
    registry.subscribe(live.RoomWentLive, index_room, name="shelf.index_room")
    registry.subscribe(live.RoomWentOffAir, index_room, name="shelf.index_room")
    registry.subscribe(orders.OrderPaid, credit_order, name="shelf.credit_order")
