"""Shops: the shop, its staff and what each staff role may do. Other contexts use this facade."""

from trustlive.shops.domain import Permission, StaffRole
from trustlive.shops.events import ShopOpened, StaffAdded
from trustlive.shops.service import (
    get_shop,
    has_permission,
    require_permission,
    shops_of,
    users_with_permission,
)

__all__ = [
    "Permission",
    "ShopOpened",
    "StaffAdded",
    "StaffRole",
    "get_shop",
    "has_permission",
    "require_permission",
    "shops_of",
    "users_with_permission",
]
