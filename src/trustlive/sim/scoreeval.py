"""Score evaluation: a generated market through the platform's own fold → tally → score code,
measured against the hidden truth (`trustlive evaluate scores`)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from trustlive.sim.scoremarket import START, Event, Market, MarketConfig, generate
from trustlive.trust import domain
from trustlive.trust.counters import CounterKey, MemoryState, tally
from trustlive.trust.fold import NOTHING_EXCLUDED, Excluded, fold
from trustlive.trust.indicators import SubjectKind
from trustlive.trust.policy import Policy

SCORES = ("shop_experience", "trust_index")
BANDS = ((0, 20, "<20"), (20, 100, "20-99"), (100, 1000, "100-999"), (1000, 10**9, "1000+"))
RATING_WINDOW = 60  # days of ratings behind the raw mean and positive rate (the review window)

Counters = tuple[dict[CounterKey, int], set[tuple[str, int, str, date, int]]]


def fold_all(events: Iterable[Event], policy: Policy, excluded: Excluded) -> Counters:
    """What the full recompute does with the outbox: fold every event in order, tally the ticks."""
    state = MemoryState()
    counts: dict[CounterKey, int] = {}
    buyers: set[tuple[str, int, str, date, int]] = set()
    for topic, payload, at in events:
        folded = fold(topic, payload, at, state, policy.measures, excluded=excluded)
        state.apply(folded)
        c, b = tally(folded.ticks)
        for key, n in c.items():
            counts[key] = counts.get(key, 0) + n
        buyers |= b
    return counts, buyers


def shop_series(parts: Iterable[Counters]) -> dict[int, dict[str, dict[date, domain.DayCount]]]:
    counts: dict[CounterKey, int] = {}
    who: dict[CounterKey, set[int]] = {}
    for c, b in parts:
        for key, n in c.items():
            if key[0] == SubjectKind.SHOP.value:
                counts[key] = counts.get(key, 0) + n
        for kind, sid, measure, day, buyer in b:
            if kind == SubjectKind.SHOP.value:
                who.setdefault((kind, sid, measure, day), set()).add(buyer)
    series: dict[int, dict[str, dict[date, domain.DayCount]]] = {}
    for key, n in counts.items():
        _, sid, measure, day = key
        dc = domain.DayCount(n, frozenset(who.get(key, ())))
        series.setdefault(sid, {}).setdefault(measure, {})[day] = dc
    return series


def score_shops(
    market: Market, series: Mapping[int, domain.Series], policy: Policy, today: date
) -> domain.Scored:
    """The platform's population scoring (refit, score, tier lines) over every shop."""
    subjects = {
        (SubjectKind.SHOP, s.shop_id): (s.category, series.get(s.shop_id, {})) for s in market.shops
    }
    return domain.score_population(subjects, today=today, policy=policy)


def ranks(values: list[float]) -> list[float]:
    order = sorted(range(len(values)), key=values.__getitem__)
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(xs: list[float], ys: list[float]) -> float:
    if len(xs) < 3:
        return float("nan")
    rx, ry = ranks(xs), ranks(ys)
    mx, my = statistics.fmean(rx), statistics.fmean(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    var = math.sqrt(sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry))
    return cov / var if var else float("nan")


def top_100(ids: list[int], values: Mapping[int, float]) -> list[int]:
    return sorted(ids, key=lambda i: (-values[i], i))[:100]


def mid_rank_percentiles(values: list[float]) -> list[float]:
    return [100.0 * (r - 0.5) / len(values) for r in ranks(values)]


@dataclass
class Report:
    config: MarketConfig
    shops: int
    orders: int
    events: int
    spearman: dict[str, dict[str, float]]  # signal → band ("all" too) → ρ
    band_sizes: dict[str, int]
    top100_low_quality: dict[str, float]
    top100_small: dict[str, int]
    false_penalty: float
    spread: dict[str, float]
    tier_shares: dict[str, float]
    collapse_days: list[int | None]
    ring: dict[str, float] = field(default_factory=dict)


def _raw_signals(market: Market, today_index: int) -> tuple[dict[int, float], dict[int, float]]:
    mean, positive = {}, {}
    pooled = [s for rs in market.ratings.values() for d, s in rs]
    neutral = statistics.fmean(pooled) if pooled else 3.0
    neutral_pos = sum(s >= 4 for s in pooled) / len(pooled) if pooled else 0.5
    for shop in market.shops:
        recent = [
            s
            for d, s in market.ratings.get(shop.shop_id, [])
            if 0 <= today_index - d < RATING_WINDOW
        ]
        mean[shop.shop_id] = statistics.fmean(recent) if recent else neutral
        positive[shop.shop_id] = (
            sum(s >= 4 for s in recent) / len(recent) if recent else neutral_pos
        )
    return mean, positive


def _volume(market: Market, today_index: int) -> dict[int, int]:
    return {
        s.shop_id: sum(1 for d in market.orders.get(s.shop_id, []) if 0 <= today_index - d < 30)
        for s in market.shops
    }


def _collapse_days(
    market: Market, series: Mapping[int, domain.Series], scored: domain.Scored, policy: Policy
) -> list[int | None]:
    """Days from the drop until the shop's tier first falls below its tier the day before; None
    if it does not within the watch window. Scored with the end-of-run fit and tier lines."""
    cfg, sp = market.config, policy.scores[domain.SHOP_SCORE]
    order = [t.name for t in policy.tiers]
    out: list[int | None] = []
    for shop in market.shops:
        if shop.collapse_day is None:
            continue

        def tier_on(day: int, shop_id: int = shop.shop_id, category: str = shop.category) -> int:
            result = domain.compute_score(
                sp, series.get(shop_id, {}), today=(START + timedelta(days=day)).date(),
                policy=policy, category=category, fit=scored.fit,
            )  # fmt: skip
            tier = domain.tier_for(result.value, result.penalised, policy, scored.fit.tier_lines)
            return order.index(tier.name)

        before = tier_on(shop.collapse_day - 1)
        found: int | None = None
        for k in range(cfg.collapse_watch_days):
            if tier_on(shop.collapse_day + k) > before:
                found = k
                break
        out.append(found)
    return out


def _score_values(scored: domain.Scored, name: str) -> dict[int, float]:
    return {sid: float(r[name].value) for (_, sid), r in scored.results.items()}


def evaluate(config: MarketConfig, policy: Policy) -> Report:
    market = generate(config)
    today_index = config.days - 1
    today = (START + timedelta(days=today_index)).date()
    base = fold_all(market.events(), policy, NOTHING_EXCLUDED)
    series = shop_series([base])
    scored = score_shops(market, series, policy, today)
    honest = [s for s in market.shops if s.collapse_day is None]
    quality = {s.shop_id: s.quality_on(today_index) for s in honest}
    volume = _volume(market, today_index)
    raw_mean, raw_positive = _raw_signals(market, today_index)
    signals = {name: _score_values(scored, name) for name in SCORES}
    signals |= {"raw_mean_rating": raw_mean, "raw_positive_rate": raw_positive}
    ids = [s.shop_id for s in honest]
    bands: dict[str, list[int]] = {"all": ids}
    for lo, hi, label in BANDS:
        bands[label] = [i for i in ids if lo <= volume[i] < hi]
    rho = {
        name: {
            band: spearman([values[i] for i in members], [quality[i] for i in members])
            for band, members in bands.items()
        }
        for name, values in signals.items()
    }
    q30 = sorted(quality.values())[int(0.3 * len(quality))]
    q50 = sorted(quality.values())[len(quality) // 2]
    top_low, top_small = {}, {}
    for name in (*SCORES, "raw_mean_rating", "raw_positive_rate"):
        top = top_100(ids, signals[name])
        top_low[name] = sum(quality[i] < q30 for i in top) / len(top)
        top_small[name] = sum(volume[i] < 5 for i in top)
    results = {sid: r for (_, sid), r in scored.results.items()}
    lowest = policy.tiers[-1].name
    lines = scored.fit.tier_lines

    def tier(sid: int) -> str:
        r = results[sid][domain.SHOP_SCORE]
        return domain.tier_for(r.value, r.penalised, policy, lines).name

    tiers = {i: tier(i) for i in ids}
    good = [i for i in ids if quality[i] >= q50]
    false_penalty = sum(
        results[i][domain.SHOP_SCORE].penalised or tiers[i] == lowest for i in good
    ) / len(good)
    exp = [signals["shop_experience"][i] for i in ids]
    middle = float(domain.compute_score(
        policy.scores[domain.SHOP_SCORE], {}, today=today, policy=policy, category=None,
        fit=scored.fit,
    ).value)  # fmt: skip
    spread = {
        "sd": statistics.pstdev(exp),
        "p10": statistics.quantiles(exp, n=10)[0],
        "p90": statistics.quantiles(exp, n=10)[-1],
        "near_no_data": sum(abs(v - middle) <= 0.05 for v in exp) / len(exp),
    }
    shares = {t.name: sum(v == t.name for v in tiers.values()) / len(ids) for t in policy.tiers}
    report = Report(
        config=config,
        shops=len(ids),
        orders=sum(len(v) for v in market.orders.values()),
        events=sum(len(d) for d in market.days),
        spearman=rho,
        band_sizes={b: len(m) for b, m in bands.items()},
        top100_low_quality=top_low,
        top100_small=top_small,
        false_penalty=false_penalty,
        spread=spread,
        tier_shares=shares,
        collapse_days=_collapse_days(market, series, scored, policy),
    )
    report.ring = _ring_effect(market, base, scored, policy, today, ids)
    return report


def _ring_effect(
    market: Market,
    base: Counters,
    scored: domain.Scored,
    policy: Policy,
    today: date,
    ids: list[int],
) -> dict[str, float]:
    """Mean percentile of the ring's shops without the ring, with it, and with it flagged by risk
    control (its accounts passed through the exclusion port), each after a full refit."""

    def percentiles(s: domain.Scored) -> dict[int, float]:
        values = _score_values(s, domain.SHOP_SCORE)
        pct = mid_rank_percentiles([values[i] for i in ids])
        return dict(zip(ids, pct, strict=True))

    before = percentiles(scored)
    out = {"before": statistics.fmean(before[i] for i in market.ring_shops)}
    for label, excluded in (
        ("ring", NOTHING_EXCLUDED),
        ("ring_flagged", Excluded(buyers=market.ring_buyers)),
    ):
        ring = fold_all(market.ring, policy, excluded)
        after = percentiles(score_shops(market, shop_series([base, ring]), policy, today))
        out[label] = statistics.fmean(after[i] for i in market.ring_shops)
        top = top_100(ids, after)
        out[f"{label}_in_top100"] = sum(i in set(market.ring_shops) for i in top)
    return out


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def render(reports: list[Report]) -> str:
    """Means over the seeds of one shape, one figure per line, as markdown."""
    cfg = reports[0].config
    mean = statistics.fmean
    lines = [
        f"### {cfg.shape.name}: {cfg.shops} shops (+{cfg.collapse_shops} collapsing), "
        f"{cfg.days} days, seeds {', '.join(str(r.config.seed) for r in reports)}",
        "",
        f"orders {mean(r.orders for r in reports):,.0f}, "
        f"events {mean(r.events for r in reports):,.0f} (means over seeds)",
        "",
        "| Spearman with latent quality | "
        + " | ".join(reports[0].spearman["shop_experience"])
        + " |",
        "|---|" + "---|" * len(reports[0].spearman["shop_experience"]),
    ]
    for name in reports[0].spearman:
        cells = [
            f"{mean(r.spearman[name][b] for r in reports):.3f}" for b in reports[0].spearman[name]
        ]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    sizes = " / ".join(
        f"{b} {mean(r.band_sizes[b] for r in reports):.0f}" for b in reports[0].band_sizes
    )
    lines += ["", f"shops per band (orders in 30 days): {sizes}", ""]
    for name in reports[0].top100_low_quality:
        low = mean(r.top100_low_quality[name] for r in reports)
        small = mean(r.top100_small[name] for r in reports)
        lines.append(
            f"- top 100 by {name}: {_pct(low)} below the 30th quality percentile, "
            f"{small:.1f} shops with < 5 orders"
        )
    days = [d for r in reports for d in r.collapse_days]
    crossed = [d for d in days if d is not None]
    lines += [
        f"- false penalties (quality ≥ median, penalised or lowest tier): "
        f"{_pct(mean(r.false_penalty for r in reports))}",
        "- shop experience score spread: sd {:.3f}, p10 {:.2f}, p90 {:.2f}; within ±0.05 of the "
        "no-data score: {}".format(
            mean(r.spread["sd"] for r in reports),
            mean(r.spread["p10"] for r in reports),
            mean(r.spread["p90"] for r in reports),
            _pct(mean(r.spread["near_no_data"] for r in reports)),
        ),
        "- tier shares: "
        + ", ".join(
            f"{t} {_pct(mean(r.tier_shares[t] for r in reports))}" for t in reports[0].tier_shares
        ),
        f"- collapse (quality −{cfg.collapse_drop}, 30–120 orders a month, {len(days)} shops "
        "over the seeds): "
        f"{_pct(sum(d < 30 for d in crossed) / len(days))} drop a tier within 30 days, "
        f"median {statistics.median(crossed) if crossed else float('nan'):.0f} days among those "
        f"that drop; {_pct((len(days) - len(crossed)) / len(days))} not within "
        f"{cfg.collapse_watch_days}",
        "- review ring ({} accounts × {} shops below the 30th quality percentile): mean percentile "
        "{:.1f} → {:.1f} with the ring ({:.1f} in the top 100) → {:.1f} once flagged "
        "({:.1f} in the top 100)".format(
            cfg.ring_accounts,
            cfg.ring_shops,
            mean(r.ring["before"] for r in reports),
            mean(r.ring["ring"] for r in reports),
            mean(r.ring["ring_in_top100"] for r in reports),
            mean(r.ring["ring_flagged"] for r in reports),
            mean(r.ring["ring_flagged_in_top100"] for r in reports),
        ),
    ]
    return "\n".join(lines)
