"""The orders policy: timeouts from the settings (the operator's to set per installation)."""

from __future__ import annotations

from datetime import timedelta

from trustlive.kernel.settings import Settings
from trustlive.orders.domain import OrderPolicy


def policy_from(settings: Settings) -> OrderPolicy:
    return OrderPolicy(
        unpaid_timeout=timedelta(seconds=settings.unpaid_order_timeout_seconds),
        auto_receive_after=timedelta(days=settings.auto_confirm_receipt_days),
        aftersale_window=timedelta(days=settings.aftersale_window_days),
    )
