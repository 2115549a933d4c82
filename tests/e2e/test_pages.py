"""The shared pages render and the static assets are served."""

from __future__ import annotations

import httpx

from trustlive.sim.seed import DEMO_PASSWORD


async def test_home_login_and_assets_are_served(client: httpx.AsyncClient) -> None:
    home = await client.get("/")
    assert home.status_code == 200
    assert "Trust-driven live commerce" in home.text
    login = await client.get("/login")
    assert 'id="login-form"' in login.text
    js = await client.get("/static/api.js")
    assert js.status_code == 200
    assert "Bearer" in js.text


async def test_login_page_names_the_password_demo_accounts_log_in_with(
    client: httpx.AsyncClient,
) -> None:
    login = await client.get("/login")
    assert f"<code>{DEMO_PASSWORD}</code>" in login.text
    assert "demo-pass-123<" not in login.text


async def test_unknown_room_and_product_answer_a_404_page(client: httpx.AsyncClient) -> None:
    for path, what in (("/rooms/424242", "live room"), ("/products/424242", "product")):
        r = await client.get(path)
        assert r.status_code == 404, path
        assert r.headers["content-type"].startswith("text/html")
        assert 'id="not-found"' in r.text
        assert f"{what} <code>424242</code> does not exist" in r.text
        assert 'href="/live"' in r.text
