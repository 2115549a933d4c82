"""A WebSocket client that drives the ASGI app in the test's own event loop (no server)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.types import ASGIApp, Message

WAIT_SECONDS = 5.0  # a safety net against a hung test, not a measured time


class RoomSocket:
    def __init__(self) -> None:
        self.to_app: asyncio.Queue[Message] = asyncio.Queue()
        self.from_app: asyncio.Queue[Message] = asyncio.Queue()
        self.accepted = False

    async def frame(self) -> dict[str, Any]:
        """The next frame the server sent, parsed."""
        async with asyncio.timeout(WAIT_SECONDS):
            message = await self.from_app.get()
        assert message["type"] == "websocket.send", message
        frame: dict[str, Any] = json.loads(message["text"])
        return frame

    async def closed_with(self) -> int:
        async with asyncio.timeout(WAIT_SECONDS):
            message = await self.from_app.get()
        assert message["type"] == "websocket.close", message
        return int(message.get("code", 1000))


@contextlib.asynccontextmanager
async def room_socket(
    app: ASGIApp, path: str, query: str = "", headers: dict[str, str] | None = None
) -> AsyncIterator[RoomSocket]:
    socket = RoomSocket()
    scope = {
        "type": "websocket",
        "asgi": {"version": "3.0"},
        "scheme": "ws",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "client": ("127.0.0.1", 5000),
        "server": ("test", 80),
        "subprotocols": [],
        "root_path": "",
        "app": app,
    }
    await socket.to_app.put({"type": "websocket.connect"})

    async def run() -> None:
        await app(scope, socket.to_app.get, socket.from_app.put)

    task = asyncio.create_task(run())
    try:
        accepted = await asyncio.wait_for(socket.from_app.get(), 5)
        socket.accepted = accepted["type"] == "websocket.accept"
        if not socket.accepted:  # a server answers a close before accept with HTTP 403
            await socket.from_app.put(accepted)  # let the test read the close
        yield socket
    finally:
        await socket.to_app.put({"type": "websocket.disconnect", "code": 1000})
        with contextlib.suppress(asyncio.CancelledError, TimeoutError):
            await asyncio.wait_for(task, 5)
