"""Time-ordered 64-bit ids made by the app (Snowflake layout).

41 bits of milliseconds since 2024-01-01, 10 bits of worker number, 12 bits of sequence:
ids sort by creation time, fit a BIGINT, and need no database round trip.
"""

from __future__ import annotations

import threading
import time

EPOCH_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z
WORKER_BITS = 10
SEQUENCE_BITS = 12
MAX_SEQUENCE = (1 << SEQUENCE_BITS) - 1


class IdGenerator:
    def __init__(self, worker_id: int = 0) -> None:
        if not 0 <= worker_id < (1 << WORKER_BITS):
            raise ValueError("worker_id must fit in 10 bits")
        self._worker = worker_id
        self._lock = threading.Lock()
        self._last_ms = -1
        self._sequence = 0

    def next_id(self) -> int:
        with self._lock:
            now_ms = max(int(time.time() * 1000), self._last_ms)
            if now_ms == self._last_ms:
                self._sequence = (self._sequence + 1) & MAX_SEQUENCE
                if self._sequence == 0:  # 4,096 ids this millisecond: borrow the next one
                    now_ms += 1
            else:
                self._sequence = 0
            self._last_ms = now_ms
            return (
                ((now_ms - EPOCH_MS) << (WORKER_BITS + SEQUENCE_BITS))
                | (self._worker << SEQUENCE_BITS)
                | self._sequence
            )


def created_ms(id_: int) -> int:
    """Milliseconds since the Unix epoch at which an id was made."""
    return (id_ >> (WORKER_BITS + SEQUENCE_BITS)) + EPOCH_MS


_generator = IdGenerator()


def configure(worker_id: int) -> None:
    global _generator
    _generator = IdGenerator(worker_id)


def new_id() -> int:
    return _generator.next_id()
