"""An exhausted connection pool is a 503 the client can retry, not a 500."""

from __future__ import annotations

import httpx
from fastapi import APIRouter
from sqlalchemy.exc import TimeoutError as PoolTimeout

from trustlive.app import create_app
from trustlive.kernel.runtime import Runtime


async def test_pool_exhaustion_is_a_retryable_503(runtime: Runtime) -> None:
    app = create_app(runtime)
    probe = APIRouter()

    @probe.get("/api/v1/probe-pool")
    async def exhausted() -> None:
        raise PoolTimeout("QueuePool limit reached")

    app.include_router(probe)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        r = await c.get("/api/v1/probe-pool")
    assert r.status_code == 503
    assert r.headers["retry-after"] == "1"
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/overloaded")
