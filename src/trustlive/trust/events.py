"""Events published by trust."""

from dataclasses import dataclass

from trustlive.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class ShopTierChanged(Event):
    """A shop moved to another tier: its traffic weight and tier guarantees changed with it."""

    topic = "trust.shop_tier_changed"
    shop_id: int
    tier: str
    previous_tier: str | None
    traffic_weight: float
    policy_version: str
