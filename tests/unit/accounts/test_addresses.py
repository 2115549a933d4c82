"""Address book rules: how many a buyer keeps, which one becomes the default after a delete."""

from __future__ import annotations

import pytest

from trustlive.accounts.domain import MAX_ADDRESSES, check_address_room, default_after_removal
from trustlive.kernel.errors import Problem


def test_room_for_one_more_until_the_book_is_full() -> None:
    check_address_room(MAX_ADDRESSES - 1)
    with pytest.raises(Problem) as refused:
        check_address_room(MAX_ADDRESSES)
    assert refused.value.code == "too-many-addresses"
    assert refused.value.status == 409


def test_the_newest_left_replaces_a_deleted_default() -> None:
    assert default_after_removal([30, 20, 10], removed_was_default=True) == 30


def test_deleting_another_address_leaves_the_default_alone() -> None:
    assert default_after_removal([30, 20, 10], removed_was_default=False) is None


def test_deleting_the_last_address_leaves_no_default() -> None:
    assert default_after_removal([], removed_was_default=True) is None
