"""What an operator sees inside a running installation: Prometheus metrics, a request id carried
from the request into its log lines and its events, and JSON log lines.

Metrics live in one process-wide registry (prometheus-client's default); figures that cost a
query — outbox backlog, pool use — are read when /metrics is scraped, not on every request.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import secrets
import time
from typing import Any

from prometheus_client import Counter, Gauge, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = b"x-request-id"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "trustlive_request_id", default=None
)

REQUESTS = Counter(
    "trustlive_http_requests_total",
    "HTTP requests answered, per operation and status class",
    ["operation", "method", "status"],
)
LATENCY = Histogram(
    "trustlive_http_request_seconds",
    "Time from the request's arrival to the end of its answer, per operation",
    ["operation"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
DB_POOL_CHECKED_OUT = Gauge(
    "trustlive_db_pool_checked_out", "Database connections in use (read at scrape)"
)
DB_POOL_SIZE = Gauge("trustlive_db_pool_size", "Database pool size (read at scrape)")
OUTBOX_BACKLOG = Gauge(
    "trustlive_outbox_backlog",
    "Deliveries not yet done, per handler (read at scrape); events not yet fanned out: handler=''",
    ["handler"],
)
OUTBOX_LAG = Gauge(
    "trustlive_outbox_oldest_pending_seconds",
    "Age of the oldest pending delivery per handler (read at scrape)",
    ["handler"],
)
OUTBOX_DELIVERED = Counter(
    "trustlive_outbox_delivered_total", "Event deliveries done, per handler", ["handler"]
)
OUTBOX_FAILED = Counter(
    "trustlive_outbox_failed_total", "Event deliveries that raised, per handler", ["handler"]
)
FLASH_GATE_DECISIONS = Counter(
    "trustlive_flash_gate_decisions_total",
    "What the Redis gate answered for flash-sale attempts",
    ["verdict"],
)
ROOM_VIEWERS = Gauge(
    "trustlive_room_viewers", "Viewers connected to this process's rooms (read at scrape)"
)
ROOM_FRAMES = Gauge(
    "trustlive_room_frames_sent",
    "Room channel frames this process sent since it started (monotonic: use rate())",
)


def current_request_id() -> str | None:
    return request_id_var.get()


def new_request_id() -> str:
    return secrets.token_hex(8)


def _operation(scope: Scope) -> str:
    """The route's operationId (or its path template): bounded label values, never raw paths."""
    route = scope.get("route")
    if route is None:
        return "unmatched"
    name = getattr(route, "operation_id", None) or getattr(route, "path", None)
    return str(name or "unmatched")


class RequestContextMiddleware:
    """Gives each request an id (the client's X-Request-ID if it is sane, else a new one), answers
    with it, and counts and times the request per operation."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope.get("headers") or []).get(REQUEST_ID_HEADER, b"").decode("latin-1")
        request_id = given if _SAFE_ID.match(given) else new_request_id()
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = list(message.get("headers", []))
                headers.append((REQUEST_ID_HEADER, request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            operation = _operation(scope)
            REQUESTS.labels(operation, scope.get("method", ""), f"{status // 100}xx").inc()
            LATENCY.labels(operation).observe(time.perf_counter() - started)
            request_id_var.reset(token)


class RequestIdFilter(logging.Filter):
    """Every log record carries the request id of the request (or event delivery) it belongs to."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id() or "-"
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, and the exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None) or current_request_id(),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


def configure_logging(*, json_lines: bool, level: str = "INFO") -> None:
    """The root logger writes to stderr, as JSON lines or as readable text, with request ids."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    if json_lines:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
