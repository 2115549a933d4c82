"""Checks one text: private deals and false claims, with the user's last messages in the place."""

from __future__ import annotations

from datetime import datetime

from trustlive.risk.text import claims, private_deal
from trustlive.risk.text.findings import Finding, Match, TextVerdict
from trustlive.risk.text.history import History, Said
from trustlive.risk.text.normalise import Compact, compact, join
from trustlive.risk.text.policy import TextPolicy


class TextChecker:
    """Pure but for its bounded per-(user, place) history; `now` is passed in."""

    def __init__(self, policy: TextPolicy) -> None:
        self.policy = policy
        self.history = History(
            keep=policy.history_messages,
            window=policy.history_window,
            places=policy.history_places,
        )

    def check_text(self, text: str) -> TextVerdict:
        """A text read alone: a product's title or description."""
        folded = compact(text)
        matches = private_deal.find(folded, order_context_chars=self.policy.order_context_chars)
        return TextVerdict(
            tuple(self._finding(folded, m) for m in matches + claims.find(folded.text))
        )

    def check_message(self, text: str, *, user_id: int, place: str, now: datetime) -> TextVerdict:
        """A message in a place (a room's comments, a message thread), read alone and with the
        user's previous messages there; it joins that history whatever the verdict."""
        verdict = self.check_text(text)
        folded = compact(text)
        key = (user_id, place)
        earlier = self.history.recent(key, now)
        self.history.add(key, Said(now, folded, len(text)))
        if not earlier:
            return verdict
        split = self._split_findings(earlier, folded, len(text))
        return TextVerdict(verdict.findings + tuple(split))

    def _split_findings(
        self, earlier: list[Said], folded: Compact, raw_length: int
    ) -> list[Finding]:
        """Contacts that begin in an earlier message and end in this one."""
        seen: set[str] = set()
        out: list[Finding] = []
        for first in range(len(earlier)):
            parts = [s.text for s in earlier[first:]] + [folded]
            lengths = [s.raw_length for s in earlier[first:]]
            before = sum(lengths)
            offsets = [sum(lengths[:i]) - before for i in range(len(lengths))] + [0]
            whole = join(parts, offsets)
            boundary = len(whole.text) - len(folded.text)
            matches = private_deal.find(whole, order_context_chars=self.policy.order_context_chars)
            for m in matches:
                if m.start < boundary < m.end and m.span not in seen:
                    seen.add(m.span)
                    out.append(self._finding(whole, m, split=True))
        return out

    def _finding(self, folded: Compact, m: Match, *, split: bool = False) -> Finding:
        raw_start, raw_end = folded.raw_span(m.start, m.end)
        return Finding(
            rule=m.rule,
            clause=self.policy.clause_of(m.rule),
            level=self.policy.level_of(m.rule),
            span=m.span,
            raw_start=raw_start,
            raw_end=raw_end,
            split=split,
        )
