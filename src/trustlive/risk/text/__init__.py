"""Text checks of the risk context: private deals (私单) and false claims (匹诺曹) in comments,
messages and product texts. One entry point: `TextChecker`, built from `load_text_policy()`."""

from trustlive.risk.text.checker import TextChecker
from trustlive.risk.text.findings import Finding, Level, Rule, TextVerdict
from trustlive.risk.text.policy import TextPolicy, load_text_policy

__all__ = [
    "Finding",
    "Level",
    "Rule",
    "TextChecker",
    "TextPolicy",
    "TextVerdict",
    "load_text_policy",
]
