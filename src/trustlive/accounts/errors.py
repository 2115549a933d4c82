"""Accounts error codes."""

from enum import StrEnum


class AccountError(StrEnum):
    USERNAME_TAKEN = "username-taken"
    BAD_CREDENTIALS = "bad-credentials"
    TOO_MANY_LOGIN_ATTEMPTS = "too-many-login-attempts"
    CANNOT_FOLLOW_SELF = "cannot-follow-self"
    TOO_MANY_ADDRESSES = "too-many-addresses"
    ACCOUNT_CLOSED = "account-closed"
