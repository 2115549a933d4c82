"""The identifiers an order or a login is linked by, as keyed digests: device, client address
(ip), normalised shipping address, payment instrument and phone. Raw values never leave here."""

from __future__ import annotations

import re
from collections.abc import Mapping

from trustlive.kernel.fingerprint import clean_device_id, identifier_digest
from trustlive.risk.graph.address import normalise

KINDS = ("device", "ip", "address", "payment", "phone")
_NOT_DIGIT = re.compile(r"\D")
_ADDRESS_FIELDS = ("province", "city", "district", "detail")


def address_text(shipping: Mapping[str, str]) -> str:
    """The address as one line: province, city, district, street and number."""
    return "".join(shipping.get(field, "") for field in _ADDRESS_FIELDS)


def normal_address(raw: str) -> str:
    """Two writings of one address give one string (full-width digits, Chinese numerals, unit
    words and separators undone: risk/graph/address.py); two flats of one building do not."""
    norm = normalise(raw)
    return ".".join(str(n) for n in norm.numbers) + "|" + norm.text


def normal_phone(raw: str) -> str | None:
    """Digits only, without China's country code; None when too short to be a phone."""
    digits = _NOT_DIGIT.sub("", raw)
    if digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if len(digits) >= 5 else None


def order_digests(
    key: bytes,
    *,
    shipping: Mapping[str, str],
    device_id: str | None,
    client_address: str | None,
    payment_instrument: str | None,
) -> dict[str, str]:
    """Digest per kind of every identifier the order carries (kinds it lacks are absent)."""
    raw: dict[str, str | None] = {
        "device": clean_device_id(device_id),
        "ip": client_address or None,
        "address": normal_address(address_text(shipping)) if any(shipping.values()) else None,
        "payment": (payment_instrument or "").strip() or None,
        "phone": normal_phone(shipping.get("phone", "")),
    }
    return {kind: identifier_digest(key, kind, v) for kind, v in raw.items() if v is not None}
