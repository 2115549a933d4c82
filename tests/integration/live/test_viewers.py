"""Viewers admitted without the room channel still count in the session's statistics."""

from __future__ import annotations

import pytest

from tests.support.api import Api
from tests.support.live import live_room
from trustlive.kernel.db import unit_of_work
from trustlive.kernel.errors import Conflict, NotFound
from trustlive.live import rooms
from trustlive.live.models import LiveSession


async def _stats(api: Api, session_id: int) -> tuple[int, int]:
    async with api.runtime.sessions() as session:
        live = await session.get(LiveSession, session_id)
        assert live is not None
        return live.peak_viewers, live.total_viewers


async def test_admitted_viewers_add_to_the_total_and_raise_the_peak(api: Api) -> None:
    room = await live_room(api)
    session_id = int(room.session_id)

    for joined in (5, 3, 0):
        async with unit_of_work(api.runtime.sessions) as session:
            await rooms.admit_viewers(session, session_id=session_id, joined=joined)

    assert await _stats(api, session_id) == (5, 8)


async def test_an_ended_or_unknown_session_admits_nobody(api: Api) -> None:
    room = await live_room(api)
    owner = room.listed.owner
    ended = await api.client.post(f"/api/v1/sessions/{room.session_id}/end", headers=owner.auth)
    assert ended.status_code == 200

    async with unit_of_work(api.runtime.sessions) as session:
        with pytest.raises(Conflict):
            await rooms.admit_viewers(session, session_id=int(room.session_id), joined=4)
        with pytest.raises(NotFound):
            await rooms.admit_viewers(session, session_id=1, joined=4)
        with pytest.raises(ValueError, match="negative"):
            await rooms.admit_viewers(session, session_id=int(room.session_id), joined=-1)

    assert await _stats(api, int(room.session_id)) == (0, 0)
