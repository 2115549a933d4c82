"""Messaging error codes."""

from enum import StrEnum


class MessagingError(StrEnum):
    NO_THREAD = "no-message-thread"
    OWN_SHOP = "message-own-shop"
    MESSAGE_REFUSED = "message-refused"
