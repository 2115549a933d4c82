"""Weights with a reason: fit each score's indicator weights so the score best predicts what buyers
experience next (`trustlive evaluate fit-weights`).

A generated market runs `horizon` days past the scoring day. Every indicator's sub-score on the
scoring day is a feature; the target is the share of a shop's orders in the next `horizon` days
that went wrong for the buyer (a quality complaint, a 1–2★ rating or a parcel later than 48 h).
Non-negative least squares (coordinate descent) gives each indicator a weight ≥ 0 — an indicator
that does not help predict gets the floor of 0.01 — and a dimension's weight is the sum of its
indicators'. The platform's own fold, fit and scoring code produce the features.
"""

from __future__ import annotations

import statistics
from dataclasses import replace
from datetime import timedelta

from trustlive.sim.scoreeval import fold_all, score_shops, shop_series
from trustlive.sim.scoremarket import START, MarketConfig, generate
from trustlive.trust import domain
from trustlive.trust.fold import NOTHING_EXCLUDED
from trustlive.trust.indicators import SubjectKind
from trustlive.trust.policy import Policy

MIN_ORDERS = 20  # shops with fewer orders in the next period give too noisy a target


def nnls(xs: list[list[float]], ys: list[float], rounds: int = 300) -> list[float]:
    """argmin ‖y − X·w‖² over w ≥ 0 with an intercept (columns and target centred)."""
    k = len(xs[0])
    mx = [statistics.fmean(r[j] for r in xs) for j in range(k)]
    my = statistics.fmean(ys)
    cx = [[r[j] - mx[j] for j in range(k)] for r in xs]
    resid = [y - my for y in ys]
    norms = [sum(r[j] ** 2 for r in cx) for j in range(k)]
    w = [0.0] * k
    for _ in range(rounds):
        for j in range(k):
            if norms[j] == 0:
                continue
            step = sum(r[j] * e for r, e in zip(cx, resid, strict=True)) / norms[j]
            new = max(0.0, w[j] + step)
            delta = new - w[j]
            if delta:
                for r_i, row in enumerate(cx):
                    resid[r_i] -= delta * row[j]
                w[j] = new
    return w


def hundredths(weights: list[float]) -> list[int]:
    """Weights as whole hundredths summing to 100, each at least 1 (largest remainder)."""
    total = sum(weights) or 1.0
    floor = len(weights)
    share = [(100 - floor) * w / total for w in weights]
    ints = [int(s) for s in share]
    order = sorted(range(len(share)), key=lambda i: -(share[i] - ints[i]))
    for i in order[: 100 - floor - sum(ints)]:
        ints[i] += 1
    return [i + 1 for i in ints]


def fit_weights(
    config: MarketConfig, policy: Policy, horizon: int = 30
) -> dict[str, dict[str, tuple[float, dict[str, float]]]]:
    """score → dimension → (dimension weight, indicator → weight within the dimension)."""
    market = generate(replace(config, days=config.days + horizon, collapse_shops=0))
    day = config.days - 1
    series = shop_series([fold_all(market.events(), policy, NOTHING_EXCLUDED)])
    scored = score_shops(market, series, policy, (START + timedelta(days=day)).date())
    fitted: dict[str, dict[str, tuple[float, dict[str, float]]]] = {}
    for name, sp in policy.scores.items():
        if sp.subject.value != "shop":
            continue
        codes = [(d.name, c) for d in sp.dimensions for c in d.indicators]
        rows: list[list[float]] = []
        target: list[float] = []
        for shop in market.shops:
            later = [d for d in market.orders.get(shop.shop_id, []) if d > day]
            if len(later) < MIN_ORDERS:
                continue
            bad = sum(1 for d in market.bad.get(shop.shop_id, []) if d > day)
            result = scored.results[(SubjectKind.SHOP, shop.shop_id)][name]
            subs = {i.code: i.sub_score / domain.SUB_MAX for i in result.indicators}
            rows.append([subs[c] for _, c in codes])
            target.append(-bad / len(later))  # a higher score should mean fewer bad orders
        w = hundredths(nnls(rows, target))
        dims: dict[str, tuple[float, dict[str, float]]] = {}
        for dim in sp.dimensions:
            mine = {c: w[i] for i, (dn, c) in enumerate(codes) if dn == dim.name}
            within = hundredths(list(mine.values()))
            dims[dim.name] = (
                sum(mine.values()) / 100,
                {c: v / 100 for c, v in zip(mine, within, strict=True)},
            )
        fitted[name] = dims
    return fitted


def as_toml(fitted: dict[str, dict[str, tuple[float, dict[str, float]]]], source: str) -> str:
    out = []
    for name, dims in fitted.items():
        for dim, (weight, inds) in dims.items():
            table = ", ".join(f'"{c}" = {w:.2f}' for c, w in inds.items())
            out += [
                f"[scores.{name}.dimensions.{dim}]",
                f"weight = {weight:.2f}  # source: {source}",
                f"indicators = {{ {table} }} # source: {source}",
            ]
    return "\n".join(out)
