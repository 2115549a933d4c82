"""After-sales: refunds, returns, disputes, guarantees and their ledger. Facade."""

from trustlive.aftersale.events import (
    AftersaleRequestDecided,
    AftersaleRequestOpened,
    DisputeDecided,
    DisputeOpened,
    GuaranteePaid,
    RefundPaid,
)

__all__ = [
    "AftersaleRequestDecided",
    "AftersaleRequestOpened",
    "DisputeDecided",
    "DisputeOpened",
    "GuaranteePaid",
    "RefundPaid",
]
