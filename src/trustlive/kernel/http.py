"""HTTP plumbing shared by every router: the transaction dependency, id types, content types."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from annotated_types import Ge, Le
from fastapi import Depends, Request
from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import ASGIApp, Receive, Scope, Send

from trustlive.kernel.errors import PROBLEM_MEDIA_TYPE, ProblemCode, problem_response
from trustlive.kernel.runtime import Runtime

MAX_ID = (1 << 63) - 1


def runtime_of(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def transaction(request: Request) -> AsyncIterator[AsyncSession]:
    """The request is the unit of work: commit when the endpoint returns, roll back if it raises.

    Runs with scope="function" so the commit finishes before the response is sent: a client never
    sees success for a change that did not commit.
    """
    runtime = runtime_of(request)
    async with runtime.sessions() as session:
        yield session
        await session.commit()
        runtime.dispatcher.nudge()  # cheap; the dispatcher looks for new events at once


Tx = Annotated[AsyncSession, Depends(transaction, scope="function")]


async def runtime_dependency(request: Request) -> Runtime:
    """Async on purpose: FastAPI runs a sync dependency in its thread pool, one hop per request."""
    return runtime_of(request)


Rt = Annotated[Runtime, Depends(runtime_dependency)]


def _parse_id(value: Any) -> Any:
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return value


# 64-bit ids exceed JavaScript's safe integers, so the API writes them as strings and reads both.
Id = Annotated[
    int,
    BeforeValidator(_parse_id),
    Ge(1),
    Le(MAX_ID),
    PlainSerializer(str, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": "^[0-9]{1,19}$", "example": "301989888123456"}),
]


class JsonOnlyMiddleware:
    """Refuse API request bodies that are not JSON with 415 before any handler parses them."""

    def __init__(self, app: ASGIApp, prefix: str = "/api/") -> None:
        self.app = app
        self.prefix = prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in ("POST", "PUT", "PATCH")
            and scope["path"].startswith(self.prefix)
        ):
            headers = dict(scope["headers"])
            length = headers.get(b"content-length", b"0")
            content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
            has_body = length not in (b"0", b"") or b"transfer-encoding" in headers
            if has_body and content_type not in (b"application/json", PROBLEM_MEDIA_TYPE.encode()):
                response = problem_response(
                    415,
                    ProblemCode.UNSUPPORTED_MEDIA_TYPE,
                    "Unsupported media type",
                    "send the request body as application/json",
                    scope["path"],
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
