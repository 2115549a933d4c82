"""Auth primitives: password hashing (argon2), opaque bearer tokens, the roles a user holds."""

from __future__ import annotations

import hashlib
import secrets
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

TOKEN_PREFIX = "tl_"


class Role(StrEnum):
    """Platform-wide roles. Merchant staff is per shop (shops context); these are account roles."""

    BUYER = "buyer"
    MERCHANT = "merchant"
    CREATOR = "creator"
    PROVIDER = "provider"
    OPERATOR = "operator"


def make_password_hasher(*, fast: bool = False) -> PasswordHasher:
    """Library defaults (RFC 9106 low-memory profile); `fast` only for tests and benchmarks."""
    if fast:
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


def verify_password(hasher: PasswordHasher, stored_hash: str, password: str) -> bool:
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    """256 random bits. Only its SHA-256 is stored, so a database leak logs no one in."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
