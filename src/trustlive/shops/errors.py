"""Shops error codes."""

from enum import StrEnum


class ShopError(StrEnum):
    ALREADY_OWNS_SHOP = "already-owns-shop"
    SHOP_NAME_TAKEN = "shop-name-taken"
    ALREADY_STAFF = "already-staff"
    CANNOT_CHANGE_OWNER = "cannot-change-owner"
