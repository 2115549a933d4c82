"""Media error codes."""

from enum import StrEnum


class MediaError(StrEnum):
    KEY_REFUSED = "stream-key-refused"
    HOOK_REFUSED = "media-hook-refused"
    BAD_HOOK = "media-hook-malformed"
