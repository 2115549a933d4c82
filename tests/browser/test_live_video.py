"""Real video in the live room: nginx-rtmp takes a test pattern from ffmpeg, asks the platform
whether its key may publish, and Chromium plays the room's HLS; a stream that stops shows the
viewer "reconnecting" and the anchor a warning."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, Page, expect

from tests.browser import seed
from tests.browser.conftest import SCREENSHOTS
from tests.browser.server import Server, free_port, served_app
from trustlive.media.devserver import INSTALL_HINT, NginxProcess, media_for, missing_tools
from trustlive.media.testpattern import Publisher, ffmpeg_command

pytestmark = pytest.mark.browser
WRONG_KEY_SECONDS = 20  # ffmpeg gives up at once on a refused publish; this only bounds it


@dataclass(frozen=True)
class Video:
    server: Server
    rtmp_url: str
    workdir: Path


@pytest.fixture
def video(tmp_path: Path) -> Iterator[Video]:
    missing = missing_tools()
    if missing:
        pytest.skip(f"live video needs {', '.join(missing)}: {INSTALL_HINT}")
    app_port = free_port()
    media = media_for(
        tmp_path / "media",
        platform_url=f"http://127.0.0.1:{app_port}",
        hook_secret="browser-test-media-secret",
        rtmp_port=free_port(),
        http_port=free_port(),
    )
    env = {
        "MEDIA_HOOK_SECRET": media.hook_secret,
        "MEDIA_RTMP_URL": media.rtmp_url,
        "MEDIA_HLS_URL": media.hls_url,
        "MEDIA_STALE_AFTER_SECONDS": "6",
    }
    nginx = NginxProcess(media)
    nginx.start()
    try:
        with served_app(tmp_path, port=app_port, env_extra=env) as server:
            yield Video(server, media.rtmp_url, tmp_path)
    finally:
        nginx.stop()


async def _time_past(page: Page, seconds: float, *, polls: int) -> float:
    """The player's currentTime once it is past `seconds` (polled every 0.1 s: a bounded wait
    for the player, not a timing test). The page's CSP forbids wait_for_function's eval."""
    now = -1.0
    for _ in range(polls):
        now = float(await page.evaluate("document.getElementById('player')?.currentTime ?? -1"))
        if now > seconds:
            return now
        await page.wait_for_timeout(100)
    raise AssertionError(f"the video did not play past {seconds} s (at {now})")


async def test_a_published_test_pattern_plays_in_the_room_and_a_stop_shows_reconnecting(
    video: Video, browser: Browser
) -> None:
    async with httpx.AsyncClient(base_url=video.server.url, timeout=10) as client:
        merchant = await seed.person(client, "老王")
        shop_id = await seed.shop(client, merchant, "老王的果园")
        room = await seed.shop_room(client, shop_id)
        r = await client.post(f"/api/v1/rooms/{room['id']}/stream-key", headers=merchant.auth)
        key = r.json()["key"]

        # a wrong key is refused by the platform: ffmpeg cannot publish, no session opens
        wrong = await asyncio.create_subprocess_exec(
            *ffmpeg_command(f"{video.rtmp_url}/tl_{'x' * 32}", title="wrong", seconds=5),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        assert await asyncio.wait_for(wrong.wait(), WRONG_KEY_SECONDS) != 0
        assert (await seed.shop_room(client, shop_id))["session"] is None

        publisher = Publisher(
            ffmpeg_command(f"{video.rtmp_url}/{key}", title="老王的果园 测试信号"),
            log=video.workdir / "ffmpeg.log",
        ).start()
        try:
            viewer = await browser.new_page()
            errors: list[str] = []
            viewer.on("pageerror", lambda exc: errors.append(str(exc)))
            context = await browser.new_context()
            await context.add_init_script(merchant.session_script())
            console = await context.new_page()

            await viewer.goto(f"{video.server.url}/rooms/{room['id']}")
            await console.goto(f"{video.server.url}/console/rooms/{room['id']}")
            await expect(viewer.locator("#stream-state")).to_have_attribute(
                "data-state", "on_air", timeout=20_000
            )
            await expect(console.locator("#stream-status")).to_have_attribute(
                "data-state", "on_air"
            )
            await expect(console.locator("#stream-key")).to_have_value(f"{key[:7]}••••••••")
            # the video element plays: its time advances
            first = await _time_past(viewer, 0.5, polls=300)
            assert await _time_past(viewer, first + 1.5, polls=150) > first + 1.5
            assert await viewer.evaluate("document.getElementById('player').muted") is True
            assert await viewer.get_attribute("#player", "poster")
            await viewer.click("#mute")
            assert await viewer.evaluate("document.getElementById('player').muted") is False
            await expect(viewer.locator("#mute")).to_contain_text("Mute")
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            await viewer.screenshot(path=SCREENSHOTS / "live-video-playing.png")
        finally:
            publisher.stop()

        # the anchor's encoder stops: viewers see reconnecting, the console a warning
        await expect(viewer.locator("#stream-state")).to_have_attribute(
            "data-state", "reconnecting", timeout=15_000
        )
        await expect(viewer.locator("#video-reconnecting")).to_be_visible()
        await expect(console.locator("#stream-warning")).to_be_visible(timeout=10_000)
        await expect(console.locator("#stream-warning")).to_contain_text("stream stopped")
        session = (await seed.shop_room(client, shop_id))["session"]
        assert (session["status"], session["stream_status"]) == ("live", "reconnecting")
        assert errors == []
