"""Shared by the benchmarks: a merchant live with a pinned product, and many logged-in buyers."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

import aiohttp

ADDRESS = {
    "recipient": "王小明",
    "phone": "13800138000",
    "province": "江西省",
    "city": "赣州市",
    "district": "章贡区",
    "detail": "红旗大道 88 号",
}
PASSWORD = "correct-horse-9"
SURNAMES = "王李张刘陈杨赵黄周吴"


@dataclass
class Room:
    owner_token: str
    room_id: str
    session_id: str
    pin_id: str
    sku_id: str


async def _json(response: aiohttp.ClientResponse, expect: int) -> Any:
    body = await response.json(content_type=None)
    if response.status != expect:
        raise RuntimeError(f"{response.method} {response.url}: {response.status} {body}")
    return body


async def person(http: aiohttp.ClientSession, url: str, name: str) -> str:
    username = f"b{uuid.uuid4().hex[:20]}"
    async with http.post(
        f"{url}/api/v1/users",
        json={"username": username, "display_name": name, "password": PASSWORD},
    ) as r:
        await _json(r, 201)
    async with http.post(
        f"{url}/api/v1/sessions", json={"username": username, "password": PASSWORD}
    ) as r:
        token: str = (await _json(r, 200))["token"]
        return token


async def buyers(http: aiohttp.ClientSession, url: str, count: int) -> list[str]:
    gate = asyncio.Semaphore(20)

    async def one(i: int) -> str:
        async with gate:
            return await person(http, url, SURNAMES[i % len(SURNAMES)] + "小明")

    return list(await asyncio.gather(*(one(i) for i in range(count))))


async def live_room(http: aiohttp.ClientSession, url: str, *, stock: int) -> Room:
    token = await person(http, url, "老王")
    auth = {"Authorization": f"Bearer {token}"}
    async with http.post(f"{url}/api/v1/shops", json={"name": "老王的果园"}, headers=auth) as r:
        shop_id = (await _json(r, 201))["id"]
    product = {
        "title": "赣南脐橙",
        "category": "fresh_food",
        "image_urls": ["https://img.example.com/a.jpg"],
        "skus": [{"spec_name": "5斤装", "price_fen": 3990, "stock": stock}],
    }
    async with http.post(f"{url}/api/v1/shops/{shop_id}/products", json=product, headers=auth) as r:
        created = await _json(r, 201)
    async with http.post(f"{url}/api/v1/products/{created['id']}/list", headers=auth) as r:
        await _json(r, 200)
    async with http.get(f"{url}/api/v1/shops/{shop_id}/room") as r:
        room_id = (await _json(r, 200))["id"]
    async with http.post(
        f"{url}/api/v1/rooms/{room_id}/sessions", json={"title": "秒杀专场"}, headers=auth
    ) as r:
        session_id = (await _json(r, 201))["id"]
    async with http.post(
        f"{url}/api/v1/sessions/{session_id}/pins",
        json={"product_id": created["id"]},
        headers=auth,
    ) as r:
        pin_id = (await _json(r, 200))[0]["id"]
    return Room(token, room_id, session_id, pin_id, created["skus"][0]["id"])
