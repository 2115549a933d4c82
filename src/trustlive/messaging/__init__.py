"""Messaging: buyer–shop message threads. Other contexts use this facade; the risk context plugs
a `MessageScreen` in for private deals."""

from trustlive.messaging.events import MessageSent
from trustlive.messaging.screening import SCREEN_KEY, MessageScreen
from trustlive.messaging.screening import Refusal as MessageRefusal

__all__ = ["SCREEN_KEY", "MessageRefusal", "MessageScreen", "MessageSent"]
