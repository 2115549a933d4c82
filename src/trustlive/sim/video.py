"""Video for the demo: nginx-rtmp from a temporary prefix, and an ffmpeg test pattern (a clock
and the room's name) published into every live room with the room's own key, so a newcomer
sees real video. Without nginx-rtmp or ffmpeg the demo runs as before and says how to get it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

from trustlive.kernel.runtime import Runtime
from trustlive.live import rooms
from trustlive.media import rotate_key
from trustlive.media.devserver import INSTALL_HINT, NginxProcess, media_for, missing_tools
from trustlive.media.nginx import NginxMedia
from trustlive.media.testpattern import Publisher, ffmpeg_command

log = logging.getLogger(__name__)
PLATFORM_WAIT_SECONDS = 60.0


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def plan(platform_url: str, hook_secret: str) -> tuple[NginxMedia | None, str]:
    """The media server the demo would run, and a line for the newcomer. Sets the MEDIA_*
    variables the app's settings read (call before the settings are built)."""
    missing = missing_tools()
    if missing:
        return None, (
            f"Video      off: needs {', '.join(missing)}. Install them ({INSTALL_HINT}) and "
            "run the demo again to see a test pattern in every live room."
        )
    prefix = Path(tempfile.mkdtemp(prefix="trustlive-demo-media-"))
    media = media_for(
        prefix,
        platform_url=platform_url,
        hook_secret=hook_secret,
        rtmp_port=_free_port(),
        http_port=_free_port(),
    )
    os.environ["MEDIA_RTMP_URL"] = media.rtmp_url
    os.environ["MEDIA_HLS_URL"] = media.hls_url
    return media, f"Video      test patterns via nginx-rtmp at {media.rtmp_url} ({prefix})"


@contextlib.asynccontextmanager
async def demo_video(runtime: Runtime, media: NginxMedia, platform_url: str) -> AsyncIterator[None]:
    """nginx for as long as the block runs; once the platform answers, one publisher per live
    room. Any failure leaves the demo without video, never without the demo."""
    nginx = NginxProcess(media)
    try:
        await asyncio.to_thread(nginx.start)
    except (RuntimeError, OSError) as failed:
        log.warning("demo video off: %s", failed)
        yield
        return
    publishers: list[Publisher] = []
    task = asyncio.create_task(_publish_into_live_rooms(runtime, media, platform_url, publishers))
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        for publisher in publishers:
            await asyncio.to_thread(publisher.stop)
        await asyncio.to_thread(nginx.stop)
        shutil.rmtree(media.prefix, ignore_errors=True)  # plan() made it for this run


async def _publish_into_live_rooms(
    runtime: Runtime, media: NginxMedia, platform_url: str, publishers: list[Publisher]
) -> None:
    try:
        await _wait_for(platform_url)
        async with runtime.sessions() as session:
            live = await rooms.list_live_rooms(session, limit=10)
            keys = []
            for room, _live in live:
                view = await rotate_key(
                    session, room_id=room.id, user_id=room.owner_user_id, now=runtime.clock.now()
                )
                assert view.key is not None
                keys.append((room.name, view.key))
            await session.commit()
        for name, key in keys:
            command = ffmpeg_command(f"{media.rtmp_url}/{key}", title=f"{name} · trustlive demo")
            publishers.append(Publisher(command, log=media.prefix / "logs" / "ffmpeg.log").start())
        log.info("demo video: a test pattern in each of %d live rooms", len(keys))
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("demo video: could not publish the test patterns")


async def _wait_for(platform_url: str) -> None:
    """uvicorn listens only after the app's start-up: publish once the platform answers."""
    async with httpx.AsyncClient(timeout=1) as client:
        for _ in range(int(PLATFORM_WAIT_SECONDS / 0.2)):
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(f"{platform_url}/healthz")).status_code == 200:
                    return
            await asyncio.sleep(0.2)
    raise RuntimeError(f"the platform did not answer at {platform_url}")
