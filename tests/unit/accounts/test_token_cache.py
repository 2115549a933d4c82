"""The token cache never outlives its ttl, the token's expiry, or a logout."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from trustlive.accounts.domain import Principal
from trustlive.accounts.token_cache import TokenCache
from trustlive.kernel.auth import Role

T = datetime(2026, 1, 1, tzinfo=UTC)
WHO = Principal(user_id=1, username="u", display_name="U", roles=frozenset({Role.BUYER}))


def test_entries_live_until_the_ttl_or_the_token_expiry_whichever_is_first() -> None:
    cache = TokenCache(timedelta(seconds=10))
    cache.put("a", WHO, expires_at=T + timedelta(hours=1), now=T)
    cache.put("b", WHO, expires_at=T + timedelta(seconds=3), now=T)
    assert cache.get("a", now=T + timedelta(seconds=9)) == WHO
    assert cache.get("a", now=T + timedelta(seconds=10)) is None
    assert cache.get("b", now=T + timedelta(seconds=2)) == WHO
    assert cache.get("b", now=T + timedelta(seconds=3)) is None


def test_eviction_and_a_zero_ttl() -> None:
    cache = TokenCache(timedelta(seconds=10))
    cache.put("a", WHO, expires_at=T + timedelta(hours=1), now=T)
    cache.evict("a")
    assert cache.get("a", now=T) is None
    off = TokenCache(timedelta(0))
    off.put("a", WHO, expires_at=T + timedelta(hours=1), now=T)
    assert off.get("a", now=T) is None


def test_the_oldest_entries_go_first_when_full() -> None:
    cache = TokenCache(timedelta(seconds=10), max_entries=2)
    for token in ("a", "b", "c"):
        cache.put(token, WHO, expires_at=T + timedelta(hours=1), now=T)
    assert [cache.get(t, now=T) is not None for t in ("a", "b", "c")] == [False, True, True]
