"""The built-in sandbox payment provider and the signature rules shared with the platform.

The provider signs each notification: HMAC-SHA256 over "<unix timestamp>." + raw body, with a
secret only it and the platform know. The platform accepts a notification only if the signature
matches, the timestamp is recent, and its notification id has never been seen.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import datetime

TIMESTAMP_HEADER = "X-Sandbox-Timestamp"
SIGNATURE_HEADER = "X-Sandbox-Signature"


@dataclass(frozen=True)
class SignedNotification:
    body: bytes
    timestamp: str
    signature: str

    def headers(self) -> dict[str, str]:
        return {
            "content-type": "application/json",
            TIMESTAMP_HEADER: self.timestamp,
            SIGNATURE_HEADER: self.signature,
        }


def sign(secret: str, timestamp: str, body: bytes) -> str:
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def signature_valid(secret: str, timestamp: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def timestamp_fresh(timestamp: str, *, now: datetime, tolerance_seconds: int) -> bool:
    try:
        sent = int(timestamp)
    except ValueError:
        return False
    return abs(now.timestamp() - sent) <= tolerance_seconds


class SandboxPaymentProvider:
    """Stands in for a real payment provider: charges at once and signs its notification."""

    name = "sandbox"

    def __init__(self, secret: str) -> None:
        self._secret = secret

    def charge(
        self, *, payment_id: int, order_id: int, amount_fen: int, now: datetime
    ) -> SignedNotification:
        body = json.dumps(
            {
                "notification_id": "ntf_" + secrets.token_hex(12),
                "payment_id": str(payment_id),
                "order_id": str(order_id),
                "amount_fen": amount_fen,
                "status": "succeeded",
                "provider_ref": "sbx_" + secrets.token_hex(8),
                "paid_at": now.isoformat(),
            },
            separators=(",", ":"),
        ).encode()
        timestamp = str(int(now.timestamp()))
        return SignedNotification(body, timestamp, sign(self._secret, timestamp, body))

    def refund(
        self, *, refund_id: int, payment_ref: str, amount_fen: int, now: datetime
    ) -> SignedNotification:
        """Gives money back on a settled payment; the answer is signed like a notification."""
        return self._signed(
            {
                "refund_id": str(refund_id),
                "payment_ref": payment_ref,
                "amount_fen": amount_fen,
                "status": "succeeded",
                "provider_ref": "sbr_" + secrets.token_hex(8),
            },
            now,
        )

    def payout(
        self, *, payout_id: int, buyer_id: int, amount_fen: int, now: datetime
    ) -> SignedNotification:
        """Sends money to a buyer's account (guarantee pay-outs); signed like a notification."""
        return self._signed(
            {
                "payout_id": str(payout_id),
                "buyer_id": str(buyer_id),
                "amount_fen": amount_fen,
                "status": "succeeded",
                "provider_ref": "sbp_" + secrets.token_hex(8),
            },
            now,
        )

    def _signed(self, fields: dict[str, object], now: datetime) -> SignedNotification:
        body = json.dumps(
            {"notification_id": "ntf_" + secrets.token_hex(12), **fields, "at": now.isoformat()},
            separators=(",", ":"),
        ).encode()
        timestamp = str(int(now.timestamp()))
        return SignedNotification(body, timestamp, sign(self._secret, timestamp, body))
