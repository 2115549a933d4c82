"""Events published by shops."""

from dataclasses import dataclass

from trustlive.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class ShopOpened(Event):
    topic = "shops.shop_opened"
    shop_id: int
    owner_id: int


@dataclass(frozen=True, kw_only=True)
class StaffAdded(Event):
    topic = "shops.staff_added"
    shop_id: int
    user_id: int
    role: str
