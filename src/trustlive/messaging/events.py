"""Events published by messaging (TRUST_CONTRACT.md)."""

from dataclasses import dataclass

from trustlive.kernel.events import Event


@dataclass(frozen=True, kw_only=True)
class MessageSent(Event):
    topic = "messaging.message_sent"
    thread_id: int
    shop_id: int
    buyer_id: int
    sender: str
    sent_at: str
    first_reply_seconds: int | None = None
