"""Pages that belong to no single context: home, login, and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from trustlive.kernel.i18n import LANG_COOKIE, LOCALES
from trustlive.sim.seed import DEMO_PASSWORD
from trustlive.web.rendering import page

router = APIRouter(include_in_schema=False)
LANG_COOKIE_SECONDS = 365 * 24 * 3600


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> HTMLResponse:
    return page(request, "home.html")


@router.get("/login", response_class=HTMLResponse)
async def login(request: Request) -> HTMLResponse:
    """Names the password every demo account logs in with, from the seeder that sets it."""
    return page(request, "login.html", demo_password=DEMO_PASSWORD)


def _local(path: str) -> str:
    """Only a path on this site: `//host` or `https://…` would make the switch an open redirect."""
    return path if path.startswith("/") and not path.startswith(("//", "/\\")) else "/"


@router.get("/language")
async def switch_language(
    lang: Annotated[str, Query(max_length=10)], next: Annotated[str, Query(max_length=2000)] = "/"
) -> RedirectResponse:
    """Remember the language chosen in a cookie (pages and API answers both follow it)."""
    answer = RedirectResponse(_local(next), status_code=303)
    if lang in LOCALES:
        answer.set_cookie(
            LANG_COOKIE, lang, max_age=LANG_COOKIE_SECONDS, samesite="lax", httponly=False
        )
    return answer
