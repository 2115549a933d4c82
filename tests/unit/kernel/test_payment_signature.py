"""The sandbox provider's signature and freshness rules."""

from __future__ import annotations

from datetime import UTC, datetime

from trustlive.orders.sandbox_payment import (
    SandboxPaymentProvider,
    signature_valid,
    timestamp_fresh,
)

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def test_a_charge_verifies_with_the_shared_secret_only() -> None:
    signed = SandboxPaymentProvider("s3cret").charge(
        payment_id=1, order_id=2, amount_fen=300, now=NOW
    )
    assert signature_valid("s3cret", signed.timestamp, signed.body, signed.signature)
    assert not signature_valid("other", signed.timestamp, signed.body, signed.signature)
    assert not signature_valid(
        "s3cret", str(int(signed.timestamp) + 1), signed.body, signed.signature
    )
    assert not signature_valid("s3cret", signed.timestamp, signed.body + b" ", signed.signature)


def test_freshness_window() -> None:
    ts = str(int(NOW.timestamp()))
    assert timestamp_fresh(ts, now=NOW, tolerance_seconds=300)
    assert not timestamp_fresh(str(int(NOW.timestamp()) - 301), now=NOW, tolerance_seconds=300)
    assert not timestamp_fresh(str(int(NOW.timestamp()) + 301), now=NOW, tolerance_seconds=300)
    assert not timestamp_fresh("yesterday", now=NOW, tolerance_seconds=300)
