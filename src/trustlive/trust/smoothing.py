"""Small-sample smoothing: decayed counts, a Beta posterior with a category prior, a lower bound.

- Decay: an event `age` days old weighs 0.5 ** (age / half_life).
- Posterior: with prior mean m and strength k pseudo-observations (from policy), the posterior of a
  rate after s decayed successes in n decayed trials is Beta(m·k + s, (1 − m)·k + n − s); its mean
  (m·k + s) / (k + n) is the smoothed rate. One bad review among none barely moves a new shop, and
  two five-star ratings weigh far less than a hundred.
- Lower confidence bound for penalties: the Wilson score interval (E. B. Wilson, "Probable
  inference, the law of succession, and statistical inference", JASA 22 (1927) 209–212), one-sided,
  on the decayed counts. A penalty needs this bound past the threshold *and* enough distinct buyers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


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
