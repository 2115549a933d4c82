"""An exhausted connection pool (database or Redis) is a 503 the client can retry, not a 500."""

from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter
from redis.exceptions import MaxConnectionsError
from redis.exceptions import TimeoutError as RedisTimeout
from sqlalchemy.exc import TimeoutError as PoolTimeout

from trustlive.app import create_app
from trustlive.kernel.runtime import Runtime


@pytest.mark.parametrize(
    "busy",
    [
        PoolTimeout("QueuePool limit reached"),
        MaxConnectionsError("Too many connections"),
        RedisTimeout("No connection available."),
    ],
    ids=["database", "redis-pool", "redis-wait"],
)
async def test_pool_exhaustion_is_a_retryable_503(runtime: Runtime, busy: Exception) -> None:
    app = create_app(runtime)
    probe = APIRouter()

    @probe.get("/api/v1/probe-pool")
    async def exhausted() -> None:
        raise busy

    app.include_router(probe)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        r = await c.get("/api/v1/probe-pool")
    assert r.status_code == 503
    assert r.headers["retry-after"] == "1"
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/overloaded")
