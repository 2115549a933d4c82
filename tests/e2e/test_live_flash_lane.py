"""The flash-sale lane before routing: it answers only what the Redis gate refuses, for a known
token and a valid body; everything else reaches the app with its body intact. Needs REDIS_URL."""

from __future__ import annotations

import json
import uuid
from collections.abc import MutableMapping
from typing import Any

import pytest
from sqlalchemy.exc import TimeoutError as TimeoutError_

from tests.support.api import ADDRESS, Api, User
from tests.support.live import flash_sale, live_room
from trustlive import accounts
from trustlive.live.flash.lane import FlashLane

pytestmark = pytest.mark.skipif(
    "not __import__('os').environ.get('REDIS_URL')", reason="the lane needs the Redis gate"
)


class App:
    """Stands in for the app behind the lane: records what reached it, body included."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        body, more = b"", True
        while more:
            message = await receive()
            body, more = body + message["body"], message["more_body"]
        self.bodies.append(body)
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})


async def _attempt(
    lane: FlashLane, sale_id: str, *, token: str, key: str, body: bytes
) -> tuple[int, dict[str, Any]]:
    scope = {
        "type": "http",
        "method": "POST",
        "path": f"/api/v1/flash-sales/{sale_id}/orders",
        "headers": [
            (b"authorization", f"Bearer {token}".encode()),
            (b"idempotency-key", key.encode()),
            (b"content-type", b"application/json"),
        ],
    }
    chunks = [body[:10], body[10:]]  # a body in two messages is read whole

    async def receive() -> dict[str, Any]:
        chunk = chunks.pop(0)
        return {"type": "http.request", "body": chunk, "more_body": bool(chunks)}

    sent: list[MutableMapping[str, Any]] = []

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    await lane(scope, receive, send)
    body_out = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], json.loads(body_out)


async def test_the_lane_answers_refusals_and_hands_everything_else_to_the_app(api: Api) -> None:
    room = await live_room(api, stock=10)
    sale = await flash_sale(api, room, quantity=1, per_buyer_limit=1)
    winner, loser = await api.user(), await api.user()
    key = str(uuid.uuid4())
    won = await api.client.post(
        f"/api/v1/flash-sales/{sale['id']}/orders",
        json={"quantity": 1, "address": ADDRESS},
        headers={**winner.auth, "Idempotency-Key": key},
    )
    await api.client.get("/api/v1/users/me", headers=loser.auth)  # the lane knows this token now
    app = App()
    lane = FlashLane(app, api.runtime)
    valid = json.dumps({"quantity": 1, "address": ADDRESS}).encode()

    async def attempt(user: User | None, body: bytes = valid, k: str = "") -> int:
        status, _ = await _attempt(
            lane, sale["id"], token=user.token if user else "unknown", key=k or "k", body=body
        )
        return status

    sold_out = await _attempt(lane, sale["id"], token=loser.token, key="k1", body=valid)
    limit = await _attempt(lane, sale["id"], token=winner.token, key="k2", body=valid)
    reached_app = [
        await attempt(loser, b'{"quantity": 0, "address": {}}'),  # the endpoint says 422
        await attempt(None),  # unknown token: the app authenticates
        await attempt(winner, k=key),  # a winner's retry: its order is replayed there
    ]

    assert won.status_code == 201
    assert (sold_out[0], sold_out[1]["type"].split("/")[-1]) == (409, "flash-sale-sold-out")
    assert sold_out[1]["instance"] == f"/api/v1/flash-sales/{sale['id']}/orders"
    assert (limit[0], limit[1]["per_buyer_limit"]) == (409, 1)
    assert reached_app == [299, 299, 299]
    assert app.bodies == [b'{"quantity": 0, "address": {}}', valid, valid]


async def test_the_lane_leaves_an_attempt_to_the_app_when_the_database_is_busy(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    room = await live_room(api, stock=10)
    sale = await flash_sale(api, room, quantity=1, per_buyer_limit=1)
    buyer = await api.user()

    async def pool_exhausted(*_: object) -> None:
        raise TimeoutError_("QueuePool limit reached")

    monkeypatch.setattr(accounts, "bearer_principal", pool_exhausted)
    app = App()
    valid = json.dumps({"quantity": 1, "address": ADDRESS}).encode()
    status, _ = await _attempt(
        FlashLane(app, api.runtime), sale["id"], token=buyer.token, key="k", body=valid
    )

    assert status == 299  # the app answers it (with the pool still exhausted: 503)
    assert app.bodies == [valid]
