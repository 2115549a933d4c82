"""The hot path of a flash sale, answered before the app's routing.

Once a sale sells out nearly every request is an attempt the Redis gate refuses on its own. Through
FastAPI each such answer costs ~1.5 ms of CPU, a third of it matching the path against ~100 routes;
this lane gives the same answer for a fraction. It answers only what the gate refuses (sold out,
limit reached), and only for a caller with a valid token and a JSON body that the endpoint would
accept; everything else — no or a bad token, a bad body, an attempt the gate lets through, Redis
busy — goes on to the app unchanged, body included, and is answered there.
"""

from __future__ import annotations

import contextlib
import re

from pydantic import ValidationError
from redis.exceptions import RedisError
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trustlive import accounts
from trustlive.kernel.errors import Problem, problem_of
from trustlive.kernel.idempotency import MAX_KEY_LENGTH
from trustlive.kernel.runtime import Runtime
from trustlive.live.flash import sale as flash_sale
from trustlive.live.flash.gate import Claim, gate_of
from trustlive.live.schemas import FlashBuyIn

PATH = re.compile(r"/api/v1/flash-sales/([0-9]{1,19})/orders")
MAX_BODY = 8192  # a purchase attempt is a few hundred bytes; larger ones go to the app


class FlashLane:
    """ASGI middleware; `buyFlashSale` stays the one definition of the operation."""

    def __init__(self, app: ASGIApp, runtime: Runtime) -> None:
        self.app = app
        self.runtime = runtime

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        match = PATH.fullmatch(scope["path"]) if scope["type"] == "http" else None
        gate = gate_of(self.runtime) if match and scope["method"] == "POST" else None
        if match is None or gate is None:
            await self.app(scope, receive, send)
            return
        headers = {k.lower(): v for k, v in scope["headers"]}
        key = headers.get(b"idempotency-key", b"").decode("latin-1")
        media = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        usable = 0 < len(key) <= MAX_KEY_LENGTH and media == b"application/json"
        principal = None
        # e.g. no database connection free in time: the app meets the same and answers 503
        with contextlib.suppress(SQLAlchemyError):
            if usable:
                principal = await accounts.bearer_principal(
                    self.runtime, headers.get(b"authorization", b"").decode("latin-1")
                )
        if principal is None:
            await self.app(scope, receive, send)
            return
        body, receive = await _buffered(receive)
        try:
            attempt = FlashBuyIn.model_validate_json(body) if len(body) <= MAX_BODY else None
        except ValidationError:
            attempt = None
        if attempt is not None:
            claim = Claim(int(match[1]), principal.user_id, attempt.quantity, key)
            try:
                await flash_sale.refuse_early(gate, claim)
            except Problem as refused:
                await problem_of(refused, scope["path"])(scope, receive, send)
                return
            except RedisError:
                pass  # the app meets the same and answers 503
        await self.app(scope, receive, send)


async def _buffered(receive: Receive) -> tuple[bytes, Receive]:
    """Read the whole body, and a `receive` that hands it on as if unread."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"", _replay([message], receive)
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    return body, _replay([{"type": "http.request", "body": body, "more_body": False}], receive)


def _replay(first: list[Message], receive: Receive) -> Receive:
    async def replay() -> Message:
        return first.pop(0) if first else await receive()

    return replay
