"""The demo as a newcomer meets it: `trustlive demo` serving a simulated marketplace whose live
rooms are alive, watched in Chromium."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import Browser, expect

from tests.browser.server import Server, _wait_healthy, free_port

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Server]:
    """`trustlive demo` on a new file: two simulated days, life in the rooms twenty times faster."""
    port = free_port()
    env = {**os.environ, "PASSWORD_HASH_FAST": "true", "JOB_INTERVAL_SECONDS": "0.2"}
    env.pop("DATABASE_URL", None)
    log = tmp_path / "demo.log"
    args = ["--db", str(tmp_path / "demo.db"), "--port", str(port), "--days", "2", "--pace", "20"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "trustlive.cli", "demo", *args],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(10):  # the history is simulated before the server listens
                try:
                    _wait_healthy(url, process, log)
                    break
                except RuntimeError:
                    if process.poll() is not None:
                        raise
            yield Server(url, log)
        finally:
            process.terminate()
            process.wait(timeout=20)


async def test_a_newcomer_sees_a_simulated_buyer_purchase_arrive_and_viewers_come_and_go(
    demo: Server, browser: Browser
) -> None:
    async with httpx.AsyncClient(base_url=demo.url) as client:
        rooms = (await client.get("/api/v1/rooms")).json()
    live = [r for r in rooms if r["session"] and r["session"]["status"] == "live"]
    assert len(live) == 3  # the demo's most popular shops broadcast
    errors: list[str] = []
    page = await browser.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    await page.goto(f"{demo.url}/rooms/{live[0]['id']}")
    await expect(page.locator("#channel-status")).to_contain_text("live")
    first = await page.locator("#purchases li").count()
    # a simulated buyer orders and pays in the room: the purchase arrives in the feed
    await expect(page.locator("#purchases li")).not_to_have_count(first, timeout=30_000)
    assert re.search(r"\*\*", await page.locator("#purchases li").first.inner_text())
    seen = {await page.locator("#viewers").inner_text()}
    for _ in range(100):  # viewers arrive and leave: the count moves
        await page.wait_for_timeout(200)
        seen.add(await page.locator("#viewers").inner_text())
        if len(seen) >= 3:
            break
    assert len(seen) >= 3, seen
    await expect(page.locator("#comments li:not(.system)")).not_to_have_count(0)  # comments
    assert errors == []
