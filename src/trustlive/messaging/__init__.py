"""Messaging: buyer–shop message threads. Other contexts use this facade."""

from trustlive.messaging.events import MessageSent

__all__ = ["MessageSent"]
