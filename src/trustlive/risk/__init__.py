"""Risk control (风控): detectors for brushing, gangs, private deals and false claims, the cases
they open and the enforcement operators decide. Other contexts reach it only through this facade."""

from __future__ import annotations

from trustlive.risk.context import RiskContext, build_context, context_of
from trustlive.risk.enforcement import (
    ExclusionByVerdict,
    room_banned,
    settlement_frozen,
    traffic_factor,
)
from trustlive.risk.moderation import CommentModerator, MessageScreen, ProductTextScreen, TextChecks

__all__: list[str] = [
    "CommentModerator",
    "ExclusionByVerdict",
    "MessageScreen",
    "ProductTextScreen",
    "RiskContext",
    "TextChecks",
    "build_context",
    "context_of",
    "room_banned",
    "settlement_frozen",
    "traffic_factor",
]
