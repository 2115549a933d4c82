"""Recall per family and precision on hard negatives of the text checks, on the labelled corpus."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from trustlive.risk.text.checker import TextChecker
from trustlive.risk.text.corpus import HARD, NORMALISABLE, Kind, Sample, generate
from trustlive.risk.text.findings import Rule, TextVerdict
from trustlive.risk.text.policy import TextPolicy

RECALL_NORMALISABLE = 0.95  # issue 15, item 6
RECALL_HARD = 0.85  # homophones and split messages
LEFT_ALONE = 0.98  # hard negatives not flagged
PRECISION = 0.98  # of everything flagged as a private deal, the share that is one
START = datetime(2026, 12, 6, 20, 0, tzinfo=UTC)


@dataclass
class Tally:
    total: int = 0
    hits: int = 0

    @property
    def rate(self) -> float:
        return self.hits / self.total if self.total else 1.0


@dataclass
class Report:
    template_sets: tuple[str, ...]
    per_family: int
    seed: int
    recall: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    negatives: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    claims: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    missed: list[Sample] = field(default_factory=list)
    false_alarms: list[Sample] = field(default_factory=list)

    def group_recall(self, families: tuple[str, ...]) -> float:
        total = sum(self.recall[f].total for f in families)
        return sum(self.recall[f].hits for f in families) / total if total else 1.0

    @property
    def left_alone(self) -> float:
        total = sum(t.total for t in self.negatives.values())
        flagged = sum(t.hits for t in self.negatives.values())
        return 1 - flagged / total if total else 1.0

    @property
    def precision(self) -> float:
        caught = sum(t.hits for t in self.recall.values())
        wrong = sum(t.hits for t in self.negatives.values())
        return caught / (caught + wrong) if caught + wrong else 1.0

    def failures(self) -> list[str]:
        out = []
        if self.group_recall(NORMALISABLE) < RECALL_NORMALISABLE:
            out.append(f"recall on normalisable forms below {RECALL_NORMALISABLE}")
        if self.group_recall(HARD) < RECALL_HARD:
            out.append(f"recall on homophones and split messages below {RECALL_HARD}")
        if self.left_alone < LEFT_ALONE:
            out.append(f"hard negatives left alone below {LEFT_ALONE}")
        if self.precision < PRECISION:
            out.append(f"precision below {PRECISION}")
        return out


def _judge(checker: TextChecker, sample: Sample, user_id: int) -> TextVerdict:
    verdict = TextVerdict()
    at = START
    for text in sample.messages:
        verdict = checker.check_message(text, user_id=user_id, place="room:1", now=at)
        at += timedelta(seconds=6)
    return verdict


def _private_deal(verdict: TextVerdict) -> bool:
    return any(f.rule.family == "private_deal" for f in verdict.findings)


def evaluate(
    policy: TextPolicy, *, seed: int = 7, per_family: int = 200, template_sets: str = "ab"
) -> Report:
    checker = TextChecker(policy)
    report = Report(tuple(template_sets), per_family, seed)
    user_id = 0
    for name in template_sets:
        for sample in generate(seed, per_family, name):
            user_id += 1  # each sample is a fresh user: its history is its own messages
            verdict = _judge(checker, sample, user_id)
            if sample.kind == Kind.PRIVATE_DEAL:
                hit = _private_deal(verdict)
                report.recall[sample.family].total += 1
                report.recall[sample.family].hits += hit
                if not hit:
                    report.missed.append(sample)
            elif sample.kind == Kind.HARD_NEGATIVE:
                flagged = _private_deal(verdict)
                report.negatives[sample.family].total += 1
                report.negatives[sample.family].hits += flagged
                if flagged:
                    report.false_alarms.append(sample)
            else:
                rules = {f.rule for f in verdict.findings}
                expected = {
                    Kind.CLAIM_ABSOLUTE: Rule.ABSOLUTE_TERM in rules,
                    Kind.CLAIM_MEDICAL: Rule.MEDICAL_CLAIM in rules,
                    Kind.CLAIM_NEGATIVE: not rules,
                }[sample.kind]
                report.claims[sample.family].total += 1
                report.claims[sample.family].hits += expected
    return report


def render(report: Report) -> list[str]:
    lines = [
        f"risk-text evaluation: seed {report.seed}, {report.per_family} per family, "
        f"template sets {', '.join(report.template_sets)}",
        "private deals: recall per family",
    ]
    for family in NORMALISABLE + HARD:
        tally = report.recall[family]
        lines.append(f"  {family:<12} {tally.rate:6.3f}  ({tally.hits}/{tally.total})")
    lines.append(
        f"  normalisable {report.group_recall(NORMALISABLE):6.3f}  (target {RECALL_NORMALISABLE})"
    )
    lines.append(f"  hard         {report.group_recall(HARD):6.3f}  (target {RECALL_HARD})")
    lines.append("hard negatives: share left alone per family")
    for family, tally in sorted(report.negatives.items()):
        lines.append(f"  {family:<12} {1 - tally.rate:6.3f}  ({tally.hits} flagged/{tally.total})")
    lines.append(f"  all          {report.left_alone:6.3f}  (target {LEFT_ALONE})")
    lines.append(f"precision (private deals flagged that are) {report.precision:6.3f}")
    lines.append("false claims: share judged right")
    for family, tally in sorted(report.claims.items()):
        lines.append(f"  {family:<16} {tally.rate:6.3f}  ({tally.hits}/{tally.total})")
    return lines
