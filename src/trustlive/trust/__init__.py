"""Trust: indicators, scores, the trust index, tiers and what each tier unlocks. Facade."""

from __future__ import annotations

from trustlive.kernel.clock import Clock
from trustlive.trust.context import TrustContext
from trustlive.trust.events import ShopTierChanged
from trustlive.trust.hooks import (
    CreatorAttribution,
    ExcludeNobody,
    GrantGuarantees,
    NoAttribution,
    RatingExclusion,
    TrustHooks,
)
from trustlive.trust.indicators import INDICATORS, Indicator, SubjectKind
from trustlive.trust.policy import Policy, load_policy, parse_policy
from trustlive.trust.service import shop_experience_scores, traffic_weight
from trustlive.trust.standing import Standing, product_scores, shop_standings


def build_context(
    clock: Clock,
    *,
    policy: Policy | None = None,
    exclusion: RatingExclusion | None = None,
    attribution: CreatorAttribution | None = None,
    grant_guarantees: GrantGuarantees | None = None,
) -> TrustContext:
    """The policy file in force and the hooks; defaults exclude nobody and attribute nothing."""
    hooks = TrustHooks(
        exclusion=exclusion or ExcludeNobody(),
        attribution=attribution or NoAttribution(),
        grant_guarantees=grant_guarantees,
    )
    return TrustContext(policy=policy or load_policy(), hooks=hooks, clock=clock)


__all__ = [
    "INDICATORS",
    "CreatorAttribution",
    "Indicator",
    "Policy",
    "RatingExclusion",
    "ShopTierChanged",
    "Standing",
    "SubjectKind",
    "TrustContext",
    "build_context",
    "load_policy",
    "parse_policy",
    "product_scores",
    "shop_experience_scores",
    "shop_standings",
    "traffic_weight",
]
