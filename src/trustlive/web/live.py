"""Live pages: rooms live now, the buyer's live room, and the anchor console."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from trustlive.kernel.errors import NotFound
from trustlive.kernel.http import Id, Tx
from trustlive.kernel.i18n import N_
from trustlive.live import rooms
from trustlive.web.rendering import not_found, page

router = APIRouter(include_in_schema=False)


@router.get("/live", response_class=HTMLResponse)
async def live_rooms(request: Request) -> HTMLResponse:
    return page(request, "live_rooms.html")


@router.get("/rooms/{room_id}", response_class=HTMLResponse)
async def room(request: Request, room_id: Id, tx: Tx) -> HTMLResponse:
    try:
        await rooms.get_room(tx, room_id)
    except NotFound:
        return not_found(request, what=N_("live room"), wanted_id=room_id)
    return page(request, "room.html", room_id=room_id)


@router.get("/console", response_class=HTMLResponse)
async def console_home(request: Request) -> HTMLResponse:
    return page(request, "console_home.html")


@router.get("/console/rooms/{room_id}", response_class=HTMLResponse)
async def console(request: Request, room_id: Id) -> HTMLResponse:
    return page(request, "console.html", room_id=room_id)
