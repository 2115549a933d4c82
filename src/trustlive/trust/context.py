"""What trust's handlers, jobs and routes share: the policy in force, the hooks, the clock."""

from __future__ import annotations

from dataclasses import dataclass

from trustlive.kernel.clock import Clock
from trustlive.kernel.runtime import Slot
from trustlive.trust.hooks import TrustHooks
from trustlive.trust.policy import Policy

HANDLER_NAME = "trust.counters"


@dataclass(frozen=True)
class TrustContext:
    policy: Policy
    hooks: TrustHooks
    clock: Clock


EXTRAS_KEY: Slot[TrustContext] = Slot("trust")  # the composition root fills it
