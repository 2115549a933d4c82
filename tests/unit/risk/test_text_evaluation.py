"""A small run of the risk-text evaluation gates CI: each template set alone meets the targets."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from trustlive.cli import app
from trustlive.risk.text import load_text_policy
from trustlive.risk.text.corpus import HARD, NORMALISABLE, Kind, generate
from trustlive.risk.text.evaluation import (
    LEFT_ALONE,
    PRECISION,
    RECALL_HARD,
    RECALL_NORMALISABLE,
    evaluate,
)


@pytest.mark.parametrize("template_set", ["a", "b"])
def test_each_template_set_meets_the_issue_targets(template_set: str) -> None:
    report = evaluate(load_text_policy(), seed=3, per_family=60, template_sets=template_set)

    assert report.group_recall(NORMALISABLE) >= RECALL_NORMALISABLE
    assert report.group_recall(HARD) >= RECALL_HARD
    assert min(report.recall[f].rate for f in NORMALISABLE + HARD) >= RECALL_HARD
    assert report.left_alone >= LEFT_ALONE
    assert report.precision >= PRECISION
    assert {family: tally.rate for family, tally in report.claims.items()} == {
        "claims_absolute": 1.0,
        "claims_medical": 1.0,
        "claims_negative": 1.0,
    }
    assert report.failures() == []


def test_the_corpus_is_seeded_and_the_sets_differ() -> None:
    first = list(generate(5, 20, "a"))
    assert first == list(generate(5, 20, "a"))
    other = {s.messages for s in generate(5, 20, "b") if s.kind == Kind.PRIVATE_DEAL}
    assert not other & {s.messages for s in first if s.kind == Kind.PRIVATE_DEAL}


def test_the_command_prints_recall_per_family_and_precision() -> None:
    result = CliRunner().invoke(app, ["evaluate", "risk-text", "--per-family", "20"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "risk-text evaluation: seed 7, 20 per family, template sets a, b"
    assert [line.split()[0] for line in lines[2:13]] == list(NORMALISABLE + HARD)
    assert any(line.startswith("precision (private deals flagged that are)") for line in lines)


def test_the_command_refuses_an_unknown_template_set() -> None:
    result = CliRunner().invoke(app, ["evaluate", "risk-text", "--sets", "c"])

    assert result.exit_code == 2
