"""Browser tests: the real app in its own process, driven through Debian's Chromium."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, async_playwright

from tests.browser.server import Server, served_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with served_app(tmp_path) as served:
        yield served


@pytest.fixture
def chromium() -> Path:
    if not CHROMIUM.exists():
        pytest.fail(
            f"browser tests need Chromium at {CHROMIUM}: install it with "
            "`apt-get install chromium` (Debian/Ubuntu), or leave them out with "
            '`pytest -m "not browser"`'
        )
    return CHROMIUM


SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@pytest.fixture
async def browser(chromium: Path, request: pytest.FixtureRequest) -> AsyncIterator[Browser]:
    """Every page still open when the test ends is photographed into build/screenshots/, so a
    person looks at what the test saw (a page nobody looked at is not done)."""
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=str(chromium), args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            await _photograph(launched, request.node.name)
            await launched.close()


async def _photograph(browser: Browser, test_name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pages = [page for context in browser.contexts for page in context.pages]
    for n, page in enumerate(pages):
        try:
            await page.screenshot(path=SCREENSHOTS / f"{test_name}-{n}.png", full_page=True)
        except Exception:  # a page that closed or crashed has nothing to show
            continue
