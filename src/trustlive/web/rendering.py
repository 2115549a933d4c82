"""Jinja2 templates shared by every page module; pages fetch their data from the JSON API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from trustlive.kernel.headers import NONCE_STATE_KEY

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))


def _untranslated(source: str, **values: Any) -> str:
    """`_("English source text")` in templates; the language catalogues replace it."""
    return source % values if values else source


templates.env.globals["_"] = _untranslated


def page(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Inline scripts carry `nonce="{{ csp_nonce }}"`: the Content-Security-Policy runs no other."""
    nonce = getattr(request.state, NONCE_STATE_KEY, "")
    return templates.TemplateResponse(
        request, template, {"csp_nonce": nonce, **context}, status_code=status_code
    )


def not_found(request: Request, *, what: str, what_zh: str, wanted_id: int) -> HTMLResponse:
    """A page (not problem+json: a person reads it) saying what was looked for and where to go."""
    return page(
        request, "not_found.html", status_code=404, what=what, what_zh=what_zh, wanted_id=wanted_id
    )
