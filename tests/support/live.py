"""Live builders over the HTTP API: a shop's room live with a pinned product, a flash sale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from tests.support.api import Api, Listed


@dataclass
class LiveRoom:
    room_id: str
    session_id: str
    pin_id: str
    listed: Listed


async def live_room(api: Api, *, stock: int = 10, price_fen: int = 2990) -> LiveRoom:
    listed = await api.listed_product(stock=stock, price_fen=price_fen)
    r = await api.client.get(f"/api/v1/shops/{listed.shop_id}/room")
    assert r.status_code == 200, r.text
    room_id = r.json()["id"]
    r = await api.client.post(
        f"/api/v1/rooms/{room_id}/sessions",
        json={"title": "今晚脐橙专场"},
        headers=listed.owner.auth,
    )
    assert r.status_code == 201, r.text
    session_id = r.json()["id"]
    r = await api.client.post(
        f"/api/v1/sessions/{session_id}/pins",
        json={"product_id": listed.product_id},
        headers=listed.owner.auth,
    )
    assert r.status_code == 200, r.text
    return LiveRoom(room_id, session_id, r.json()[0]["id"], listed)


async def flash_sale(
    api: Api,
    room: LiveRoom,
    *,
    quantity: int,
    per_buyer_limit: int = 1,
    price_fen: int = 990,
    starts_at: datetime | None = None,
    minutes: int = 10,
) -> dict[str, Any]:
    start = starts_at or api.runtime.clock.now()
    r = await api.client.post(
        f"/api/v1/sessions/{room.session_id}/flash-sales",
        json={
            "pin_id": room.pin_id,
            "sku_id": room.listed.sku_ids[0],
            "price_fen": price_fen,
            "quantity": quantity,
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(minutes=minutes)).isoformat(),
            "per_buyer_limit": per_buyer_limit,
        },
        headers=room.listed.owner.auth,
    )
    assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    return body
