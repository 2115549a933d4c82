"""uploadProductImage: shop staff who manage products upload an image, served under /media."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
from PIL import Image

from tests.support.api import Api
from trustlive.kernel.runtime import Runtime


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 160, 90)).save(out, format="PNG")
    return out.getvalue()


def stored_files(runtime: Runtime) -> list[Path]:
    root = Path(runtime.settings.media_dir)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


async def test_an_uploaded_image_is_served_and_can_be_a_products_image(
    client: httpx.AsyncClient, api: Api
) -> None:
    owner = await api.user()
    shop_id = await api.shop(owner)
    r = await client.post(
        f"/api/v1/shops/{shop_id}/images",
        content=png(),
        headers={**owner.auth, "content-type": "image/png"},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["url"].startswith(f"/media/products/{shop_id}/")
    assert body["url"].endswith(".png")
    assert (body["content_type"], body["width"], body["height"]) == ("image/png", 64, 48)
    served = await client.get(body["url"])
    assert served.status_code == 200
    assert Image.open(io.BytesIO(served.content)).size == (64, 48)
    product = await client.post(
        f"/api/v1/shops/{shop_id}/products",
        json={
            "title": "赣南脐橙",
            "category": "fresh_food",
            "image_urls": [body["url"]],
            "skus": [{"spec_name": "5斤装", "price_fen": 3990, "stock": 5}],
        },
        headers=owner.auth,
    )
    assert product.status_code == 201, product.text
    assert product.json()["image_urls"] == [body["url"]]


async def test_another_shops_staff_and_staff_without_product_rights_are_refused(
    client: httpx.AsyncClient, api: Api, runtime: Runtime
) -> None:
    owner = await api.user()
    shop_id = await api.shop(owner)
    other_owner = await api.user()
    await api.shop(other_owner)
    kefu = await api.user()
    added = await client.post(
        f"/api/v1/shops/{shop_id}/staff",
        json={"user_id": kefu.id, "role": "customer_service"},
        headers=owner.auth,
    )
    assert added.status_code == 201
    before = stored_files(runtime)
    for who in (other_owner, kefu):
        r = await client.post(
            f"/api/v1/shops/{shop_id}/images",
            content=png(),
            headers={**who.auth, "content-type": "image/png"},
        )
        assert r.status_code == 403, r.text
        assert r.json()["detail"] == "you need the manage_products permission in this shop"
    anonymous = await client.post(
        f"/api/v1/shops/{shop_id}/images", content=png(), headers={"content-type": "image/png"}
    )
    assert anonymous.status_code == 401
    assert stored_files(runtime) == before


async def test_a_disguised_file_is_refused_and_nothing_is_stored(
    client: httpx.AsyncClient, api: Api, runtime: Runtime
) -> None:
    owner = await api.user()
    shop_id = await api.shop(owner)
    before = stored_files(runtime)
    script = b"<script>alert(1)</script>"
    r = await client.post(
        f"/api/v1/shops/{shop_id}/images",
        content=script,
        headers={**owner.auth, "content-type": "image/png"},
    )
    assert (r.status_code, r.json()["type"].rsplit("/", 1)[1]) == (422, "product-image-refused")
    other_type = await client.post(
        f"/api/v1/shops/{shop_id}/images",
        content=script,
        headers={**owner.auth, "content-type": "text/html"},
    )
    assert other_type.status_code == 415
    assert stored_files(runtime) == before


async def test_only_the_upload_takes_images_and_more_than_the_json_limit(
    client: httpx.AsyncClient, api: Api, runtime: Runtime
) -> None:
    owner = await api.user()
    shop_id = await api.shop(owner)
    elsewhere = await client.post(
        f"/api/v1/shops/{shop_id}/products",
        content=png(),
        headers={**owner.auth, "content-type": "image/png"},
    )
    assert elsewhere.status_code == 415
    limit = runtime.settings.media_max_image_bytes
    too_big = await client.post(
        f"/api/v1/shops/{shop_id}/images",
        content=b"\0" * (limit + 1),
        headers={**owner.auth, "content-type": "image/jpeg"},
    )
    assert too_big.status_code == 413
    json_limit = runtime.settings.max_request_body_bytes
    assert limit > json_limit  # a phone photo passes where a JSON body that size would not
