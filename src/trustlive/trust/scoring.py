"""Scores from measure counters: smoothed indicators → 0–5 sub-scores → weighted sums, explained.

Rounding (documented so explanations add up exactly): each indicator's exact contribution is
`scale × dimension weight × indicator weight × sub-score / 5`; the score is the sum of the exact
contributions rounded half-up to two decimals; the displayed contributions are the exact ones
rounded to hundredths by the largest-remainder method, so they always sum to the displayed score.
A dimension's contribution is the sum of its indicators' displayed contributions.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from trustlive.trust.indicators import BY_CODE
from trustlive.trust.policy import IndicatorPolicy, Policy, ScorePolicy, Tier
from trustlive.trust.smoothing import Counts, decay_weight, posterior_mean, wilson_lower_bound

SUB_MAX = 5.0


@dataclass(frozen=True)
class DayCount:
    count: int
    buyers: frozenset[int] = frozenset()


# measure → day → count (one subject)
Series = Mapping[str, Mapping[date, DayCount]]


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    title: str
    dimension: str
    successes: float
    trials: float
    raw_rate: float | None
    smoothed: float
    lower_bound: float
    distinct_buyers: int
    sub_score: float
    penalised: bool
    weight: float
    contribution: Decimal
    gap: float


@dataclass(frozen=True)
class DimensionResult:
    name: str
    weight: float
    value: float
    contribution: Decimal


@dataclass(frozen=True)
class ScoreResult:
    score: str
    value: Decimal
    scale: float
    dimensions: tuple[DimensionResult, ...]
    indicators: tuple[IndicatorResult, ...]
    improvements: tuple[str, ...]
    penalised: bool
    policy_version: str


def decayed(series: Series, measure: str, today: date, window: int, half_life: float) -> float:
    total = 0.0
    for day, dc in series.get(measure, {}).items():
        age = (today - day).days
        if 0 <= age < window:
            total += dc.count * decay_weight(age, half_life)
    return total


def distinct_buyers(series: Series, measure: str, today: date, window: int) -> int:
    seen: set[int] = set()
    for day, dc in series.get(measure, {}).items():
        if 0 <= (today - day).days < window:
            seen |= dc.buyers
    return len(seen)


def sub_score(rate: float, ip: IndicatorPolicy) -> float:
    """Linear between the policy's worst (0) and best (5) anchors, clamped."""
    fraction = (rate - ip.worst) / (ip.best - ip.worst)
    return SUB_MAX * min(1.0, max(0.0, fraction))


def _indicator(
    code: str, series: Series, today: date, policy: Policy, category: str | None
) -> tuple[float, float, float, float, int, float, bool]:
    ind, ip, sm = BY_CODE[code], policy.indicators[code], policy.smoothing
    s = decayed(series, ind.numerator, today, ip.window_days, sm.half_life_days)
    n = decayed(series, ind.denominator, today, ip.window_days, sm.half_life_days)
    counts = Counts(s, n)
    smoothed = posterior_mean(counts, ip.prior_for(category), sm.prior_strength)
    lower = wilson_lower_bound(counts, sm.confidence_z)
    buyers = 0
    sub, penalised = sub_score(smoothed, ip), False
    if ind.adverse_measure is not None and ip.penalty_threshold is not None:
        buyers = distinct_buyers(series, ind.adverse_measure, today, ip.window_days)
        if lower > ip.penalty_threshold and buyers >= sm.min_distinct_buyers:
            cap = ip.penalty_cap if ip.penalty_cap is not None else 0.0
            penalised = sub > cap
            sub = min(sub, cap)
    return s, n, smoothed, lower, buyers, sub, penalised


def largest_remainder(exact: list[float], places: int = 2) -> tuple[Decimal, list[Decimal]]:
    """Round the total half-up and each part so the parts sum to the rounded total exactly."""
    unit = Decimal(1).scaleb(-places)
    scaled = [Decimal(repr(round(x, 9))) / unit for x in exact]
    total = sum(scaled, Decimal(0)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    floors = [x.quantize(Decimal(1), rounding=ROUND_FLOOR) for x in scaled]
    extra = int(total - sum(floors, Decimal(0)))
    order = sorted(range(len(exact)), key=lambda i: (-(scaled[i] - floors[i]), i))
    for i in order[:extra]:
        floors[i] += 1
    return total * unit, [f * unit for f in floors]


def compute_score(
    sp: ScorePolicy, series: Series, *, today: date, policy: Policy, category: str | None
) -> ScoreResult:
    rows: list[tuple[str, str, float, tuple[float, float, float, float, int, float, bool]]] = []
    for dim in sp.dimensions:
        for code, w in dim.indicators.items():
            rows.append(
                (dim.name, code, dim.weight * w, _indicator(code, series, today, policy, category))
            )
    exact = [sp.scale * w * r[5] / SUB_MAX for _, _, w, r in rows]
    value, shown = largest_remainder(exact)
    results = tuple(
        IndicatorResult(
            code=code,
            title=BY_CODE[code].title,
            dimension=dim,
            successes=r[0],
            trials=r[1],
            raw_rate=(min(r[0], r[1]) / r[1]) if r[1] > 0 else None,
            smoothed=r[2],
            lower_bound=r[3],
            distinct_buyers=r[4],
            sub_score=r[5],
            penalised=r[6],
            weight=w,
            contribution=c,
            gap=sp.scale * w * (SUB_MAX - r[5]) / SUB_MAX,
        )
        for (dim, code, w, r), c in zip(rows, shown, strict=True)
    )
    dims = tuple(
        DimensionResult(
            d.name,
            d.weight,
            sum(x.sub_score * x.weight for x in results if x.dimension == d.name) / d.weight,
            sum((x.contribution for x in results if x.dimension == d.name), Decimal(0)),
        )
        for d in sp.dimensions
    )
    return ScoreResult(
        score=sp.name,
        value=value,
        scale=sp.scale,
        dimensions=dims,
        indicators=results,
        improvements=top_improvements(results),
        penalised=any(x.penalised for x in results),
        policy_version=policy.version,
    )


def top_improvements(results: tuple[IndicatorResult, ...], k: int = 3) -> tuple[str, ...]:
    """The k largest weighted gaps to the best attainable sub-score, as sentences."""
    ranked = sorted((x for x in results if x.gap > 1e-9), key=lambda x: (-x.gap, x.code))[:k]
    return tuple(
        f"{x.title}: sub-score {x.sub_score:.2f}/5"
        + (" (penalised)" if x.penalised else "")
        + f"; reaching the best adds up to {x.gap:.2f}"
        for x in ranked
    )


def tier_for(shop_score: Decimal, penalised: bool, policy: Policy) -> Tier:
    tiers = policy.tiers
    if penalised:
        cap = policy.tier_named(policy.penalised_max_tier)
        tiers = tuple(t for t in tiers if t.min_score <= cap.min_score)
    return next(t for t in tiers if float(shop_score) >= t.min_score)


def percentile(value: Decimal, peers: list[Decimal]) -> float:
    """Mid-rank percentile of `value` among `peers` (which include it): 0–100."""
    if not peers:
        return 100.0
    below = sum(1 for p in peers if p < value)
    ties = sum(1 for p in peers if p == value)
    return round(100.0 * (below + 0.5 * ties) / len(peers), 1)
