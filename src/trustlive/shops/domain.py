"""Who in a shop may do what. Roles are the jobs a real shop team has."""

from __future__ import annotations

from enum import StrEnum


class StaffRole(StrEnum):
    OWNER = "owner"
    ADMIN = "admin"  # everything but changing the owner
    OPERATIONS = "operations"  # 运营: products, prices, stock
    CUSTOMER_SERVICE = "customer_service"  # 客服: orders, after-sales, reviews, messages
    FULFILMENT = "fulfilment"  # 发货: ships orders
    ANCHOR = "anchor"  # 主播: runs live sessions


class Permission(StrEnum):
    MANAGE_SHOP = "manage_shop"
    MANAGE_STAFF = "manage_staff"
    MANAGE_PRODUCTS = "manage_products"
    VIEW_ORDERS = "view_orders"
    FULFIL_ORDERS = "fulfil_orders"
    HANDLE_AFTERSALE = "handle_aftersale"
    REPLY_REVIEWS = "reply_reviews"
    BROADCAST = "broadcast"


_ALL = frozenset(Permission)
ROLE_PERMISSIONS: dict[StaffRole, frozenset[Permission]] = {
    StaffRole.OWNER: _ALL,
    StaffRole.ADMIN: _ALL,
    StaffRole.OPERATIONS: frozenset(
        {Permission.MANAGE_PRODUCTS, Permission.VIEW_ORDERS, Permission.BROADCAST}
    ),
    StaffRole.CUSTOMER_SERVICE: frozenset(
        {Permission.VIEW_ORDERS, Permission.HANDLE_AFTERSALE, Permission.REPLY_REVIEWS}
    ),
    StaffRole.FULFILMENT: frozenset({Permission.VIEW_ORDERS, Permission.FULFIL_ORDERS}),
    StaffRole.ANCHOR: frozenset({Permission.BROADCAST}),
}

ASSIGNABLE_ROLES = frozenset(ROLE_PERMISSIONS) - {StaffRole.OWNER}


def allows(role: StaffRole, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


def may_assign(actor_role: StaffRole, new_role: StaffRole) -> bool:
    """Owners and admins add staff; nobody hands out ownership; only the owner makes admins."""
    if new_role not in ASSIGNABLE_ROLES or not allows(actor_role, Permission.MANAGE_STAFF):
        return False
    return new_role != StaffRole.ADMIN or actor_role == StaffRole.OWNER
