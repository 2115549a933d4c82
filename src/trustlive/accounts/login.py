"""Logging in: the one use case that owns two short transactions instead of one.

A password check takes tens of milliseconds of CPU. Inside a transaction it would hold a
connection (and on SQLite the database's only write lock) all that time, so the credentials are
read in one transaction, checked off the event loop with none open, and the token is written in
a second. Failed attempts are rate limited per username and per client address (sliding window,
in Redis when configured so every worker shares the counts); an attempt over the limit is
refused before any password is checked, with the seconds to wait.
"""

from __future__ import annotations

import math
from datetime import timedelta

from trustlive.accounts import domain, service
from trustlive.accounts.errors import AccountError
from trustlive.accounts.shared_state import login_limiter
from trustlive.kernel.db import unit_of_work
from trustlive.kernel.errors import Problem, TooManyRequests
from trustlive.kernel.fingerprint import clean_device_id, identifier_digest, identifier_key
from trustlive.kernel.runtime import Runtime


def origin_of(runtime: Runtime, *, address: str, device_id: str | None) -> domain.Origin:
    """The keyed digests of a request's client address and device id (never kept raw)."""
    key = identifier_key(runtime.settings.secret_key)
    device = clean_device_id(device_id)
    return domain.Origin(
        device_digest=None if device is None else identifier_digest(key, "device", device),
        address_digest=identifier_digest(key, "ip", address),
    )


async def log_in(
    runtime: Runtime, *, username: str, password: str, address: str, device_id: str | None = None
) -> service.IssuedToken:
    settings = runtime.settings
    limits = domain.login_limits(
        username=username,
        address=address,
        per_account=settings.login_failures_per_account,
        per_address=settings.login_failures_per_address,
        window=timedelta(seconds=settings.login_failure_window_seconds),
    )
    limiter = login_limiter(runtime)
    admission = await limiter.hit(limits, now=runtime.clock.now())
    if not admission.admitted:
        raise TooManyRequests(
            "too many failed logins; wait before trying again",
            retry_after_seconds=math.ceil(admission.retry_after.total_seconds()),
            code=AccountError.TOO_MANY_LOGIN_ATTEMPTS,
        )
    try:
        async with runtime.sessions() as session:  # read only; ends before the slow check
            found = await service.credentials_of(session, username)
        matches = await runtime.passwords.verify(found[1] if found else None, password)
    except Exception:  # busy or broken, not a wrong password: it does not count
        await limiter.forget(limits, admission.entry)
        raise
    if found is None or not matches:  # the attempt stays counted as a failure
        raise Problem(AccountError.BAD_CREDENTIALS, "wrong username or password", status=401)
    await limiter.forget(limits, admission.entry)
    async with unit_of_work(runtime.sessions) as session:
        return await service.issue_token(
            session,
            user_id=found[0],
            ttl_seconds=settings.token_ttl_seconds,
            now=runtime.clock.now(),
            origin=origin_of(runtime, address=address, device_id=device_id),
        )
