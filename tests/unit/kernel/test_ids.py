"""App-made ids: unique, time-ordered, 63 bits."""

from __future__ import annotations

import time

from trustlive.kernel.ids import IdGenerator, created_ms


def test_ids_are_unique_increasing_and_fit_a_signed_bigint() -> None:
    gen = IdGenerator(worker_id=5)
    ids = [gen.next_id() for _ in range(20_000)]  # several ms past 4,096 per ms
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    assert all(0 < i < 2**63 for i in ids)


def test_ids_carry_their_creation_time() -> None:
    before = int(time.time() * 1000)
    made = created_ms(IdGenerator().next_id())
    assert before - 1 <= made <= int(time.time() * 1000) + 1


def test_workers_never_collide() -> None:
    a, b = IdGenerator(1), IdGenerator(2)
    assert {a.next_id() for _ in range(1000)}.isdisjoint({b.next_id() for _ in range(1000)})


def test_each_process_runtime_takes_its_own_worker_number() -> None:
    import os

    from trustlive.kernel import ids
    from trustlive.kernel.runtime import Runtime
    from trustlive.kernel.settings import Settings

    Runtime.build(Settings(database_url="sqlite+aiosqlite://", worker_id=None))
    assert (ids.new_id() >> 12) & 1023 == os.getpid() % 1024
    Runtime.build(Settings(database_url="sqlite+aiosqlite://", worker_id=77))
    assert (ids.new_id() >> 12) & 1023 == 77
