"""Seeding through the served app's HTTP API, as a client would."""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from typing import Any

import httpx

from tests.support.api import PASSWORD

_counter = itertools.count(1)


@dataclass
class Person:
    id: str
    token: str
    user: dict[str, Any]

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def session_script(self) -> str:
        """A page init script that logs the browser in as this person, as TL.login does."""
        value = json.dumps({"token": self.token, "user": self.user})
        return f"localStorage.setItem('trustlive.session', {json.dumps(value)});"


async def person(client: httpx.AsyncClient, display_name: str) -> Person:
    username = f"browser{next(_counter)}"
    body = {"username": username, "display_name": display_name, "password": PASSWORD}
    r = await client.post("/api/v1/users", json=body)
    assert r.status_code == 201, r.text
    login = await client.post("/api/v1/sessions", json={"username": username, "password": PASSWORD})
    assert login.status_code == 200, login.text
    data = login.json()
    return Person(data["user"]["id"], data["token"], data["user"])


async def shop(client: httpx.AsyncClient, owner: Person, name: str) -> str:
    r = await client.post("/api/v1/shops", json={"name": name}, headers=owner.auth)
    assert r.status_code == 201, r.text
    return str(r.json()["id"])


async def listed_product(
    client: httpx.AsyncClient,
    owner: Person,
    shop_id: str,
    *,
    title: str,
    skus: list[tuple[str, int, int]],
) -> dict[str, Any]:
    image = f"{client.base_url}".rstrip("/") + "/static/placeholder.svg"
    body = {
        "title": title,
        "category": "fresh_food",
        "image_urls": [image],
        "description": "现摘现发，坏果包赔。",
        "skus": [{"spec_name": n, "price_fen": p, "stock": s} for n, p, s in skus],
    }
    r = await client.post(f"/api/v1/shops/{shop_id}/products", json=body, headers=owner.auth)
    assert r.status_code == 201, r.text
    product: dict[str, Any] = r.json()
    listed = await client.post(f"/api/v1/products/{product['id']}/list", headers=owner.auth)
    assert listed.status_code == 200, listed.text
    return product


async def shop_room(client: httpx.AsyncClient, shop_id: str) -> dict[str, Any]:
    r = await client.get(f"/api/v1/shops/{shop_id}/room")
    assert r.status_code == 200, r.text
    room: dict[str, Any] = r.json()
    return room
