"""The score policy: policy.toml loaded into frozen dataclasses, validated once at start-up."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from trustlive.trust.fold import MeasureRules
from trustlive.trust.indicators import BY_CODE, SubjectKind

POLICY_PATH = Path(__file__).with_name("policy.toml")


@dataclass(frozen=True)
class IndicatorPolicy:
    code: str
    prior_mean: float
    window_days: int
    penalty_threshold: float | None
    penalty_cap: float | None
    category_prior: dict[str, float]

    def prior_for(self, category: str | None) -> float:
        return self.category_prior.get(category or "", self.prior_mean)


@dataclass(frozen=True)
class Dimension:
    name: str
    weight: float
    indicators: dict[str, float]


@dataclass(frozen=True)
class ScorePolicy:
    name: str
    subject: SubjectKind
    scale: float
    dimensions: tuple[Dimension, ...]


@dataclass(frozen=True)
class Tier:
    name: str
    min_score: float  # the line before the first fit
    traffic_weight: float
    guarantees: frozenset[str]
    share: float  # the share of shops the fitted line gives this tier
    may_opt_in: frozenset[str] = frozenset()  # guarantees the shop may choose to offer


@dataclass(frozen=True)
class FitPolicy:
    """How the category priors are fitted at every full recompute (domain.fit_priors)."""

    min_subjects: int
    min_prior_strength: float
    max_prior_strength: float


@dataclass(frozen=True)
class Smoothing:
    window_days: int
    half_life_days: float
    prior_strength: float
    confidence_z: float
    min_distinct_buyers: int


@dataclass(frozen=True)
class Campaign:
    min_shop_score: float
    max_quality_refund_rate: float
    no_active_penalty: bool


@dataclass(frozen=True)
class Subsidy:
    tiers: frozenset[str]
    min_trust_index: float


@dataclass(frozen=True)
class Policy:
    version: str
    measures: MeasureRules
    smoothing: Smoothing
    fit: FitPolicy
    indicators: dict[str, IndicatorPolicy]
    scores: dict[str, ScorePolicy]
    tiers: tuple[Tier, ...]
    penalised_max_tier: str
    campaign: Campaign
    subsidy: Subsidy
    source_text: str

    @property
    def max_window_days(self) -> int:
        return max(ind.window_days for ind in self.indicators.values())

    def tier_named(self, name: str) -> Tier:
        return next(t for t in self.tiers if t.name == name)


def _measures(raw: dict[str, Any]) -> MeasureRules:
    return MeasureRules(
        shipping_promise=timedelta(hours=raw["shipping_promise_hours"]),
        fast_ship=timedelta(hours=raw["fast_ship_hours"]),
        handle_target=timedelta(hours=raw["handle_target_hours"]),
        refund_target=timedelta(hours=raw["refund_target_hours"]),
        first_reply_target=timedelta(seconds=raw["first_reply_target_seconds"]),
        quality_reasons=frozenset(raw["quality_reasons"]),
        bad_rating_max=int(raw["bad_rating_max"]),
        good_rating_min=int(raw["good_rating_min"]),
    )


def _indicator(code: str, raw: dict[str, Any], default_window: int) -> IndicatorPolicy:
    if code not in BY_CODE:
        raise ValueError(f"policy names unknown indicator {code!r}")
    if "best" in raw or "worst" in raw:
        raise ValueError(f"{code}: sub-scores come from the category fit, not from anchors")
    return IndicatorPolicy(
        code=code,
        prior_mean=float(raw["prior_mean"]),
        window_days=int(raw.get("window_days", default_window)),
        penalty_threshold=raw.get("penalty_threshold"),
        penalty_cap=raw.get("penalty_cap"),
        category_prior={k: float(v) for k, v in raw.get("category_prior", {}).items()},
    )


def _score(name: str, raw: dict[str, Any], known: dict[str, IndicatorPolicy]) -> ScorePolicy:
    subject = SubjectKind(raw["subject"])
    dims = tuple(
        Dimension(dn, float(d["weight"]), {k: float(w) for k, w in d["indicators"].items()})
        for dn, d in raw["dimensions"].items()
    )
    if abs(sum(d.weight for d in dims) - 1) > 1e-9:
        raise ValueError(f"score {name}: dimension weights must sum to 1")
    for dim in dims:
        if abs(sum(dim.indicators.values()) - 1) > 1e-9:
            raise ValueError(f"score {name}.{dim.name}: indicator weights must sum to 1")
        for code in dim.indicators:
            if code not in known or BY_CODE[code].subject != subject:
                raise ValueError(f"score {name}: {code} is not a configured {subject} indicator")
    return ScorePolicy(name, subject, float(raw["scale"]), dims)


def parse_policy(text: str) -> Policy:
    raw = tomllib.loads(text)
    sm = raw["smoothing"]
    smoothing = Smoothing(
        int(sm["window_days"]),
        float(sm["half_life_days"]),
        float(sm["prior_strength"]),
        float(sm["confidence_z"]),
        int(sm["min_distinct_buyers"]),
    )
    indicators = {
        code: _indicator(code, ind, smoothing.window_days)
        for code, ind in raw["indicators"].items()
    }
    tiers = tuple(
        sorted(
            (
                Tier(
                    t["name"],
                    float(t["min_score"]),
                    float(t["traffic_weight"]),
                    frozenset(t["guarantees"]),
                    float(t["share"]),
                    frozenset(t.get("may_opt_in", [])),
                )
                for t in raw["tiers"]
            ),
            key=lambda t: -t.min_score,
        )
    )
    if abs(sum(t.share for t in tiers) - 1) > 1e-9:
        raise ValueError("tier shares must sum to 1")
    fit = raw["fit"]
    return Policy(
        version=str(raw["version"]),
        measures=_measures(raw["measures"]),
        smoothing=smoothing,
        fit=FitPolicy(
            int(fit["min_subjects"]),
            float(fit["min_prior_strength"]),
            float(fit["max_prior_strength"]),
        ),
        indicators=indicators,
        scores={n: _score(n, s, indicators) for n, s in raw["scores"].items()},
        tiers=tiers,
        penalised_max_tier=raw["tier_rules"]["penalised_max_tier"],
        campaign=Campaign(**raw["campaign"]),
        subsidy=Subsidy(
            frozenset(raw["subsidy"]["tiers"]), float(raw["subsidy"]["min_trust_index"])
        ),
        source_text=text,
    )


def load_policy(path: Path | None = None) -> Policy:
    return parse_policy((path or POLICY_PATH).read_text(encoding="utf-8"))
