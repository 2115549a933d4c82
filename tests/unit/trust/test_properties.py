"""Invariants: more bad outcomes never raise a score; more good outcomes never lower one."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from trustlive.trust.domain import Counts, DayCount, Prior, compute_score, posterior_mean, sub_score
from trustlive.trust.indicators import BY_CODE, INDICATORS
from trustlive.trust.policy import load_policy

POLICY = load_policy()
TODAY = date(2026, 3, 31)

# outcomes as the fold files them: the measures one event adds to
BAD = {
    "one-star review": ("reviews", "bad_described", "bad_service"),
    "slow quality refund": ("quality_refunds", "refunds"),
    "lost dispute": ("disputes_decided", "disputes_lost"),
    "counterfeit finding": ("counterfeit_findings",),
    "late shipment": ("shipped",),
    "quality after-sale request": ("requests", "quality_requests"),
    "merchant cancellation": ("merchant_cancelled",),
    "unanswered buyer": ("buyer_waits",),
    # a complaint handled fast is still a complaint: its speed must not lift the score (issue 13)
    "quality complaint rejected at once": (
        "requests",
        "quality_requests",
        "decided",
        "decided_24h",
        "rejected",
    ),
    "quality complaint accepted at once": (
        "requests",
        "quality_requests",
        "decided",
        "decided_24h",
    ),
    "quality refund paid at once": ("quality_refunds", "refunds", "refunds_48h"),
    "quality complaint decided late": ("requests", "quality_requests", "decided", "decided_late"),
}
GOOD = {
    "five-star review": (
        "reviews",
        "good_described",
        "five_star",
        "good_service",
        "good_logistics",
    ),
    "fast shipment": ("shipped", "shipped_on_time", "shipped_24h"),
    "quick first reply": ("first_replies", "first_replies_3min"),
    "repeat purchase": ("paid", "repeat_paid"),
}
MEASURES = sorted({m for ms in (*BAD.values(), *GOOD.values()) for m in ms} | {"placed"})

day_st = st.integers(min_value=0, max_value=40)
history_st = st.dictionaries(
    st.sampled_from(
        [
            "reviews",
            "bad_described",
            "paid",
            "quality_refunds",
            "disputes_lost",
            "shipped",
            "shipped_on_time",
            "refunds",
            "requests",
            "quality_requests",
            "decided",
            "decided_24h",
            "rejected",
        ]
    ),
    st.dictionaries(day_st, st.integers(min_value=0, max_value=60), max_size=4),
    max_size=8,
)


def _series(raw: dict[str, dict[int, int]], buyers: int) -> dict[str, dict[date, DayCount]]:
    series: dict[str, dict[date, DayCount]] = {}
    for measure, days in raw.items():
        series[measure] = {
            TODAY - timedelta(days=age): DayCount(n, frozenset(range(min(n, buyers))))
            for age, n in days.items()
        }
    # keep numerators within denominators, as real counters are
    for num, den in PAIRS:
        for day, dc in series.get(num, {}).items():
            den_days = series.setdefault(den, {})
            have = den_days.get(day, DayCount(0))
            den_days[day] = DayCount(max(have.count, dc.count), have.buyers)
    return series


PAIRS = [(i.numerator, i.denominator) for i in INDICATORS]


def _add(series: dict[str, dict[date, DayCount]], measure: str, age: int, buyer: int) -> None:
    day = TODAY - timedelta(days=age)
    have = series.setdefault(measure, {}).get(day, DayCount(0))
    series[measure][day] = DayCount(have.count + 1, have.buyers | {buyer})


def _scores(series: dict[str, dict[date, DayCount]]) -> list[float]:
    return [
        float(compute_score(sp, series, today=TODAY, policy=POLICY, category=None).value)
        for sp in POLICY.scores.values()
        if sp.subject.value == "shop"
    ]


@settings(max_examples=150, deadline=None)
@given(history_st, st.sampled_from(sorted(BAD)), day_st, st.integers(1, 5), st.integers(1, 50))
def test_a_bad_outcome_never_raises_a_score(
    raw: dict[str, dict[int, int]], outcome: str, age: int, buyers: int, buyer: int
) -> None:
    before = _series(raw, buyers)
    after = _series(raw, buyers)
    for measure in BAD[outcome]:
        _add(after, measure, age, buyer)
    for b, a in zip(_scores(before), _scores(after), strict=True):
        assert a <= b


@settings(max_examples=150, deadline=None)
@given(history_st, st.sampled_from(sorted(GOOD)), day_st, st.integers(1, 5), st.integers(1, 50))
def test_a_good_outcome_never_lowers_a_score(
    raw: dict[str, dict[int, int]], outcome: str, age: int, buyers: int, buyer: int
) -> None:
    before = _series(raw, buyers)
    after = _series(raw, buyers)
    for measure in GOOD[outcome]:
        _add(after, measure, age, buyer)
    for b, a in zip(_scores(before), _scores(after), strict=True):
        assert a >= b


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([i.code for i in INDICATORS]),
    st.floats(min_value=0, max_value=500),
    st.floats(min_value=0, max_value=500),
    st.floats(min_value=0.001, max_value=0.999),
    st.floats(min_value=0.5, max_value=5000),
    st.floats(min_value=0.01, max_value=1),
)
def test_an_adverse_outcome_never_raises_any_indicators_sub_score(
    code: str, successes: float, trials: float, mean: float, strength: float, weight: float
) -> None:
    """Lower-is-better: the outcome adds to numerator and denominator; higher-is-better: a trial
    without the good outcome. Under any fitted prior, the sub-score cannot rise."""
    ind = BY_CODE[code]
    prior = Prior(mean, strength)
    before = Counts(min(successes, trials), trials)
    after = (
        Counts(before.successes, before.trials + weight)
        if ind.higher_is_better
        else Counts(before.successes + weight, before.trials + weight)
    )

    def sub(c: Counts) -> float:
        return sub_score(posterior_mean(c, prior.mean, prior.strength), prior, ind.higher_is_better)

    assert sub(after) <= sub(before) + 1e-12
