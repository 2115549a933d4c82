"""After-sales as the agents act them out: the buyer asks, the merchant answers by its traits, a
refused buyer may take it to an operator who rules by the truth, returns are posted and confirmed.

Each claim draws from its own generator (seeded from the run's), so a step that the platform
takes instead of an agent (a guarantee settling a request as it opens) changes nothing else in
the run. Steps nobody takes in time are the platform's deadline jobs; the model only notes when
they fall due, so the summary counts what the platform did.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from trustlive.aftersale import Kind, Reason, load_policy
from trustlive.sim import behaviour
from trustlive.sim.driver import Driver, Ticket
from trustlive.sim.market import Market, SimOrder, Summary
from trustlive.sim.traits import ProductPlan
from trustlive.sim.truth import TruthLog

HOUR = timedelta(hours=1)
_POLICY = load_policy()
DECISION_HOURS = int(_POLICY.merchant_decision / HOUR)  # the merchant's deadline (auto-accept)
CONFIRM_HOURS = int(_POLICY.merchant_confirm_return / HOUR)  # then the return counts as received


@dataclass
class Claim:
    """One after-sale request of one order, from the buyer's side."""

    order: SimOrder
    kind: Kind
    reason: Reason
    rng: random.Random
    ticket: Ticket | None = None
    dispute_id: int | None = None
    refunded: bool = False

    @property
    def settled(self) -> bool:
        """A guarantee refunded it as it opened: the agents' later steps are moot."""
        return self.ticket is not None and self.ticket.settled

    @property
    def ticket_required(self) -> Ticket:
        if self.ticket is None:
            raise RuntimeError("the claim has not been opened")
        return self.ticket


class Claims:
    """Opens claims and plays their steps when they fall due on the market's agenda."""

    def __init__(
        self,
        driver: Driver,
        market: Market,
        summary: Summary,
        truth: TruthLog,
        start: datetime,
        operator_id: int,
    ) -> None:
        self.driver = driver
        self.market = market
        self.summary = summary
        self.truth = truth
        self.start = start
        self.operator_id = operator_id

    def _at(self, claim: Claim, hour: int) -> datetime:
        return self.start + hour * HOUR + timedelta(seconds=claim.rng.randrange(3600))

    def _later(self, hour: int, step: str, claim: Claim) -> None:
        self.market.agenda[hour].append((step, claim.order))

    def _ids(self, claim: Claim) -> tuple[int, int]:
        """(buyer's user id, merchant owner's user id)."""
        order = claim.order
        return self.market.user_ids[order.buyer], self.market.owner_ids[order.merchant]

    async def open(
        self,
        hour: int,
        order: SimOrder,
        kind: Kind,
        reason: Reason,
        seed: int,
        quality: float | None,
    ) -> None:
        """The buyer asks; `quality` is what the parcel held (None: it never came)."""
        claim = Claim(order, kind, reason, random.Random(seed))
        order.claim = claim
        at = self._at(claim, hour)
        buyer, _ = self._ids(claim)
        claim.ticket = await self.driver.request_aftersale(buyer, order.order_id, kind, reason, at)
        self.summary.aftersale_requested += 1
        self.summary.refunds_before_shipping += kind == Kind.REFUND_ONLY
        self.summary.aftersale_settled_by_guarantee += claim.settled
        person = self.market.population.buyers[order.buyer]
        self.truth.add(
            "aftersale_intent",
            buyer=person.username,
            seq=order.seq,
            request_kind=kind.value,
            reason=reason.value,
            quality=None if quality is None else round(quality, 4),
            counterfeit=self._plan(claim).counterfeit,
        )
        if claim.settled:  # a guarantee refunded it at once: nobody has anything left to do
            self._refunded(claim)
            self._treated(claim, made_good=True)
            return
        merchant = self.market.population.merchants[order.merchant]
        # a refund of goods not yet shipped is never fought: accepted, or left to the deadline
        accepts = kind == Kind.REFUND_ONLY or behaviour.merchant_accepts(claim.rng, merchant)
        answer = behaviour.merchant_answer_hours(claim.rng, merchant)
        if answer is None and accepts:
            self._later(hour + DECISION_HOURS, "claim_lapsed", claim)
        else:
            self._later(hour + (answer or 1), "claim_accept" if accepts else "claim_reject", claim)

    def _refunded(self, claim: Claim) -> None:
        if not claim.refunded:
            claim.refunded = True
            self.summary.aftersale_refunded += 1

    def _plan(self, claim: Claim) -> ProductPlan:
        order = claim.order
        return self.market.population.merchants[order.merchant].products[order.product]

    def _treated(self, claim: Claim, *, made_good: bool) -> None:
        key = (claim.order.buyer, claim.order.merchant)
        trust = self.market.trust_in(*key)
        self.market.trust[key] = behaviour.trust_after_claim(trust, made_good=made_good)

    async def step(self, hour: int, step: str, order: SimOrder) -> None:
        """Play the claim step `step` (an agenda kind starting with "claim_") of this order."""
        steps = {
            "claim_accept": self._accept,
            "claim_lapsed": self._lapsed,
            "claim_reject": self._reject,
            "claim_escalate": self._escalate,
            "claim_rule": self._rule,
            "claim_ship_return": self._ship_return,
            "claim_confirm_return": self._confirm_return,
            "claim_return_lapsed": self._return_lapsed,
        }
        if order.claim is None or step not in steps:
            raise ValueError(f"no claim step {step!r} for order {order.order_id}")
        await steps[step](hour, order.claim)

    async def _accept(self, hour: int, claim: Claim) -> None:
        _, owner = self._ids(claim)
        await self.driver.decide_aftersale(
            owner, claim.ticket_required, accept=True, at=self._at(claim, hour)
        )
        self.summary.aftersale_accepted += 1
        self._made_good(hour, claim)

    async def _lapsed(self, hour: int, claim: Claim) -> None:
        """The merchant let the deadline pass: the platform's job accepted it this hour."""
        self.summary.aftersale_unanswered += 1
        self._made_good(hour, claim)

    def _made_good(self, hour: int, claim: Claim) -> None:
        self._treated(claim, made_good=True)
        if claim.kind == Kind.REFUND_ONLY:
            self._refunded(claim)
            return
        posts = behaviour.posts_return_after_hours(claim.rng)
        if posts is not None:
            self._later(hour + posts, "claim_ship_return", claim)

    async def _reject(self, hour: int, claim: Claim) -> None:
        _, owner = self._ids(claim)
        await self.driver.decide_aftersale(
            owner, claim.ticket_required, accept=False, at=self._at(claim, hour)
        )
        self.summary.aftersale_rejected += 1
        self._treated(claim, made_good=False)
        if behaviour.escalates(claim.rng):
            self._later(hour + claim.rng.randint(1, 24), "claim_escalate", claim)

    async def _escalate(self, hour: int, claim: Claim) -> None:
        buyer, _ = self._ids(claim)
        claim.dispute_id = await self.driver.escalate(
            buyer, claim.ticket_required, self._at(claim, hour)
        )
        self.summary.disputes_opened += 1
        self._later(hour + claim.rng.randint(*behaviour.OPERATOR_HOURS), "claim_rule", claim)

    async def _rule(self, hour: int, claim: Claim) -> None:
        """The operator rules by what the parcel really held: the buyer asked because it was bad."""
        counterfeit = self._plan(claim).counterfeit
        if claim.dispute_id is not None:
            await self.driver.rule_dispute(
                self.operator_id, claim.dispute_id, merchant_at_fault=True,
                counterfeit=counterfeit, at=self._at(claim, hour),
            )  # fmt: skip
        self.summary.disputes_for_buyer += 1
        self.summary.counterfeit_rulings += counterfeit
        self._made_good(hour, claim)

    async def _ship_return(self, hour: int, claim: Claim) -> None:
        buyer, _ = self._ids(claim)
        tracking = f"ZT{claim.rng.randrange(10**12):012d}"
        at = self._at(claim, hour)
        if await self.driver.ship_return(buyer, claim.ticket_required, tracking, at):
            self._refunded(claim)  # the instant-refund guarantee pays when the parcel is posted
        self.summary.returns_shipped += 1
        merchant = self.market.population.merchants[claim.order.merchant]
        if behaviour.confirms_return(merchant):
            self._later(hour + behaviour.transit_hours(claim.rng), "claim_confirm_return", claim)
        else:
            self._later(hour + CONFIRM_HOURS, "claim_return_lapsed", claim)

    async def _confirm_return(self, hour: int, claim: Claim) -> None:
        _, owner = self._ids(claim)
        await self.driver.confirm_return(owner, claim.ticket_required, self._at(claim, hour))
        self._refunded(claim)

    async def _return_lapsed(self, hour: int, claim: Claim) -> None:
        """The merchant never confirmed: the platform's job counted the return as received."""
        self._refunded(claim)
