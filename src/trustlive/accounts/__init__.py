"""Accounts: users, roles, login, follows, the social graph. Other contexts use this facade."""

from trustlive.accounts.dependencies import (
    CurrentOperator,
    CurrentUser,
    MaybeUser,
    bearer_principal,
)
from trustlive.accounts.domain import Principal, mask_name
from trustlive.accounts.events import UserFollowed, UserRegistered, UserSignedIn, UserUnfollowed
from trustlive.accounts.service import (
    authenticate,
    close_account,
    display_names,
    follow_edges,
    follow_since,
    followee_ids,
    follower_ids,
    get_user,
    grant_role,
    is_following,
    reopen_account,
)
from trustlive.accounts.tickets import issue_socket_ticket, redeem_socket_ticket

__all__ = [
    "CurrentOperator",
    "CurrentUser",
    "MaybeUser",
    "Principal",
    "UserFollowed",
    "UserRegistered",
    "UserSignedIn",
    "UserUnfollowed",
    "authenticate",
    "bearer_principal",
    "close_account",
    "display_names",
    "follow_edges",
    "follow_since",
    "followee_ids",
    "follower_ids",
    "get_user",
    "grant_role",
    "is_following",
    "issue_socket_ticket",
    "mask_name",
    "redeem_socket_ticket",
    "reopen_account",
]
