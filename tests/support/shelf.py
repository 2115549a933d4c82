"""Builders for shelf tests: products with a chosen title, category and price, indexed."""

from __future__ import annotations

from tests.support.api import Api, Listed, User


async def titled_product(
    api: Api,
    owner: User,
    shop_id: str,
    title: str,
    *,
    category: str = "fresh_food",
    price_fen: int = 2990,
    stock: int = 10,
) -> Listed:
    body = {
        "title": title,
        "category": category,
        "image_urls": ["https://img.example.com/a.jpg"],
        "skus": [{"spec_name": "标准", "price_fen": price_fen, "stock": stock}],
    }
    r = await api.client.post(f"/api/v1/shops/{shop_id}/products", json=body, headers=owner.auth)
    assert r.status_code == 201, r.text
    product = r.json()
    listed = await api.client.post(f"/api/v1/products/{product['id']}/list", headers=owner.auth)
    assert listed.status_code == 200, listed.text
    return Listed(shop_id, product["id"], [s["id"] for s in product["skus"]], owner)


async def deliver(api: Api) -> None:
    """Run the event dispatcher until nothing is due (background jobs are off in tests)."""
    await api.runtime.dispatcher.run_once()
