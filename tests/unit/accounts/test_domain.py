"""Account rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from trustlive.accounts.domain import is_token_live, is_valid_username, mask_name

T = datetime(2026, 1, 1, tzinfo=UTC)


def test_names_are_masked_to_their_first_character() -> None:
    assert mask_name("王小明") == "王**"
    assert mask_name("Alice") == "A**"
    assert mask_name("  ") == "**"


def test_usernames() -> None:
    assert is_valid_username("laotie_88")
    assert not is_valid_username("ab")
    assert not is_valid_username("王小明")
    assert not is_valid_username("a" * 33)


def test_tokens_live_until_expiry_or_logout() -> None:
    later = T + timedelta(days=1)
    assert is_token_live(now=T, expires_at=later, revoked_at=None)
    assert not is_token_live(now=later, expires_at=later, revoked_at=None)
    assert not is_token_live(now=T, expires_at=later, revoked_at=T)
