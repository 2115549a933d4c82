"""The trust rules in one place: smoothing, the category fit, sub-scores, scores, tiers. Pure.

The **shop experience score** (店铺体验分), the trust index, product and creator scores are all
computed by `compute_score` from a subject's daily measure counters and the category `Fit`; nothing
here reads a database or a clock (the day is passed in).

- Decay: an event `age` days old weighs 0.5 ** (age / half_life); counts below are decayed counts.
- Category prior (empirical Bayes): at every full recompute `fit_priors` fits, per indicator and
  category, a Beta prior to the rates of all subjects by the method of moments on the decayed
  counts: mean m = pooled rate, between-subject variance τ² = (Σ n·(p − m)² − J·m(1 − m)) / Σ n,
  strength k = m(1 − m)/τ² − 1, so k is in the same units as the decayed data it is mixed with. A
  category with too few subjects uses the fit over all categories. Before the first recompute the
  policy's `prior_mean` and `prior_strength` stand in (`bootstrap_fit`).
- Posterior mean of a rate after s decayed successes in n decayed trials: (m·k + s) / (k + n).
- Sub-score (0–5): 5 × the share of the category a subject is better than, judged by where its
  posterior mean falls in the fitted prior, Φ(±(μ − m)/τ). No data gives μ = m, the middle (2.5):
  neutral. One more adverse outcome raises μ of a lower-is-better rate, one more trial without the
  good outcome lowers μ of a higher-is-better one, so neither can raise a sub-score or the sum.
- Penalty: when the Wilson lower bound (E. B. Wilson, JASA 22 (1927) 209–212, one-sided) of an
  adverse rate is past the policy line and enough distinct buyers are affected, the indicator is
  penalised, whatever its sub-score, and the sub-score is capped.
- Tiers: lines placed on the fitted distribution of shop experience scores so that each tier holds
  its policy share (`fit_tier_lines`); before the first fit the policy's `min_score` lines apply.

Rounding (so explanations add up exactly): each indicator's exact contribution is
`scale × dimension weight × indicator weight × sub-score / 5`; the score is the sum of the exact
contributions rounded half-up to two decimals; the displayed contributions are the exact ones
rounded to hundredths by the largest-remainder method, so they always sum to the displayed score.
A dimension's contribution is the sum of its indicators' displayed contributions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from trustlive.trust.indicators import BY_CODE, SubjectKind
from trustlive.trust.policy import Policy, ScorePolicy, Tier

SUB_MAX = 5.0
ALL = ""  # the category key of a fit over every category


# --- smoothing -------------------------------------------------------------------------------


def decay_weight(age_days: int, half_life_days: float) -> float:
    return float(0.5 ** (age_days / half_life_days))


@dataclass(frozen=True)
class Counts:
    """Decayed successes (numerator) and trials (denominator) of one indicator in its window."""

    successes: float
    trials: float

    def clamped(self) -> Counts:
        return Counts(min(self.successes, self.trials), self.trials)


def posterior_mean(counts: Counts, prior_mean: float, prior_strength: float) -> float:
    c = counts.clamped()
    return (prior_mean * prior_strength + c.successes) / (prior_strength + c.trials)


def wilson_lower_bound(counts: Counts, z: float) -> float:
    """Lower end of the Wilson score interval; 0 with no trials."""
    c = counts.clamped()
    n = c.trials
    if n <= 0:
        return 0.0
    p = c.successes / n
    centre = p + z * z / (2 * n)
    margin = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, (centre - margin) / (1 + z * z / n))


@dataclass(frozen=True)
class DayCount:
    count: int
    buyers: frozenset[int] = frozenset()


# measure → day → count (one subject)
Series = Mapping[str, Mapping[date, DayCount]]


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


def indicator_counts(code: str, series: Series, today: date, policy: Policy) -> Counts:
    ind, ip = BY_CODE[code], policy.indicators[code]
    half_life = policy.smoothing.half_life_days
    return Counts(
        decayed(series, ind.numerator, today, ip.window_days, half_life),
        decayed(series, ind.denominator, today, ip.window_days, half_life),
    )


# --- the category fit ------------------------------------------------------------------------


@dataclass(frozen=True)
class Prior:
    """A Beta prior of a rate: mean and strength (pseudo-trials, in decayed-count units)."""

    mean: float
    strength: float

    @property
    def spread(self) -> float:
        """Standard deviation of the true rate across the category."""
        return math.sqrt(self.mean * (1 - self.mean) / (self.strength + 1))


@dataclass(frozen=True)
class Fit:
    """Priors per indicator and category, and the tier lines, from one full recompute."""

    priors: Mapping[str, Mapping[str, Prior]]  # code → category (ALL for every one) → prior
    tier_lines: Mapping[str, float]  # tier name → lowest shop experience score in it
    subjects: int = 0  # how many subjects the fit saw (0: the policy's bootstrap values)
    extra: Mapping[str, Any] = field(default_factory=dict)

    def prior(self, code: str, category: str | None) -> Prior:
        by_category = self.priors[code]
        return by_category.get(category or ALL) or by_category[ALL]

    def to_json(self) -> dict[str, Any]:
        return {
            "priors": {
                code: {cat: [p.mean, p.strength] for cat, p in cats.items()}
                for code, cats in self.priors.items()
            },
            "tier_lines": dict(self.tier_lines),
            "subjects": self.subjects,
        }

    @staticmethod
    def from_json(raw: Mapping[str, Any]) -> Fit:
        return Fit(
            priors={
                code: {cat: Prior(float(v[0]), float(v[1])) for cat, v in cats.items()}
                for code, cats in raw["priors"].items()
            },
            tier_lines={k: float(v) for k, v in raw["tier_lines"].items()},
            subjects=int(raw["subjects"]),
        )


def bootstrap_fit(policy: Policy) -> Fit:
    """The policy's own priors and tier lines: what scores use before the first recompute."""
    k = policy.smoothing.prior_strength
    edge = 0.5 / (k + 1)  # as in the fit: half a pseudo-outcome keeps the mean off 0 and 1

    def prior(m: float) -> Prior:
        return Prior(min(1 - edge, max(edge, m)), k)

    priors = {
        code: {ALL: prior(ip.prior_mean)} | {cat: prior(m) for cat, m in ip.category_prior.items()}
        for code, ip in policy.indicators.items()
    }
    return Fit(priors, {t.name: t.min_score for t in policy.tiers})


def fit_prior(counts: Iterable[Counts], policy: Policy) -> Prior | None:
    """Method-of-moments Beta prior over subjects' decayed counts; None below the subject floor."""
    seen = [c.clamped() for c in counts if c.trials > 0]
    fp = policy.fit
    if len(seen) < fp.min_subjects:
        return None
    total_n = sum(c.trials for c in seen)
    # half a pseudo-success in one pseudo-trial keeps a never-seen outcome's mean above 0
    m = (sum(c.successes for c in seen) + 0.5) / (total_n + 1)
    spread = sum(c.trials * (c.successes / c.trials - m) ** 2 for c in seen)
    tau2 = (spread - len(seen) * m * (1 - m)) / total_n
    k = m * (1 - m) / tau2 - 1 if tau2 > 0 else fp.max_prior_strength
    return Prior(m, min(fp.max_prior_strength, max(fp.min_prior_strength, k)))


def fit_priors(
    subjects: Iterable[tuple[str | None, Mapping[str, Counts]]],
    policy: Policy,
    codes: Iterable[str],
) -> dict[str, dict[str, Prior]]:
    """Per indicator: a prior over every subject, and one per category with enough subjects."""
    rows = list(subjects)
    boot = bootstrap_fit(policy)
    out: dict[str, dict[str, Prior]] = {}
    for code in codes:
        by_cat: dict[str, list[Counts]] = {}
        for category, counts in rows:
            if code in counts:
                by_cat.setdefault(category or ALL, []).append(counts[code])
        every = fit_prior((c for cs in by_cat.values() for c in cs), policy)
        fitted = {ALL: every or boot.prior(code, None)}
        for cat, cs in by_cat.items():
            prior = fit_prior(cs, policy) if cat != ALL else None
            if prior is not None:
                fitted[cat] = prior
        out[code] = fitted
    return out


def fit_tier_lines(shop_scores: Iterable[Decimal], policy: Policy) -> dict[str, float]:
    """Lines so each tier holds its policy share of shops, best first; the last tier starts at 0."""
    values = sorted((float(v) for v in shop_scores), reverse=True)
    if not values:
        return {t.name: t.min_score for t in policy.tiers}
    lines: dict[str, float] = {}
    above = 0.0
    for tier in policy.tiers[:-1]:
        above += tier.share
        index = min(len(values) - 1, max(0, math.ceil(above * len(values)) - 1))
        lines[tier.name] = values[index]
    lines[policy.tiers[-1].name] = 0.0
    return lines


# --- sub-scores and scores -------------------------------------------------------------------


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


def normal_cdf(z: float) -> float:
    return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))


def sub_score(smoothed: float, prior: Prior, higher_is_better: bool) -> float:
    """5 × the share of the category this posterior mean is better than (2.5 at the mean)."""
    z = (smoothed - prior.mean) / prior.spread
    return SUB_MAX * normal_cdf(z if higher_is_better else -z)


@dataclass(frozen=True)
class _Row:
    successes: float
    trials: float
    smoothed: float
    lower: float
    buyers: int
    sub: float
    penalised: bool


def _indicator(code: str, series: Series, today: date, policy: Policy, prior: Prior) -> _Row:
    ind, ip, sm = BY_CODE[code], policy.indicators[code], policy.smoothing
    counts = indicator_counts(code, series, today, policy)
    smoothed = posterior_mean(counts, prior.mean, prior.strength)
    lower = wilson_lower_bound(counts, sm.confidence_z)
    buyers = 0
    sub, penalised = sub_score(smoothed, prior, ind.higher_is_better), False
    if ind.adverse_measure is not None and ip.penalty_threshold is not None:
        buyers = distinct_buyers(series, ind.adverse_measure, today, ip.window_days)
        if lower > ip.penalty_threshold and buyers >= sm.min_distinct_buyers:
            penalised = True
            sub = min(sub, ip.penalty_cap if ip.penalty_cap is not None else 0.0)
    return _Row(counts.successes, counts.trials, smoothed, lower, buyers, sub, penalised)


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
    sp: ScorePolicy,
    series: Series,
    *,
    today: date,
    policy: Policy,
    category: str | None,
    fit: Fit | None = None,
) -> ScoreResult:
    """One score of one subject (for `shop_experience`: the shop experience score), explained."""
    fit = fit or bootstrap_fit(policy)
    rows: list[tuple[str, str, float, _Row]] = []
    for dim in sp.dimensions:
        for code, w in dim.indicators.items():
            row = _indicator(code, series, today, policy, fit.prior(code, category))
            rows.append((dim.name, code, dim.weight * w, row))
    exact = [sp.scale * w * r.sub / SUB_MAX for _, _, w, r in rows]
    value, shown = largest_remainder(exact)
    results = tuple(
        IndicatorResult(
            code=code,
            title=BY_CODE[code].title,
            dimension=dim,
            successes=r.successes,
            trials=r.trials,
            raw_rate=(min(r.successes, r.trials) / r.trials) if r.trials > 0 else None,
            smoothed=r.smoothed,
            lower_bound=r.lower,
            distinct_buyers=r.buyers,
            sub_score=r.sub,
            penalised=r.penalised,
            weight=w,
            contribution=c,
            gap=sp.scale * w * (SUB_MAX - r.sub) / SUB_MAX,
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


def tier_for(
    shop_score: Decimal, penalised: bool, policy: Policy, lines: Mapping[str, float] | None = None
) -> Tier:
    """The best tier whose line the score reaches; a penalised shop goes no higher than the cap."""
    line = lines or {t.name: t.min_score for t in policy.tiers}
    tiers = policy.tiers
    if penalised:
        cap = tiers.index(policy.tier_named(policy.penalised_max_tier))
        tiers = tiers[cap:]
    return next((t for t in tiers if float(shop_score) >= line[t.name]), tiers[-1])


def percentile(value: Decimal, peers: list[Decimal]) -> float:
    """Mid-rank percentile of `value` among `peers` (which include it): 0–100."""
    if not peers:
        return 100.0
    below = sum(1 for p in peers if p < value)
    ties = sum(1 for p in peers if p == value)
    return round(100.0 * (below + 0.5 * ties) / len(peers), 1)


# --- a whole population at once (the full recompute and the evaluation) -----------------------

SHOP_SCORE = "shop_experience"
Subject = tuple[SubjectKind, int]


@dataclass(frozen=True)
class Scored:
    fit: Fit
    results: dict[Subject, dict[str, ScoreResult]]


def score_population(
    subjects: Mapping[Subject, tuple[str | None, Series]], *, today: date, policy: Policy
) -> Scored:
    """Refit every category prior on these subjects, score them all, place the tier lines."""
    priors: dict[str, dict[str, Prior]] = {}
    for kind in SubjectKind:
        codes = [c for c, ind in BY_CODE.items() if ind.subject == kind and c in policy.indicators]
        rows = (
            (category, {c: indicator_counts(c, series, today, policy) for c in codes})
            for (k, _), (category, series) in subjects.items()
            if k == kind
        )
        priors |= fit_priors(rows, policy, codes)
    fit = Fit(priors, {}, subjects=len(subjects))
    results: dict[Subject, dict[str, ScoreResult]] = {}
    for (kind, sid), (category, series) in sorted(subjects.items()):
        results[(kind, sid)] = {
            name: compute_score(sp, series, today=today, policy=policy, category=category, fit=fit)
            for name, sp in policy.scores.items()
            if sp.subject == kind
        }
    shop_values = (r[SHOP_SCORE].value for r in results.values() if SHOP_SCORE in r)
    return Scored(Fit(priors, fit_tier_lines(shop_values, policy), len(subjects)), results)
