"""The risk context's text checks behind other contexts' ports: live comments (`Moderator`),
product titles and descriptions (`ProductTextScreen`) and buyer–shop messages (`MessageScreen`).
Each refuses a blocking finding naming its rule, clause and span; a comment's reminders go to the
room's console."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from trustlive import catalog, live, messaging
from trustlive.kernel.clock import Clock
from trustlive.risk.domain import SubjectKind
from trustlive.risk.text import Finding, TextChecker, TextVerdict, load_text_policy
from trustlive.risk.violations import ViolationLog

REASONS = {
    "private_deal": "contact details and deals stay on the platform (私单)",
    "claims_check": "no medical or efficacy claims for goods that are not drugs (匹诺曹)",
}


def _reason(finding: Finding) -> str:
    return REASONS[finding.rule.family]


class TextChecks:
    """One checker per runtime, with its clock: the ports below share its per-user history."""

    def __init__(
        self, clock: Clock, checker: TextChecker | None = None, log: ViolationLog | None = None
    ) -> None:
        self.clock = clock
        self.checker = checker or TextChecker(load_text_policy())
        self.log = log or ViolationLog()  # findings on their way to cases (risk/violations.py)

    def message(self, text: str, *, user_id: int, place: str) -> TextVerdict:
        verdict = self.checker.check_message(
            text, user_id=user_id, place=place, now=self.clock.now()
        )
        self.note(SubjectKind.ACCOUNT, user_id, place, verdict)
        return verdict

    def text(self, text: str, *, shop_id: int, place: str) -> TextVerdict:
        verdict = self.checker.check_text(text)
        self.note(SubjectKind.SHOP, shop_id, place, verdict)
        return verdict

    def note(self, kind: SubjectKind, subject_id: int, place: str, verdict: TextVerdict) -> None:
        if verdict.findings:
            self.log.note(
                kind,
                subject_id,
                place,
                verdict.findings,
                blocked=verdict.blocked,
                at=self.clock.now(),
            )


class CommentModerator:
    """live.Moderator: private deals and medical claims refused, absolute terms reminded."""

    def __init__(self, checks: TextChecks) -> None:
        self.checks = checks

    async def review(
        self, session: AsyncSession, *, room_id: int, user_id: int, text: str
    ) -> live.Verdict:
        verdict = self.checks.message(text, user_id=user_id, place=f"room:{room_id}")
        blocking = verdict.first_block
        if blocking is not None:
            return live.Verdict(
                False,
                code=str(blocking.rule),
                reason=_reason(blocking),
                clause=blocking.clause,
                span=blocking.span,
            )
        reminders = tuple(
            live.Reminder(rule=str(f.rule), clause=f.clause, span=f.span) for f in verdict.reminders
        )
        return live.Verdict(True, reminders=reminders)


class ProductTextScreen:
    """catalog.ProductTextScreen: a product's title or description with a blocking finding is
    refused; absolute terms (a reminder) pass."""

    def __init__(self, checks: TextChecks) -> None:
        self.checks = checks

    async def screen(
        self, session: AsyncSession, *, shop_id: int, field: str, text: str
    ) -> catalog.TextRefusal | None:
        blocking = self.checks.text(text, shop_id=shop_id, place=f"product:{field}").first_block
        if blocking is None:
            return None
        return catalog.TextRefusal(
            str(blocking.rule), _reason(blocking), blocking.clause, blocking.span
        )


class MessageScreen:
    """messaging.MessageScreen: private deals (and medical claims) in a message are refused,
    split over consecutive messages of the author in the thread too."""

    def __init__(self, checks: TextChecks) -> None:
        self.checks = checks

    async def screen(
        self, session: AsyncSession, *, thread_key: str, author_id: int, text: str
    ) -> messaging.MessageRefusal | None:
        verdict = self.checks.message(text, user_id=author_id, place=f"thread:{thread_key}")
        blocking = verdict.first_block
        if blocking is None:
            return None
        return messaging.MessageRefusal(
            str(blocking.rule), _reason(blocking), blocking.clause, blocking.span
        )
