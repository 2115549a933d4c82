"""The app as a whole: the public contract of operation ids, docs, and the migration guard."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from trustlive.app import create_app
from trustlive.kernel.migrations import DatabaseNotMigrated
from trustlive.kernel.runtime import Runtime
from trustlive.kernel.settings import Settings

CONTRACT = {
    "registerUser",
    "login",
    "logout",
    "getMe",
    "followUser",
    "unfollowUser",
    "listFollowers",
    "listFollowing",
    "createShop",
    "getShop",
    "addShopStaff",
    "createProduct",
    "updateProduct",
    "listProduct",
    "delistProduct",
    "getProduct",
    "adjustStock",
    "placeOrder",
    "getOrder",
    "listMyOrders",
    "listShopOrders",
    "payOrder",
    "cancelOrder",
    "shipOrder",
    "confirmReceipt",
    "createReview",
    "replyToReview",
    "listProductReviews",
    "sandboxPaymentNotify",
}


async def test_every_contract_operation_id_is_published(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()
    ids = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert ids >= CONTRACT
    assert all(p.startswith("/api/v1/") for p in spec["paths"])
    assert (await client.get("/docs")).status_code == 200


async def test_the_app_refuses_to_start_on_an_unmigrated_database(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}", run_background_jobs=False
    )
    runtime = Runtime.build(settings)
    app = create_app(runtime)
    try:
        with pytest.raises(DatabaseNotMigrated, match="trustlive db upgrade"):
            async with app.router.lifespan_context(app):
                pass
    finally:
        await runtime.close()


def test_production_refuses_development_secrets() -> None:
    with pytest.raises(ValueError, match="SECRET_KEY"):
        Settings(environment="production")
