"""Idempotency keys for create requests: a retry returns the first answer and changes nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from trustlive.kernel.errors import Problem, ProblemCode
from trustlive.kernel.ids import new_id
from trustlive.kernel.locks import lock_for_transaction
from trustlive.kernel.models import IdempotencyRecord

MAX_KEY_LENGTH = 200


@dataclass(frozen=True)
class StoredAnswer:
    status_code: int
    body: dict[str, Any]


def request_fingerprint(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def check_key(key: str | None) -> str:
    if not key:
        raise Problem(
            ProblemCode.IDEMPOTENCY_KEY_MISSING,
            "send an Idempotency-Key header (e.g. a UUID) so a retry cannot create a second one",
        )
    if len(key) > MAX_KEY_LENGTH:
        raise Problem(ProblemCode.VALIDATION, f"Idempotency-Key is longer than {MAX_KEY_LENGTH}")
    return key


async def find_answer(
    session: AsyncSession, *, scope: str, key: str, fingerprint: str
) -> StoredAnswer | None:
    row = await session.scalar(
        select(IdempotencyRecord).where(
            IdempotencyRecord.scope == scope, IdempotencyRecord.key == key
        )
    )
    if row is None:
        return None
    if row.request_hash != fingerprint:
        raise Problem(
            ProblemCode.IDEMPOTENCY_KEY_REUSED,
            "this Idempotency-Key was used for a different request; use a new key",
            status=422,
        )
    return StoredAnswer(row.status_code, row.response)


def save_answer(
    session: AsyncSession,
    *,
    scope: str,
    key: str,
    fingerprint: str,
    status_code: int,
    body: dict[str, Any],
    now: datetime,
) -> None:
    """Stored in the same transaction as the thing created; the unique (scope, key) stops a race."""
    session.add(
        IdempotencyRecord(
            id=new_id(),
            scope=scope,
            key=key,
            request_hash=fingerprint,
            status_code=status_code,
            response=body,
            created_at=now,
        )
    )


async def answer_once(
    session: AsyncSession,
    *,
    scope: str,
    key: str | None,
    body: Any,
    make: Callable[[], Awaitable[dict[str, Any]]],
    now: datetime,
) -> JSONResponse:
    """Run `make` once per (scope, key): a retry gets the first answer and changes nothing.

    The record shares the created thing's transaction. Requests with one key queue on a lock
    (PostgreSQL; SQLite writers queue anyway), so a retry that arrives while the first is still
    running waits and gets its answer, instead of running `make` against its half-done work (which
    answered 409 "already open"). Should the lock be missed, the unique (scope, key) refuses the
    second record, we roll back and answer with the first.
    """
    checked = check_key(key)
    fingerprint = request_fingerprint(body)
    await lock_for_transaction(session, scope="idempotency:" + scope, key=checked)
    stored = await find_answer(session, scope=scope, key=checked, fingerprint=fingerprint)
    if stored is not None:
        return JSONResponse(stored.body, status_code=stored.status_code)
    answer = await make()
    save_answer(
        session,
        scope=scope,
        key=checked,
        fingerprint=fingerprint,
        status_code=201,
        body=answer,
        now=now,
    )
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()
        stored = await find_answer(session, scope=scope, key=checked, fingerprint=fingerprint)
        assert stored is not None
        return JSONResponse(stored.body, status_code=stored.status_code)
    return JSONResponse(answer, status_code=201)
