"""The shared pages render and the static assets are served."""

from __future__ import annotations

import httpx


async def test_home_login_and_assets_are_served(client: httpx.AsyncClient) -> None:
    home = await client.get("/")
    assert home.status_code == 200
    assert "trust-driven live commerce" in home.text
    login = await client.get("/login")
    assert 'id="login-form"' in login.text
    js = await client.get("/static/api.js")
    assert js.status_code == 200
    assert "Bearer" in js.text
