"""Flash sales (秒杀): a pool of units at a price for a short window, sold at once to many buyers.

The pieces, in the order an attempt meets them:
- `lane`: before routing, answers what the Redis gate refuses (sold out, limit reached);
- `gate`: Redis's count of units left, buyers' units and the keys that won them;
- `writer`: winners' orders written in batches, each answered after its batch commits;
- `sale`: the database's record and rules — create, claim, sell, the one-by-one path without Redis;
- `returns`: units coming back (a cancelled order, a sale that ended);
- `reconcile`: Redis set right from the database after a crash.
`buy` is the one entry point an HTTP route calls.
"""

from __future__ import annotations

from trustlive.live.flash.buying import buy
from trustlive.live.flash.gate import Claim, FlashGate, Verdict
from trustlive.live.flash.lane import FlashLane
from trustlive.live.flash.reconcile import Reconciler, reconcile_now
from trustlive.live.flash.returns import close_ended, return_cancelled
from trustlive.live.flash.sale import create, left_of, stock_event

__all__ = [
    "Claim",
    "FlashGate",
    "FlashLane",
    "Reconciler",
    "Verdict",
    "buy",
    "close_ended",
    "create",
    "left_of",
    "reconcile_now",
    "return_cancelled",
    "stock_event",
]
