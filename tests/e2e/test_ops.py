"""What an operator reads off a running installation: readiness, metrics, request ids."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx
from sqlalchemy import select

from tests.support.api import Api
from trustlive.app import create_app
from trustlive.kernel.models import OutboxEvent
from trustlive.kernel.observability import JsonFormatter, RequestIdFilter, request_id_var
from trustlive.kernel.runtime import Runtime
from trustlive.kernel.settings import Settings


async def test_ready_when_the_database_answers_and_is_migrated(api: Api) -> None:
    r = await api.client.get("/readyz")
    assert r.status_code == 200
    checks = r.json()["checks"]
    assert (checks["database"], checks["migrations"]) == ("ok", "ok")
    assert checks.get("redis", "ok") == "ok"  # present with REDIS_URL


async def test_not_ready_on_an_unmigrated_database_while_still_alive(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}", run_background_jobs=False
    )
    runtime = Runtime.build(settings)
    try:
        transport = httpx.ASGITransport(app=create_app(runtime))
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            ready = await client.get("/readyz")
            alive = await client.get("/healthz")
    finally:
        await runtime.close()
    assert ready.status_code == 503
    assert ready.json()["checks"]["migrations"].startswith("at none, code needs ")
    assert alive.status_code == 200


async def test_metrics_count_requests_per_operation_and_show_the_event_backlog(api: Api) -> None:
    user = await api.user()
    for _ in range(3):
        assert (await api.client.get("/api/v1/users/me", headers=user.auth)).status_code == 200

    text = (await api.client.get("/metrics")).text

    line = next(
        ln
        for ln in text.splitlines()
        if ln.startswith("trustlive_http_requests_total{")
        and 'operation="getMe"' in ln
        and 'status="2xx"' in ln
    )
    assert float(line.rsplit(" ", 1)[1]) >= 3
    assert 'trustlive_outbox_backlog{handler=""}' in text  # events not yet fanned out
    assert "trustlive_db_pool_checked_out" in text


async def test_metrics_need_the_token_when_one_is_set(api: Api) -> None:
    api.runtime.settings.metrics_token = "m" * 32
    try:
        refused = await api.client.get("/metrics")
        allowed = await api.client.get("/metrics", headers={"Authorization": "Bearer " + "m" * 32})
    finally:
        api.runtime.settings.metrics_token = None
    assert refused.status_code == 401
    assert refused.headers["content-type"] == "application/problem+json"
    assert allowed.status_code == 200


async def test_the_request_id_is_answered_and_carried_into_the_events_it_caused(api: Api) -> None:
    r = await api.client.post(
        "/api/v1/users",
        json={"username": "traced", "display_name": "追踪", "password": "correct-horse-9"},
        headers={"X-Request-ID": "req-42.a"},
    )
    odd = await api.client.get("/healthz", headers={"X-Request-ID": "bad id <script>"})

    assert r.status_code == 201
    assert r.headers["x-request-id"] == "req-42.a"
    assert odd.headers["x-request-id"] != "bad id <script>"
    assert len(odd.headers["x-request-id"]) == 16
    async with api.runtime.sessions() as session:
        ids = set(await session.scalars(select(OutboxEvent.request_id)))
    assert ids == {"req-42.a"}


def test_json_log_lines_carry_the_request_id() -> None:
    record = logging.LogRecord("trustlive.x", logging.WARNING, __file__, 1, "paid %s", ("7",), None)
    token = request_id_var.set("abc123")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = json.loads(JsonFormatter().format(record))
    assert (line["level"], line["message"], line["request_id"]) == ("warning", "paid 7", "abc123")
