"""Domain events: small frozen dataclasses with a topic, serialisable to JSON."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar, Self

_registry: dict[str, type[Event]] = {}


@dataclasses.dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every event. Fields hold JSON values only (ids as int, times as ISO strings)."""

    topic: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.topic:
            if cls.topic in _registry and _registry[cls.topic].__qualname__ != cls.__qualname__:
                raise ValueError(f"event topic {cls.topic!r} is taken")
            _registry[cls.topic] = cls

    def to_payload(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Self:
        names = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in payload.items() if k in names})


def event_class(topic: str) -> type[Event] | None:
    return _registry.get(topic)
