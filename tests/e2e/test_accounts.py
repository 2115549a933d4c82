"""Accounts over HTTP: register, log in and out, token expiry, follows and mutual follows."""

from __future__ import annotations

from datetime import timedelta

from tests.support.api import PASSWORD, Api
from trustlive.kernel.clock import FixedClock


async def test_register_login_me_logout(api: Api) -> None:
    user = await api.user("laotie_88", display_name="王小明")
    me = await api.client.get("/api/v1/users/me", headers=user.auth)
    assert me.status_code == 200
    assert {k: me.json()[k] for k in ("username", "display_name", "roles", "followers")} == {
        "username": "laotie_88",
        "display_name": "王小明",
        "roles": ["buyer"],
        "followers": 0,
    }
    assert isinstance(me.json()["id"], str)  # 64-bit ids travel as strings for JS clients

    out = await api.client.delete("/api/v1/sessions/current", headers=user.auth)
    assert out.status_code == 204
    again = await api.client.get("/api/v1/users/me", headers=user.auth)
    assert again.status_code == 401


async def test_wrong_password_and_unknown_user_look_the_same(api: Api) -> None:
    await api.user("someone")
    for creds in (
        {"username": "someone", "password": "wrong-pass-1"},
        {"username": "nobody", "password": PASSWORD},
    ):
        r = await api.client.post("/api/v1/sessions", json=creds)
        assert r.status_code == 401
        assert r.json()["type"].endswith("/bad-credentials")


async def test_a_taken_username_is_a_conflict(api: Api) -> None:
    await api.user("taken")
    r = await api.client.post(
        "/api/v1/users", json={"username": "taken", "display_name": "x", "password": PASSWORD}
    )
    assert r.status_code == 409
    assert r.json()["type"].endswith("/username-taken")


async def test_tokens_expire(api: Api, clock: FixedClock) -> None:
    user = await api.user()
    clock.advance(timedelta(seconds=api.runtime.settings.token_ttl_seconds - 1))
    assert (await api.client.get("/api/v1/users/me", headers=user.auth)).status_code == 200
    clock.advance(timedelta(seconds=1))
    assert (await api.client.get("/api/v1/users/me", headers=user.auth)).status_code == 401


async def test_passwords_are_stored_hashed(api: Api) -> None:
    from sqlalchemy import select

    from trustlive.accounts.models import User

    await api.user("hashme")
    async with api.runtime.sessions() as session:
        stored = await session.scalar(select(User.password_hash).where(User.username == "hashme"))
    assert stored is not None
    assert stored.startswith("$argon2")
    assert PASSWORD not in stored


async def test_follow_unfollow_and_mutual_follows(api: Api) -> None:
    a, b, c = await api.user(), await api.user(), await api.user()
    r = await api.client.put(f"/api/v1/me/following/{b.id}", headers=a.auth)
    assert r.json() == {"following": True, "mutual": False}
    r = await api.client.put(f"/api/v1/me/following/{a.id}", headers=b.auth)
    assert r.json() == {"following": True, "mutual": True}
    await api.client.put(f"/api/v1/me/following/{b.id}", headers=c.auth)
    again = await api.client.put(f"/api/v1/me/following/{b.id}", headers=c.auth)
    assert again.status_code == 200  # idempotent

    followers = (await api.client.get(f"/api/v1/users/{b.id}/followers", headers=a.auth)).json()
    assert [(f["user"]["id"], f["mutual"]) for f in followers["items"]] == [
        (c.id, False),
        (a.id, True),
    ]
    following = (await api.client.get(f"/api/v1/users/{a.id}/following", headers=a.auth)).json()
    assert [(f["user"]["id"], f["mutual"]) for f in following["items"]] == [(b.id, True)]

    assert (
        await api.client.delete(f"/api/v1/me/following/{b.id}", headers=a.auth)
    ).status_code == 204
    followers = (await api.client.get(f"/api/v1/users/{b.id}/followers", headers=a.auth)).json()
    assert [f["user"]["id"] for f in followers["items"]] == [c.id]
    mine = (await api.client.get(f"/api/v1/users/{b.id}/following", headers=b.auth)).json()
    assert [(f["user"]["id"], f["mutual"]) for f in mine["items"]] == [(a.id, False)]


async def test_follower_lists_page_with_a_cursor(api: Api) -> None:
    star = await api.user()
    fans = [await api.user() for _ in range(5)]
    for fan in fans:
        await api.client.put(f"/api/v1/me/following/{star.id}", headers=fan.auth)
    seen: list[str] = []
    url = f"/api/v1/users/{star.id}/followers?limit=2"
    while url:
        page = (await api.client.get(url, headers=star.auth)).json()
        seen += [f["user"]["id"] for f in page["items"]]
        nxt = page["next_before"]
        url = f"/api/v1/users/{star.id}/followers?limit=2&before={nxt}" if nxt else ""
    assert seen == [f.id for f in reversed(fans)]


async def test_you_cannot_follow_yourself(api: Api) -> None:
    a = await api.user()
    r = await api.client.put(f"/api/v1/me/following/{a.id}", headers=a.auth)
    assert r.status_code == 400
    assert r.json()["type"].endswith("/cannot-follow-self")


async def test_opening_a_shop_makes_the_user_a_merchant_once(api: Api) -> None:
    owner = await api.user()
    shop_id = await api.shop(owner, "老王的果园")
    me = (await api.client.get("/api/v1/users/me", headers=owner.auth)).json()
    assert me["roles"] == ["buyer", "merchant"]
    second = await api.client.post("/api/v1/shops", json={"name": "第二家"}, headers=owner.auth)
    assert second.status_code == 409
    other = await api.user()
    same_name = await api.client.post(
        "/api/v1/shops", json={"name": "老王的果园"}, headers=other.auth
    )
    assert same_name.status_code == 409
    shop = (await api.client.get(f"/api/v1/shops/{shop_id}")).json()
    assert shop["owner_id"] == owner.id
    patched = await api.client.patch(
        f"/api/v1/shops/{shop_id}", json={"description": "产地直发"}, headers=owner.auth
    )
    assert patched.json()["description"] == "产地直发"
    denied = await api.client.patch(
        f"/api/v1/shops/{shop_id}", json={"description": "x"}, headers=other.auth
    )
    assert denied.status_code == 403


async def test_a_logged_out_token_is_refused_at_once_even_when_recently_used(api: Api) -> None:
    user = await api.user()
    for _ in range(3):  # used often: its verification is remembered for a few seconds
        assert (await api.client.get("/api/v1/users/me", headers=user.auth)).status_code == 200
    await api.client.delete("/api/v1/sessions/current", headers=user.auth)
    assert (await api.client.get("/api/v1/users/me", headers=user.auth)).status_code == 401
