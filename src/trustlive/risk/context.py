"""What risk's handlers, jobs, ports and routes share, built once per runtime."""

from __future__ import annotations

from dataclasses import dataclass

from trustlive.kernel.clock import Clock
from trustlive.kernel.fingerprint import identifier_key
from trustlive.kernel.runtime import Runtime, Slot
from trustlive.risk.graph import GraphPolicy
from trustlive.risk.graph import load_policy as load_graph_policy
from trustlive.risk.inline import InlineOrderCheck
from trustlive.risk.moderation import TextChecks
from trustlive.risk.policy import RiskPolicy, load_policy
from trustlive.risk.violations import ViolationLog


@dataclass(frozen=True)
class RiskContext:
    policy: RiskPolicy
    graph: GraphPolicy
    key: bytes  # the identifier key (kernel.fingerprint)
    clock: Clock
    order_check: InlineOrderCheck
    text_checks: TextChecks

    @property
    def violations(self) -> ViolationLog:
        return self.text_checks.log


def build_context(clock: Clock, secret: str, *, policy: RiskPolicy | None = None) -> RiskContext:
    policy = policy or load_policy()
    key = identifier_key(secret)
    return RiskContext(
        policy=policy,
        graph=load_graph_policy(),
        key=key,
        clock=clock,
        order_check=InlineOrderCheck(policy.inline, key, clock),
        text_checks=TextChecks(clock),
    )


EXTRAS_KEY: Slot[RiskContext] = Slot("risk")  # the composition root fills it


def context_of(rt: Runtime) -> RiskContext:
    """The runtime's context (the composition root installs it; built here if it did not)."""
    return EXTRAS_KEY.get_or_make(rt, lambda: build_context(rt.clock, rt.settings.secret_key))
