"""Shop staff roles."""

from __future__ import annotations

from trustlive.shops.domain import Permission, StaffRole, allows, may_assign


def test_each_role_does_its_job_and_no_more() -> None:
    assert allows(StaffRole.FULFILMENT, Permission.FULFIL_ORDERS)
    assert not allows(StaffRole.FULFILMENT, Permission.MANAGE_PRODUCTS)
    assert allows(StaffRole.CUSTOMER_SERVICE, Permission.REPLY_REVIEWS)
    assert not allows(StaffRole.ANCHOR, Permission.VIEW_ORDERS)
    assert all(allows(StaffRole.OWNER, p) for p in Permission)


def test_ownership_is_never_assigned_and_only_owners_make_admins() -> None:
    assert not any(may_assign(r, StaffRole.OWNER) for r in StaffRole)
    assert may_assign(StaffRole.OWNER, StaffRole.ADMIN)
    assert not may_assign(StaffRole.ADMIN, StaffRole.ADMIN)
    assert may_assign(StaffRole.ADMIN, StaffRole.ANCHOR)
    assert not may_assign(StaffRole.OPERATIONS, StaffRole.ANCHOR)
