"""Account rules: what a username may be, what a principal may do."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from trustlive.accounts.errors import AccountError
from trustlive.kernel.auth import Role
from trustlive.kernel.errors import Problem
from trustlive.kernel.rate_limit import Limit

USERNAME_PATTERN = r"^[A-Za-z0-9_]{3,32}$"
_USERNAME = re.compile(USERNAME_PATTERN)


def is_valid_username(username: str) -> bool:
    return bool(_USERNAME.fullmatch(username))


def token_expiry(now: datetime, ttl_seconds: int) -> datetime:
    return now + timedelta(seconds=ttl_seconds)


def is_token_live(*, now: datetime, expires_at: datetime, revoked_at: datetime | None) -> bool:
    return revoked_at is None and now < expires_at


def login_limits(
    *,
    username: str,
    address: str,
    per_account: int,
    per_address: int,
    window: timedelta,
) -> list[Limit]:
    """Failed logins counted per username (known or not, so a 429 reveals no account) and per
    client address (many usernames from one place: credential stuffing)."""
    account = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [
        Limit(f"login:account:{account}", per_account, window),
        Limit(f"login:address:{address}", per_address, window),
    ]


def initial_roles(*, as_creator: bool) -> list[str]:
    roles = [Role.BUYER.value]
    if as_creator:
        roles.append(Role.CREATOR.value)
    return roles


@dataclass(frozen=True)
class Principal:
    """Who is calling: the narrow value other contexts receive instead of the user row."""

    user_id: int
    username: str
    display_name: str
    roles: frozenset[Role]

    def has(self, role: Role) -> bool:
        return role in self.roles

    @property
    def is_operator(self) -> bool:
        return Role.OPERATOR in self.roles


def mask_name(display_name: str) -> str:
    """Show strangers only the first character: 王小明 → 王**, as purchase feeds and reviews do."""
    name = display_name.strip()
    return (name[:1] + "**") if name else "**"


MAX_ADDRESSES = 20  # a buyer's address book; big platforms allow 20-25


def check_address_room(saved: int) -> None:
    """A buyer keeps at most MAX_ADDRESSES saved addresses."""
    if saved >= MAX_ADDRESSES:
        raise Problem(
            AccountError.TOO_MANY_ADDRESSES,
            f"you have {saved} saved addresses, the most allowed; delete one you no longer use",
            status=409,
        )


def default_after_removal(
    remaining_newest_first: list[int], removed_was_default: bool
) -> int | None:
    """Which address becomes the default when one is deleted: the newest left, if the deleted one
    was the default; otherwise nothing changes (None)."""
    if not removed_was_default or not remaining_newest_first:
        return None
    return remaining_newest_first[0]


@dataclass(frozen=True)
class Origin:
    """Where a registration or login came from, as keyed digests (kernel.fingerprint)."""

    device_digest: str | None = None
    address_digest: str | None = None


UNKNOWN_ORIGIN = Origin()
