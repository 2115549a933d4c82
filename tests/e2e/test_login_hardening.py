"""Logging in under attack: password checks leave the event loop free and hold no database lock,
unknown users cost what known ones do, and failed logins are rate limited per username and per
client address (429 with Retry-After, never locked for good)."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from argon2 import PasswordHasher

from tests.support.api import PASSWORD, Api
from trustlive.app import create_app
from trustlive.kernel.clock import FixedClock
from trustlive.kernel.runtime import Runtime

GATE_SECONDS = 5.0  # a safety net: a blocked check gives up waiting after this, then goes on
WRONG = "wrong-pass-1"


class Gate:
    """Makes every password hash and check wait (in whatever thread runs it) until opened, and
    records whether it was opened in time or gave up."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self.opened = threading.Event()
        self.verdicts: list[bool] = []
        self.calls: Counter[str] = Counter()

    def wrap(self, name: str, real: Any) -> Any:
        def slow(hasher: PasswordHasher, *args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            self.entered.set()
            self.verdicts.append(self.opened.wait(GATE_SECONDS))
            return real(hasher, *args, **kwargs)

        return slow

    async def until_entered(self) -> None:
        assert await asyncio.to_thread(self.entered.wait, GATE_SECONDS)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    g = Gate()
    monkeypatch.setattr(PasswordHasher, "hash", g.wrap("hash", PasswordHasher.hash))
    monkeypatch.setattr(PasswordHasher, "verify", g.wrap("verify", PasswordHasher.verify))
    yield g
    g.opened.set()


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    calls: Counter[str] = Counter()
    for name in ("hash", "verify"):
        real = getattr(PasswordHasher, name)

        def count(hasher: PasswordHasher, *a: Any, _n: str = name, _r: Any = real) -> Any:
            calls[_n] += 1
            return _r(hasher, *a)

        monkeypatch.setattr(PasswordHasher, name, count)
    return calls


async def _login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post("/api/v1/sessions", json={"username": username, "password": password})


# item 4: hashing off the event loop, equal work for unknown users


async def test_a_password_check_leaves_the_event_loop_free(api: Api, gate: Gate) -> None:
    cheap_done = asyncio.Event()

    async def cheap_read_while_checking() -> httpx.Response:
        await gate.until_entered()
        r = await api.client.get("/healthz")
        cheap_done.set()
        gate.opened.set()
        return r

    login, cheap = await asyncio.gather(
        _login(api.client, "nobody_here", PASSWORD), cheap_read_while_checking()
    )

    assert cheap.status_code == 200
    assert login.status_code == 401
    assert gate.verdicts[0] is True  # the cheap read finished while the check was still blocked


async def test_an_unknown_username_costs_one_check_like_a_known_one(
    api: Api, counted: Counter[str]
) -> None:
    await api.user("known_one")
    await _login(api.client, "warm_up", WRONG)  # the dummy hash is made once per process
    counted.clear()

    known = await _login(api.client, "known_one", WRONG)
    work_known = dict(counted)
    counted.clear()
    unknown = await _login(api.client, "unknown_one", WRONG)
    work_unknown = dict(counted)

    assert (known.status_code, unknown.status_code) == (401, 401)
    assert known.json()["type"] == unknown.json()["type"]
    assert work_known == work_unknown == {"verify": 1}


async def test_when_too_many_checks_wait_a_login_is_told_to_retry(
    database_url: str, clock: FixedClock, gate: Gate
) -> None:
    from tests.conftest import test_settings

    settings = test_settings(database_url).model_copy(
        update={"password_hash_workers": 1, "password_hash_queue": 1}
    )
    runtime = Runtime.build(settings, clock=clock)
    try:
        async with _client(runtime) as client:
            running = asyncio.create_task(_login(client, "first_in", WRONG))
            await gate.until_entered()
            waiting = asyncio.create_task(_login(client, "second_in", WRONG))
            async with asyncio.timeout(GATE_SECONDS):
                # the second login waits for the one thread; the pool has no event for that
                while runtime.passwords.in_flight < 2:  # noqa: ASYNC110
                    await asyncio.sleep(0.01)
            refused = await _login(client, "third_in", WRONG)
            gate.opened.set()
            answers = [(await running).status_code, (await waiting).status_code]
    finally:
        await runtime.close()

    assert answers == [401, 401]
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "1"
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"].endswith("/overloaded")


# item 6: no slow work inside a write transaction


async def test_a_login_checking_a_password_holds_no_write_lock(api: Api, gate: Gate) -> None:
    gate.opened.set()  # the users are made at full speed
    fan, star = await api.user(), await api.user()
    await api.user("slow_check")
    gate.opened.clear()
    gate.entered.clear()
    gate.verdicts.clear()

    async def write_while_checking() -> httpx.Response:
        await gate.until_entered()
        r = await api.client.put(f"/api/v1/me/following/{star.id}", headers=fan.auth)
        gate.opened.set()
        return r

    login, follow = await asyncio.gather(
        _login(api.client, "slow_check", WRONG), write_while_checking()
    )

    assert follow.status_code == 200
    assert login.status_code == 401
    assert gate.verdicts == [True]  # the write committed while the check was still running


async def test_concurrent_wrong_passwords_never_fail_with_500(
    api: Api, from_address: httpx.AsyncClient
) -> None:
    fan, star = await api.user(), await api.user()
    target = await api.user(_name())

    answers = await asyncio.gather(
        *(_login(from_address, target.username, f"{WRONG}{i}") for i in range(10)),
        api.client.put(f"/api/v1/me/following/{star.id}", headers=fan.auth),
    )

    assert [r.status_code for r in answers] == [401] * 10 + [200]


async def test_a_locked_database_is_a_retryable_503(runtime: Runtime) -> None:
    from fastapi import APIRouter
    from sqlalchemy.exc import OperationalError

    app = create_app(runtime)
    probe = APIRouter()

    @probe.post("/api/v1/probe-locked")
    async def locked() -> None:
        raise OperationalError("COMMIT", {}, Exception("database is locked"))

    app.include_router(probe)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        r = await c.post("/api/v1/probe-locked")

    assert r.status_code == 503
    assert r.headers["retry-after"] == "1"
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/overloaded")


# item 5: rate limits per username and per client address


@pytest.fixture
async def from_address(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    """A client at an address no other test uses (counts may live in a shared Redis)."""
    async with _client(runtime) as client:
        yield client


def _client(runtime: Runtime, address: str | None = None) -> httpx.AsyncClient:
    address = address or f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"
    transport = httpx.ASGITransport(app=create_app(runtime), client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


def _name() -> str:
    return f"u{uuid.uuid4().hex[:16]}"


async def _register(client: httpx.AsyncClient, username: str) -> None:
    r = await client.post(
        "/api/v1/users", json={"username": username, "display_name": "王", "password": PASSWORD}
    )
    assert r.status_code == 201, r.text


async def test_after_ten_wrong_passwords_even_the_right_one_waits(
    runtime: Runtime, from_address: httpx.AsyncClient, clock: FixedClock
) -> None:
    name = _name()
    await _register(from_address, name)
    wrong = [await _login(from_address, name, f"{WRONG}{i}") for i in range(10)]
    clock.advance(timedelta(minutes=5))

    refused = await _login(from_address, name, PASSWORD)
    clock.advance(timedelta(minutes=10) - timedelta(seconds=1))
    still = await _login(from_address, name, PASSWORD)
    clock.advance(timedelta(seconds=1))
    after_window = await _login(from_address, name, PASSWORD)

    assert [r.status_code for r in wrong] == [401] * 10
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == str(10 * 60)
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"].endswith("/too-many-login-attempts")
    assert "token" not in refused.json()
    assert still.status_code == 429
    assert still.headers["retry-after"] == "1"
    assert after_window.status_code == 200


async def test_an_unknown_username_is_limited_alike(
    from_address: httpx.AsyncClient,
) -> None:
    name = _name()
    answers = [await _login(from_address, name, f"{WRONG}{i}") for i in range(11)]

    assert [r.status_code for r in answers] == [401] * 10 + [429]


async def test_other_accounts_and_other_addresses_are_not_held_up(
    runtime: Runtime, from_address: httpx.AsyncClient
) -> None:
    attacked, bystander = _name(), _name()
    await _register(from_address, attacked)
    await _register(from_address, bystander)
    for i in range(10):
        await _login(from_address, attacked, f"{WRONG}{i}")

    same_place = await _login(from_address, bystander, PASSWORD)
    async with _client(runtime) as elsewhere:
        victim_elsewhere = await _login(elsewhere, attacked, PASSWORD)

    assert same_place.status_code == 200
    assert victim_elsewhere.status_code == 429  # the account's limit holds from any address


async def test_successful_logins_do_not_count(from_address: httpx.AsyncClient) -> None:
    name = _name()
    await _register(from_address, name)
    answers = [await _login(from_address, name, PASSWORD) for _ in range(12)]

    assert [r.status_code for r in answers] == [200] * 12


async def test_one_address_trying_many_usernames_is_limited(
    runtime: Runtime, from_address: httpx.AsyncClient
) -> None:
    per_address = runtime.settings.login_failures_per_address
    answers = [await _login(from_address, _name(), WRONG) for _ in range(per_address + 1)]
    known = _name()
    async with _client(runtime) as elsewhere:
        await _register(elsewhere, known)
    right_password = await _login(from_address, known, PASSWORD)

    assert Counter(r.status_code for r in answers) == {401: per_address, 429: 1}
    assert right_password.status_code == 429
