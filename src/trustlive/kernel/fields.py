"""What every request body shares: no unknown fields, no control characters, aware instants."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, field_validator
from pydantic_core import PydanticCustomError

# C0 and C1 controls, DEL and unpaired surrogates: PostgreSQL refuses NUL and lone surrogates in
# text (a 500 before this check), SQLite stores them, and none belongs in a name, a note or a
# comment. Tab and line breaks stay allowed: descriptions, reviews and messages have lines.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def refuse_control_characters(value: str) -> str:
    found = CONTROL_CHARACTERS.search(value)
    if found is not None:
        raise PydanticCustomError(
            "control_character",
            "control character U+{code} at position {position} is not allowed in text",
            {"code": f"{ord(found.group()):04X}", "position": found.start()},
        )
    return value


def _refuse_in(value: Any) -> None:
    if isinstance(value, str):
        refuse_control_characters(value)
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _refuse_in(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_in(key)
            _refuse_in(item)


class InputModel(BaseModel):
    """The base of every request body: unknown fields and control characters are a 422.

    The check runs on every field after its own constraints (strip, length, pattern), so a new
    text field is covered without remembering to; nested bodies are InputModels themselves.
    """

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        _refuse_in(value)
        return value


def _in_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


# An instant on input states its offset ("2026-03-01T17:00:00+08:00" or "…Z"): a naive time is
# ambiguous between the client's zone and the server's; the database stores UTC.
Instant = Annotated[AwareDatetime, AfterValidator(_in_utc)]
