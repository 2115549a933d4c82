"""Pages that belong to no single context: home and login."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from trustlive.sim.seed import DEMO_PASSWORD
from trustlive.web.rendering import page

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    return page(request, "home.html")


@router.get("/login", response_class=HTMLResponse)
async def login(request: Request) -> HTMLResponse:
    """Names the password every demo account logs in with, from the seeder that sets it."""
    return page(request, "login.html", demo_password=DEMO_PASSWORD)
