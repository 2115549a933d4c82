"""Hostile input: huge bodies, control characters, naive or far-off times, ids past 64 bits.

Each is refused with a 4xx problem naming what was wrong, and leaves nothing written.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest
from starlette.types import Message

from tests.support.api import ADDRESS, PASSWORD, Api
from tests.support.live import live_room
from trustlive.accounts.models import User as UserRow
from trustlive.app import create_app
from trustlive.kernel.fields import InputModel
from trustlive.kernel.models import OutboxEvent
from trustlive.kernel.runtime import Runtime
from trustlive.live.models import Comment, FlashSale
from trustlive.orders.models import Order
from trustlive.shops.models import Shop

LIMIT = 1024 * 1024  # the default max_request_body_bytes


def _problem(r: Any, status: int, type_suffix: str) -> dict[str, Any]:
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = r.json()
    assert body["status"] == status
    assert body["type"].endswith("/" + type_suffix), body
    return body


# --- item 7: request bodies are limited while they stream in


async def test_a_declared_body_over_the_limit_is_refused_before_it_is_read(api: Api) -> None:
    buyer = await api.user()
    body = b'{"lines": [], "pad": "' + b"x" * LIMIT + b'"}'
    r = await api.client.post(
        "/api/v1/orders",
        content=body,
        headers={**buyer.auth, "content-type": "application/json", "Idempotency-Key": "k1"},
    )
    problem = _problem(r, 413, "payload-too-large")
    assert problem["detail"] == f"the request body is larger than {LIMIT} bytes"
    assert await api.count(Order) == 0


async def test_a_chunked_body_is_cut_off_at_the_limit_not_read_to_the_end(api: Api) -> None:
    buyer = await api.user()
    chunk = b"x" * 65536
    sent = 0

    async def endless() -> AsyncIterator[bytes]:  # 200 MB if anyone read it all
        nonlocal sent
        yield b'{"lines": [], "pad": "'
        for _ in range(200 * 16):
            sent += 1
            yield chunk

    r = await api.client.post(
        "/api/v1/orders",
        content=endless(),
        headers={**buyer.auth, "content-type": "application/json", "Idempotency-Key": "k2"},
    )
    _problem(r, 413, "payload-too-large")
    assert "content-length" not in r.request.headers
    assert sent == 16  # the prefix and 16 chunks of 64 KiB first pass 1 MiB; none is read after
    assert await api.count(Order) == 0


async def test_the_limit_holds_for_anonymous_callers_and_pages_too(api: Api) -> None:
    big = b"{}" + b" " * LIMIT
    headers = {"content-type": "application/json"}
    _problem(
        await api.client.post("/api/v1/users", content=big, headers=headers),
        413,
        "payload-too-large",
    )
    _problem(
        await api.client.post("/login", content=big, headers=headers), 413, "payload-too-large"
    )
    assert await api.count(UserRow) == 0


async def test_a_body_just_under_the_limit_still_reaches_validation(api: Api) -> None:
    body = json.dumps({"username": "u" * (LIMIT - 100), "display_name": "a", "password": PASSWORD})
    assert len(body) < LIMIT
    r = await api.client.post(
        "/api/v1/users", content=body, headers={"content-type": "application/json"}
    )
    _problem(r, 422, "validation-failed")


# --- item 8: control characters are refused in every text field


async def test_every_request_body_is_an_input_model(client: httpx.AsyncClient) -> None:
    """The control-character check lives in InputModel: a body of another kind would skip it."""
    spec = (await client.get("/openapi.json")).json()
    with_body = [
        operation
        for operations in spec["paths"].values()
        for operation in operations.values()
        if "requestBody" in operation
    ]
    images = {  # bodies that are an image, checked by its content (catalog/images.py)
        op["operationId"]
        for op in with_body
        if "application/json" not in op["requestBody"]["content"]
    }
    assert images == {"uploadProductImage"}
    bodies = {
        op["operationId"]: _model_named(op["requestBody"])
        for op in with_body
        if op["operationId"] not in images
    }
    assert len(bodies) >= 30
    inputs = {model.__name__ for model in _subclasses(InputModel)}
    assert {op: name for op, name in bodies.items() if name not in inputs} == {}


def _model_named(body: dict[str, Any]) -> str:
    schema = body["content"]["application/json"]["schema"]
    refs = [s["$ref"] for s in schema.get("anyOf", [schema]) if "$ref" in s]  # optional bodies
    assert len(refs) == 1, schema
    name: str = refs[0].rsplit("/", 1)[1]
    return name


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set(cls.__subclasses__())
    return found.union(*(_subclasses(sub) for sub in found))


Send = Callable[[str], Awaitable[httpx.Response]]


def _json(body: dict[str, Any]) -> dict[str, Any]:
    """JSON with \\u escapes, as browsers send it, so a lone surrogate can travel too."""
    return {"content": json.dumps(body), "headers": {"content-type": "application/json"}}


async def _comment(api: Api) -> Send:
    room = await live_room(api)
    viewer = await api.user()
    path = f"/api/v1/sessions/{room.session_id}/comments"
    return lambda text: api.client.post(path, **_with(_json({"text": text}), viewer.auth))


async def _update_shop(api: Api) -> Send:
    owner = await api.user()
    shop_id = await api.shop(owner)
    path = f"/api/v1/shops/{shop_id}"
    return lambda name: api.client.patch(path, **_with(_json({"name": name}), owner.auth))


async def _register(api: Api) -> Send:
    def send(display_name: str) -> Awaitable[httpx.Response]:
        body = {"username": "newcomer", "display_name": display_name, "password": PASSWORD}
        return api.client.post("/api/v1/users", **_json(body))

    return send


async def _place_order(api: Api) -> Send:
    listed = await api.listed_product()
    buyer = await api.user()
    body = {"lines": [{"sku_id": listed.sku_ids[0], "quantity": 1}], "address": ADDRESS}
    key = {**buyer.auth, "Idempotency-Key": str(uuid.uuid4())}
    return lambda note: api.client.post(
        "/api/v1/orders", **_with(_json({**body, "buyer_note": note}), key)
    )


async def _login(api: Api) -> Send:
    user = await api.user()
    return lambda name: api.client.post(
        "/api/v1/sessions", **_json({"username": user.username + name, "password": PASSWORD})
    )


def _with(request: dict[str, Any], headers: dict[str, str]) -> dict[str, Any]:
    return {**request, "headers": {**request["headers"], **headers}}


CASES = [
    (_comment, ["body", "text"]),
    (_update_shop, ["body", "name"]),
    (_register, ["body", "display_name"]),
    (_place_order, ["body", "buyer_note"]),
    (_login, ["body", "username"]),
]
TABLES = (Comment, Shop, UserRow, Order, OutboxEvent)


@pytest.mark.parametrize(("setup", "loc"), CASES, ids=[c[0].__name__[1:] for c in CASES])
@pytest.mark.parametrize(
    "bad",
    ["a\x00b", "a\x1bb", "a\x7fb", "a\x85b"],  # a lone surrogate: pydantic's JSON refuses it
    ids=["NUL", "ESC", "DEL", "NEL"],
)
async def test_control_characters_in_text_are_a_422_naming_the_field(
    api: Api, setup: Callable[[Api], Awaitable[Send]], loc: list[str], bad: str
) -> None:
    send = await setup(api)
    before = [await api.count(table) for table in TABLES]
    problem = _problem(await send(bad), 422, "validation-failed")
    assert [e["loc"] for e in problem["errors"]] == [loc]
    assert problem["errors"][0]["type"] == "control_character"
    assert [await api.count(table) for table in TABLES] == before


async def test_line_breaks_and_tabs_stay_allowed_in_text(api: Api) -> None:
    owner = await api.user()
    shop_id = await api.shop(owner)
    r = await api.client.patch(
        f"/api/v1/shops/{shop_id}",
        json={"description": "第一行\n第二行\r\n\t缩进"},
        headers=owner.auth,
    )
    assert r.status_code == 200, r.text
    assert r.json()["description"] == "第一行\n第二行\r\n\t缩进"
    assert await api.count(Shop) == 1


# --- item 9: instants carry a zone, flash windows are bounded, ids fit 64 bits


def _flash_body(room: Any, starts_at: str, ends_at: str) -> dict[str, Any]:
    return {
        "pin_id": room.pin_id,
        "sku_id": room.listed.sku_ids[0],
        "price_fen": 100,
        "quantity": 3,
        "starts_at": starts_at,
        "ends_at": ends_at,
    }


async def test_a_flash_sale_with_a_naive_time_is_a_422_naming_the_field(api: Api) -> None:
    room = await live_room(api, stock=5)
    now = api.runtime.clock.now()
    naive = (now + timedelta(minutes=1)).replace(tzinfo=None).isoformat()
    aware = (now + timedelta(minutes=10)).isoformat()
    r = await api.client.post(
        f"/api/v1/sessions/{room.session_id}/flash-sales",
        json=_flash_body(room, naive, aware),
        headers=room.listed.owner.auth,
    )
    problem = _problem(r, 422, "validation-failed")
    assert [e["loc"] for e in problem["errors"]] == [["body", "starts_at"]]
    assert problem["errors"][0]["type"] == "timezone_aware"
    assert await api.count(FlashSale) == 0
    assert await api.stock(room.listed.owner, room.listed.product_id) == [5]


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "field"),
    [
        ("9999-12-31T22:00:00+00:00", "9999-12-31T23:00:00+00:00", "starts_at"),
        ("2026-03-02T09:00:01+00:00", "2026-03-02T09:10:00+00:00", "starts_at"),
        ("2026-03-01T09:00:00+00:00", "2026-03-02T09:00:01+00:00", "ends_at"),
    ],
)
async def test_flash_windows_outside_the_policy_are_refused_and_hold_no_stock(
    api: Api, starts_at: str, ends_at: str, field: str
) -> None:
    room = await live_room(api, stock=5)
    r = await api.client.post(
        f"/api/v1/sessions/{room.session_id}/flash-sales",
        json=_flash_body(room, starts_at, ends_at),
        headers=room.listed.owner.auth,
    )
    problem = _problem(r, 422, "bad-flash-sale")
    assert problem["field"] == field
    assert await api.count(FlashSale) == 0
    assert await api.stock(room.listed.owner, room.listed.product_id) == [5]


async def test_an_offset_time_is_stored_as_the_same_instant(api: Api) -> None:
    room = await live_room(api, stock=5)
    r = await api.client.post(
        f"/api/v1/sessions/{room.session_id}/flash-sales",
        json=_flash_body(room, "2026-03-01T17:00:00+08:00", "2026-03-01T17:30:00+08:00"),
        headers=room.listed.owner.auth,
    )
    assert r.status_code == 201, r.text
    assert r.json()["starts_at"].startswith("2026-03-01T09:00:00")


@pytest.mark.parametrize("room_id", [str(1 << 63), "0", "99999999999999999999999"])
async def test_a_room_channel_id_past_64_bits_is_a_422_naming_the_field(
    runtime: Runtime, room_id: str
) -> None:
    app = create_app(runtime)
    path = f"/ws/rooms/{room_id}"
    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "scheme": "ws",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [],
        "client": ("127.0.0.1", 5000),
        "server": ("test", 80),
        "subprotocols": [],
        "root_path": "",
        "extensions": {"websocket.http.response": {}},
    }
    incoming: list[Message] = [{"type": "websocket.connect"}]
    sent: list[Message] = []

    async def receive() -> Message:
        return incoming.pop(0) if incoming else {"type": "websocket.disconnect", "code": 1000}

    async def send(message: Message) -> None:
        sent.append(message)

    await app(scope, receive, send)
    start, *bodies = sent
    assert start["type"] == "websocket.http.response.start"
    assert start["status"] == 422
    assert (b"content-type", b"application/problem+json") in start["headers"]
    problem = json.loads(b"".join(m.get("body", b"") for m in bodies))
    assert problem["type"].endswith("/validation-failed")
    assert [e["loc"] for e in problem["errors"]] == [["path", "room_id"]]
