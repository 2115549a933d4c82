"""HTTP plumbing shared by every router: the transaction dependency, id types, content types."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Sequence
from typing import Annotated, Any

from annotated_types import Ge, Le
from fastapi import Depends, Request
from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from trustlive.kernel.errors import PROBLEM_MEDIA_TYPE, ProblemCode, problem_response
from trustlive.kernel.i18n import locale_of_headers
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
    WithJsonSchema(
        {"type": "string", "pattern": "^[1-9][0-9]{0,18}$", "example": "301989888123456"}
    ),
]


IMAGE_TYPES = (b"image/jpeg", b"image/png", b"image/webp")


class JsonOnlyMiddleware:
    """Refuse API request bodies that are not JSON with 415 before any handler parses them;
    paths matching `image_paths` take an image (JPEG, PNG or WebP) as the body instead."""

    def __init__(
        self, app: ASGIApp, prefix: str = "/api/", image_paths: re.Pattern[str] | None = None
    ) -> None:
        self.app = app
        self.prefix = prefix
        self.image_paths = image_paths

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
            takes_image = bool(self.image_paths and self.image_paths.fullmatch(scope["path"]))
            wanted = (
                IMAGE_TYPES if takes_image else (b"application/json", PROBLEM_MEDIA_TYPE.encode())
            )
            if has_body and content_type not in wanted:
                response = problem_response(
                    415,
                    ProblemCode.UNSUPPORTED_MEDIA_TYPE,
                    "Unsupported media type",
                    "send a JPEG, PNG or WebP image as the body"
                    if takes_image
                    else "send the request body as application/json",
                    scope["path"],
                    locale=locale_of_headers(scope["headers"]),
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class BodyTooLarge(HTTPException):
    """Raised from `receive` once a body passes the limit; the problem handlers answer 413."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body is larger than {limit} bytes")


class BodyLimitMiddleware:
    """Refuse request bodies past `limit` bytes with 413 without reading them whole.

    A declared Content-Length over the limit is refused before the app runs; a chunked or
    understated body is counted as it streams in and refused at the first byte past the limit.
    Outermost, so no other middleware (FlashLane buffers bodies) reads past the limit either.
    """

    def __init__(
        self, app: ASGIApp, limit: int, larger: Sequence[tuple[re.Pattern[str], int]] = ()
    ) -> None:
        self.app = app
        self.limit = limit
        self.larger = tuple(larger)  # paths that take more (image uploads), with their limit

    def _limit_of(self, path: str) -> int:
        return next((n for pattern, n in self.larger if pattern.fullmatch(path)), self.limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit_of(scope["path"])
        if _declared_length(scope) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        received = 0
        responded = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal responded
            responded = responded or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except BodyTooLarge:
            if responded:
                raise
            await self._refuse(scope, receive, send, limit)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        response = problem_response(
            413,
            ProblemCode.PAYLOAD_TOO_LARGE,
            "Payload too large",
            f"the request body is larger than {limit} bytes",
            scope["path"],
            headers={"Connection": "close"},  # the rest of the body is never read
            locale=locale_of_headers(scope["headers"]),
        )
        await response(scope, receive, send)


def _declared_length(scope: Scope) -> int:
    for name, value in scope["headers"]:
        if name.lower() == b"content-length":
            return int(value) if value.isdigit() else 0
    return 0
