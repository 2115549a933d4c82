"""The channel: frame coalescing, the resume buffer, and how frames reach viewers."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from trustlive.live.channel.frames import coalesce
from trustlive.live.channel.hub import BUFFER_EVENTS, Channel, RoomHub


def _purchase(seq: int, buyer: str) -> dict[str, Any]:
    return {"seq": seq, "type": "purchase", "buyer": buyer, "quantity": 1, "others": 0}


def _bought(buyer: str) -> dict[str, Any]:
    return {"type": "purchase", "buyer": buyer, "quantity": 1, "others": 0}


def test_purchases_beyond_three_fold_into_one_that_keeps_the_count() -> None:
    events = [_purchase(i, f"{i}**") for i in range(1, 31)]

    out = coalesce(events)

    assert [e["buyer"] for e in out] == ["1**", "2**", "30**"]
    assert 2 + sum(1 + e["others"] for e in out[2:]) == 30
    assert out[-1]["others"] == 27


def test_a_summary_is_dated_by_its_earliest_purchase() -> None:
    events = [
        {**_purchase(i, f"{i}**"), "at": f"2026-11-22T08:00:{i:02d}+00:00"} for i in (1, 2, 3, 4, 5)
    ]

    out = coalesce(events)

    assert [e["at"][-8:-6] for e in out] == ["01", "02", "03"]  # the third folds 3, 4 and 5
    assert out[-1]["others"] == 2


def test_only_the_latest_stock_and_viewer_count_stay_and_joined_names_carry_over() -> None:
    events = [
        {"seq": 1, "type": "flash_stock", "flash_sale_id": "7", "left": 9},
        {"seq": 2, "type": "viewers", "count": 1, "joined": [{"name": "王**"}], "more_joined": 0},
        {"seq": 3, "type": "flash_stock", "flash_sale_id": "7", "left": 8},
        {"seq": 4, "type": "viewers", "count": 2, "joined": [{"name": "李**"}], "more_joined": 5},
        {"seq": 5, "type": "comment", "text": "hi"},
    ]

    out = coalesce(events)

    assert [e["seq"] for e in out] == [3, 4, 5]
    assert out[1]["joined"] == [{"name": "王**"}, {"name": "李**"}]
    assert (out[1]["count"], out[1]["more_joined"]) == (2, 5)


def test_resume_buffer_answers_only_what_it_still_holds() -> None:
    hub = RoomHub(1)
    for seq in range(1, BUFFER_EVENTS + 11):
        hub.receive({"seq": seq, "type": "comment"})

    assert hub.missed_since(BUFFER_EVENTS + 10) == []
    assert [e["seq"] for e in hub.missed_since(BUFFER_EVENTS + 8) or []] == [
        BUFFER_EVENTS + 9,
        BUFFER_EVENTS + 10,
    ]
    assert hub.missed_since(10) is not None
    assert hub.missed_since(9) is None  # fell out of the buffer: the client needs a snapshot
    assert hub.missed_since(BUFFER_EVENTS + 11) is None  # from another life of the room


async def test_one_frame_per_tick_for_every_viewer_and_joins_batched() -> None:
    channel = Channel()
    viewers = [channel.join(1, user_id=None, name=f"{i}**", badge=None) for i in range(50)]
    for i in range(20):
        channel.publish(1, {"type": "purchase", "buyer": "王**", "quantity": 1, "others": 0})
        del i

    channel.tick()
    frames = [str(v.queue.get_nowait()) for v in viewers]
    await channel.close()

    assert len(set(frames)) == 1  # encoded once, the same bytes for all
    assert all(v.queue.empty() for v in viewers)
    assert '"count":50' in frames[0]
    assert '"more_joined":40' in frames[0]


async def test_socket_viewers_are_written_in_the_tick_and_a_slow_one_catches_up_in_one_frame() -> (
    None
):
    channel = Channel()
    fast_frames: list[str] = []
    slow_frames: list[str] = []
    release = asyncio.Event()

    async def fast(data: str) -> None:
        fast_frames.append(data)

    async def slow(data: str) -> None:
        await release.wait()  # like uvicorn: wait until the socket can take more, then write
        slow_frames.append(data)

    quick = channel.join(1, user_id=None, name=None, badge=None, sink=fast)
    lagging = channel.join(1, user_id=None, name=None, badge=None, sink=slow)
    channel.start_sending(quick)
    channel.start_sending(lagging)
    for tick in range(3):
        channel.publish(1, _bought(f"{tick}**"))
        channel.tick()  # no await in between: the fast viewer's frames are written right here
        assert len(fast_frames) == tick + 1
    await asyncio.sleep(0.01)  # the waiting send's task is now waiting too
    assert slow_frames == []  # its first send is still waiting
    assert lagging.sending is not None

    release.set()
    await asyncio.sleep(0.01)
    await channel.close()

    catch_up = json.loads(slow_frames[-1])["events"]
    assert len(slow_frames) == 2  # the first, then the ticks it missed as one frame
    assert [e["buyer"] for e in catch_up if e["type"] == "purchase"] == ["1**", "2**"]
    assert lagging.sent_seq == quick.sent_seq == channel.hub(1).last_seq


async def test_a_socket_viewer_behind_the_whole_buffer_is_closed_to_resume() -> None:
    channel = Channel()
    release = asyncio.Event()

    async def stuck(data: str) -> None:
        await release.wait()

    viewer = channel.join(1, user_id=None, name=None, badge=None, sink=stuck)
    channel.start_sending(viewer)
    channel.publish(1, _bought("王**"))
    channel.tick()
    for _ in range(BUFFER_EVENTS + 5):
        channel.publish(1, _bought("李**"))
    release.set()
    await asyncio.sleep(0.01)
    await channel.close()

    assert viewer.gone.is_set()
    assert viewer not in channel.hub(1).viewers


async def test_a_viewer_who_joined_before_the_first_event_of_this_worker_is_not_dropped() -> None:
    """With Redis, a new worker's first event may carry seq 57: those before are in the snapshot."""
    channel = Channel()
    frames: list[str] = []

    async def sink(data: str) -> None:
        frames.append(data)

    viewer = channel.join(1, user_id=None, name=None, badge=None, sink=sink)  # hub empty: seq 0
    for seq in (57, 58):
        channel.deliver(1, {**_bought(f"{seq}**"), "seq": seq})
    channel.start_sending(viewer)
    await channel.close()

    assert not viewer.gone.is_set()
    assert [e["seq"] for e in json.loads(frames[0])["events"]] == [57, 58]


async def test_events_for_the_console_reach_only_console_viewers() -> None:
    channel = Channel()
    sent: list[str] = []

    async def sink(data: str) -> None:
        sent.append(data)

    console = channel.join(1, user_id=7, name=None, badge=None, console=True)
    queued = channel.join(1, user_id=None, name=None, badge=None)
    socket = channel.join(1, user_id=None, name=None, badge=None, sink=sink)
    channel.start_sending(socket)
    channel.tick()  # the joins' viewer count goes out first
    for viewer in (console, queued):
        while not viewer.queue.empty():
            viewer.queue.get_nowait()
    sent.clear()
    reminder = {"type": "rule_reminder", "audience": "console", "rule": "claims_check.x"}
    channel.publish(1, reminder)
    channel.tick()
    channel.publish(1, {"type": "comment", "text": "hi"})
    channel.tick()

    frames = [json.loads(str(console.queue.get_nowait())) for _ in range(2)]
    assert [[e["type"] for e in f["events"]] for f in frames] == [["rule_reminder"], ["comment"]]
    only = json.loads(str(queued.queue.get_nowait()))
    assert [e["type"] for e in only["events"]] == ["comment"]
    assert queued.queue.empty()
    assert [[e["type"] for e in json.loads(s)["events"]] for s in sent] == [["comment"]]
    assert socket.sent_seq == channel.hubs[1].last_seq
    await channel.close()
