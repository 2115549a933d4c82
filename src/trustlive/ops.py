"""Endpoints for whoever runs the installation: liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import hmac
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import func, select, text

from trustlive import __version__
from trustlive.kernel.clock import as_utc
from trustlive.kernel.errors import Problem, ProblemCode
from trustlive.kernel.http import runtime_of
from trustlive.kernel.migrations import current_revision, head_revision
from trustlive.kernel.models import OutboxDelivery, OutboxEvent
from trustlive.kernel.observability import (
    DB_POOL_CHECKED_OUT,
    DB_POOL_SIZE,
    OUTBOX_BACKLOG,
    OUTBOX_LAG,
    ROOM_FRAMES,
    ROOM_VIEWERS,
)
from trustlive.kernel.redis import redis_of
from trustlive.kernel.runtime import Runtime
from trustlive.live.wiring import channel_of

router = APIRouter(include_in_schema=False)


@router.get("/healthz")
async def health() -> dict[str, str]:
    """Liveness: the process answers. Nothing else is checked (a restart would not help)."""
    return {"status": "ok", "version": __version__}


@router.get("/readyz")
async def ready(request: Request) -> JSONResponse:
    """Readiness: the database answers and is migrated to the code's head, Redis answers if set."""
    runtime = runtime_of(request)
    checks = {"database": await _database(runtime), "migrations": await _migrations(runtime)}
    if runtime.settings.redis_url:
        checks["redis"] = await _redis(runtime)
    ok = all(v == "ok" for v in checks.values())
    body = {"status": "ready" if ok else "not ready", "checks": checks}
    return JSONResponse(body, status_code=200 if ok else 503)


async def _database(runtime: Runtime) -> str:
    try:
        async with runtime.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
    except Exception as exc:
        return f"failed: {type(exc).__name__}"
    return "ok"


async def _migrations(runtime: Runtime) -> str:
    try:
        async with runtime.engine.connect() as conn:
            current = await conn.run_sync(current_revision)
    except Exception as exc:
        return f"failed: {type(exc).__name__}"
    head = head_revision(runtime.settings.database_url)
    return "ok" if current == head else f"at {current or 'none'}, code needs {head}"


async def _redis(runtime: Runtime) -> str:
    client = redis_of(runtime)
    try:
        assert client is not None
        await client.ping()
    except Exception as exc:
        return f"failed: {type(exc).__name__}"
    return "ok"


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    runtime = runtime_of(request)
    token = runtime.settings.metrics_token
    given = request.headers.get("authorization", "")
    if token and not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        raise Problem(ProblemCode.UNAUTHENTICATED, "send the metrics token", status=401)
    await _read_gauges(runtime)
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


async def _read_gauges(runtime: Runtime) -> None:
    """The figures that cost a query are read here, once per scrape."""
    pool = runtime.engine.pool
    DB_POOL_CHECKED_OUT.set(float(getattr(pool, "checkedout", lambda: 0)()))
    DB_POOL_SIZE.set(float(getattr(pool, "size", lambda: 0)()))
    channel = channel_of(runtime)
    ROOM_VIEWERS.set(sum(len(hub.viewers) for hub in channel.hubs.values()))
    ROOM_FRAMES.set(channel.frames_sent)
    now = runtime.clock.now()
    async with runtime.sessions() as session:
        rows = await session.execute(
            select(OutboxDelivery.handler, func.count(), func.min(OutboxEvent.created_at))
            .join(OutboxEvent, OutboxEvent.id == OutboxDelivery.event_id)
            .where(OutboxDelivery.status == "pending")
            .group_by(OutboxDelivery.handler)
        )
        unfanned = await session.execute(
            select(func.count(), func.min(OutboxEvent.created_at)).where(
                OutboxEvent.fanned_out_at.is_(None)
            )
        )
        backlog = [(h, n, oldest) for h, n, oldest in rows] + [("", *unfanned.one())]
    OUTBOX_BACKLOG.clear()
    OUTBOX_LAG.clear()
    for handler, count, oldest in backlog:
        OUTBOX_BACKLOG.labels(handler).set(count)
        OUTBOX_LAG.labels(handler).set(_age(now, oldest))


def _age(now: datetime, oldest: datetime | None) -> float:
    if oldest is None:
        return 0.0
    return max(0.0, (now - as_utc(oldest)).total_seconds())
