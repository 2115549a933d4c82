"""Create requests run once per idempotency key: a retry returns the first answer."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from trustlive.kernel import idempotency
from trustlive.kernel.http import Rt, Tx


async def once(
    tx: Tx,
    rt: Rt,
    *,
    scope: str,
    key: str | None,
    body: dict[str, Any],
    make: Callable[[], Awaitable[dict[str, Any]]],
) -> JSONResponse:
    """Run `make` once per idempotency key: a retry returns the first answer, changes nothing."""
    checked = idempotency.check_key(key)
    fingerprint = idempotency.request_fingerprint(body)
    stored = await idempotency.find_answer(tx, scope=scope, key=checked, fingerprint=fingerprint)
    if stored is not None:
        return JSONResponse(stored.body, status_code=stored.status_code)
    answer = await make()
    idempotency.save_answer(
        tx, scope=scope, key=checked, fingerprint=fingerprint, status_code=201, body=answer,
        now=rt.clock.now(),
    )  # fmt: skip
    try:
        await tx.flush()
    except IntegrityError:  # a concurrent retry with the same key committed first
        await tx.rollback()
        stored = await idempotency.find_answer(
            tx, scope=scope, key=checked, fingerprint=fingerprint
        )
        assert stored is not None
        return JSONResponse(stored.body, status_code=stored.status_code)
    return JSONResponse(answer, status_code=201)
