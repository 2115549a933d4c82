"""A short-lived, per-process memory of verified tokens.

Every authenticated request would otherwise read the token table first. An entry lives at most
`ttl` and never past the token's own expiry; logout evicts it in this process at once. Another
process may honour a logged-out token until its entry there runs out (`TOKEN_CACHE_SECONDS`, 0
turns the cache off), as with any cached session.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta

from trustlive.accounts.domain import Principal
from trustlive.kernel.auth import token_digest


class TokenCache:
    def __init__(self, ttl: timedelta, max_entries: int = 50_000) -> None:
        self._ttl = ttl
        self._max = max_entries
        self._entries: OrderedDict[str, tuple[Principal, datetime]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self._ttl > timedelta(0)

    def get(self, token: str, *, now: datetime) -> Principal | None:
        key = token_digest(token)
        entry = self._entries.get(key)
        if entry is None:
            return None
        principal, valid_until = entry
        if now >= valid_until:
            del self._entries[key]
            return None
        return principal

    def put(self, token: str, principal: Principal, *, expires_at: datetime, now: datetime) -> None:
        if not self.enabled:
            return
        self._entries[token_digest(token)] = (principal, min(now + self._ttl, expires_at))
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)

    def evict(self, token: str) -> None:
        self._entries.pop(token_digest(token), None)
