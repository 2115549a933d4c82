"""Keyed digests of identifiers (devices, client addresses, shipping addresses, payment
instruments, phones): risk control links accounts by them without ever storing one raw.

HMAC-SHA256 under a key derived from the secret key, so a leaked table cannot be reversed by
hashing every phone number; the kind is part of the message, so one value of two kinds (a phone
number typed as a device id) never links.
"""

from __future__ import annotations

import hashlib
import hmac

DIGEST_CHARS = 32  # 128 bits: collisions among billions of values stay out of reach
_PURPOSE = b"trustlive.identifier.v1"


def identifier_key(secret: str) -> bytes:
    """The identifier key derived from the process's secret key (one purpose, one key)."""
    return hmac.new(secret.encode(), _PURPOSE, hashlib.sha256).digest()


def identifier_digest(key: bytes, kind: str, value: str) -> str:
    """The keyed digest of one identifier value of one kind, as hex."""
    message = kind.encode() + b"\x00" + value.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:DIGEST_CHARS]


def clean_device_id(raw: str | None) -> str | None:
    """A client-sent device id, trimmed; an empty, overlong or unprintable one counts as none."""
    if raw is None:
        return None
    value = raw.strip()
    if not value or len(value) > 128 or not value.isprintable():
        return None
    return value
