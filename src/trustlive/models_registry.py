"""Imports every context's tables so metadata is complete (migrations, test schemas)."""

from __future__ import annotations

import importlib

MODEL_MODULES = (
    "trustlive.kernel.models",
    "trustlive.accounts.models",
    "trustlive.shops.models",
    "trustlive.catalog.models",
    "trustlive.orders.models",
    "trustlive.reviews.models",
    "trustlive.aftersale.models",
    "trustlive.messaging.models",
    "trustlive.trust.models",
    "trustlive.live.models",
    "trustlive.shelf.models",
    "trustlive.media.models",
    "trustlive.risk.models",
)


def import_all_models() -> None:
    for module in MODEL_MODULES:
        importlib.import_module(module)
