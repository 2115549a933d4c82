"""Media HTTP: the console's stream key (read, rotate) under /api/v1, and the publish hooks the
media server calls (form posts from nginx-rtmp) under /media/hooks, outside the public API."""

from __future__ import annotations

from urllib.parse import parse_qs

from fastapi import APIRouter, Request, Response, status

from trustlive import live
from trustlive.accounts import CurrentUser
from trustlive.kernel.errors import Problem
from trustlive.kernel.http import Id, Rt, Tx
from trustlive.kernel.runtime import Runtime
from trustlive.media import schemas, service
from trustlive.media.domain import address_allowed, secret_matches
from trustlive.media.errors import MediaError
from trustlive.media.nginx import HOOK_PATH
from trustlive.media.wiring import hook_networks, policy_from

router = APIRouter(tags=["media"])
hooks = APIRouter(prefix=HOOK_PATH, include_in_schema=False)


def _key_out(rt: Runtime, view: service.KeyView) -> schemas.StreamKeyOut:
    policy = policy_from(rt.settings)
    return schemas.StreamKeyOut(
        room_id=view.room_id,
        ingest_url=policy.rtmp_url,
        hint=view.hint,
        rotated_at=view.rotated_at,
        key=view.key,
        playback_url=policy.playlist_url(view.room_id),
    )


@router.get(
    "/rooms/{room_id}/stream-key", operation_id="getStreamKey", response_model=schemas.StreamKeyOut
)
async def get_stream_key(room_id: Id, me: CurrentUser, tx: Tx, rt: Rt) -> schemas.StreamKeyOut:
    """Where to publish and which key is current (its first characters only)."""
    view = await service.key_of_room(tx, room_id=room_id, user_id=me.user_id)
    return _key_out(rt, view)


@router.post(
    "/rooms/{room_id}/stream-key",
    operation_id="rotateStreamKey",
    status_code=status.HTTP_201_CREATED,
    response_model=schemas.StreamKeyOut,
)
async def rotate_stream_key(room_id: Id, me: CurrentUser, tx: Tx, rt: Rt) -> schemas.StreamKeyOut:
    """Issue a new key (the old one stops working at once); the answer is the only time the key
    itself is shown."""
    view = await service.rotate_key(tx, room_id=room_id, user_id=me.user_id, now=rt.clock.now())
    return _key_out(rt, view)


async def _hook_form(request: Request, rt: Runtime) -> dict[str, str]:
    """The media server's form, once it is known to come from it: an allowed network and the
    shared secret. Anyone else learns nothing about keys."""
    client = request.client.host if request.client else None
    if not address_allowed(client, hook_networks(rt.settings)):
        raise Problem(
            MediaError.HOOK_REFUSED, "media hooks answer the media network only", status=403
        )
    if not secret_matches(request.query_params.get("secret"), rt.settings.media_hook_secret):
        raise Problem(MediaError.HOOK_REFUSED, "wrong or missing media hook secret", status=403)
    body = (await request.body()).decode("utf-8", errors="replace")
    form = {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}
    if not form.get("name"):
        raise Problem(MediaError.BAD_HOOK, "the hook needs the stream's name", status=400)
    return form


@hooks.post("/on_publish")
async def on_publish(request: Request, tx: Tx, rt: Rt) -> Response:
    """2xx lets a publish through, anything else refuses it; the redirect renames the stream
    to the room's public name, which the HLS playlist then carries instead of the key."""
    form = await _hook_form(request, rt)
    grant = await service.authorize_publish(
        tx,
        key=form["name"],
        client_id=form.get("clientid", ""),
        policy=policy_from(rt.settings),
        channel=live.channel_of(rt),
        now=rt.clock.now(),
    )
    return Response(status_code=status.HTTP_302_FOUND, headers={"Location": grant.stream_name})


@hooks.post("/on_publish_done", status_code=status.HTTP_204_NO_CONTENT)
async def on_publish_done(request: Request, tx: Tx, rt: Rt) -> Response:
    form = await _hook_form(request, rt)
    await service.publish_done(
        tx,
        key=form["name"],
        client_id=form.get("clientid", ""),
        channel=live.channel_of(rt),
        now=rt.clock.now(),
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
