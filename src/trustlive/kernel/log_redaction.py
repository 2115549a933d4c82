"""Credentials never reach a log: query-string tokens and tickets are masked before any handler
formats a record (uvicorn logs every request's path with its query string)."""

from __future__ import annotations

import logging
import re

_CREDENTIAL = re.compile(
    r"([?&](?:token|access_token|ticket|password|secret|api_key)=)[^&\s\"']*", re.IGNORECASE
)
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return _CREDENTIAL.sub(r"\g<1>" + REDACTED, text)


class RedactCredentials(logging.Filter):
    """Masks credentials in a record's message and positional arguments; drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True
