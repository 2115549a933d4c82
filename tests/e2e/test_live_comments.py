"""Comments: logged-in only, paced per user, length-limited, blocked by the moderation hook."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from tests.support.api import Api
from tests.support.live import live_room
from trustlive import live
from trustlive.kernel.clock import FixedClock
from trustlive.live import Verdict
from trustlive.live.models import Comment


async def test_comment_pacing_length_and_login(api: Api, clock: FixedClock) -> None:
    room = await live_room(api)
    viewer = await api.user()
    path = f"/api/v1/sessions/{room.session_id}/comments"

    anonymous = await api.client.post(path, json={"text": "hi"})
    first = await api.client.post(path, json={"text": "主播好"}, headers=viewer.auth)
    too_fast = await api.client.post(path, json={"text": "再来"}, headers=viewer.auth)
    too_long = await api.client.post(path, json={"text": "长" * 201}, headers=viewer.auth)
    statuses = []
    for _ in range(10):
        clock.advance(timedelta(seconds=3))
        statuses.append(
            (await api.client.post(path, json={"text": "好"}, headers=viewer.auth)).status_code
        )

    assert anonymous.status_code == 401
    assert first.status_code == 201
    assert too_fast.status_code == 429
    assert too_fast.json()["type"].endswith("/comment-rate-limited")
    assert too_long.status_code == 422
    assert statuses == [201] * 9 + [429]  # 10 a minute
    assert await api.count(Comment) == 10
    stats = await api.client.get(
        f"/api/v1/sessions/{room.session_id}", headers=room.listed.owner.auth
    )
    assert stats.json()["comments"] == 10


class BlockPrivateDeals:
    async def review(
        self, session: AsyncSession, *, room_id: int, user_id: int, text: str
    ) -> Verdict:
        if "微信" in text:
            return Verdict(False, "private-deal", "take deals off the platform elsewhere")
        return Verdict(True)


async def test_moderation_hook_blocks_with_a_code(api: Api) -> None:
    room = await live_room(api)
    viewer = await api.user()
    live.MODERATOR_KEY.put(api.runtime, BlockPrivateDeals())

    blocked = await api.client.post(
        f"/api/v1/sessions/{room.session_id}/comments",
        json={"text": "加我微信便宜"},
        headers=viewer.auth,
    )

    assert blocked.status_code == 422
    assert blocked.json()["type"].endswith("/comment-blocked")
    assert blocked.json()["reason_code"] == "private-deal"
    assert await api.count(Comment) == 0
