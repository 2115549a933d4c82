"""Jinja2 templates shared by every page module; pages fetch their data from the JSON API.

Templates write English and wrap it: `{{ _("Log in") }}`; the page's language (the `lang`
cookie, else Accept-Language) picks the catalogue. Scripts get their texts through `TL.t()`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context

from trustlive.kernel.errors import request_locale
from trustlive.kernel.headers import NONCE_STATE_KEY
from trustlive.kernel.i18n import LOCALE_NAMES, script_messages, translations

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
templates.env.add_extension("jinja2.ext.i18n")


@pass_context
def _gettext(context: Context, message: str) -> str:
    return translations(context.get("locale", "en")).gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return translations(context.get("locale", "en")).ngettext(singular, plural, n)


templates.env.install_gettext_callables(  # type: ignore[attr-defined]  # added by the extension
    gettext=_gettext, ngettext=_ngettext, newstyle=True
)


def page(
    request: Request, template: str, *, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Inline scripts carry `nonce="{{ csp_nonce }}"`: the Content-Security-Policy runs no other."""
    nonce = getattr(request.state, NONCE_STATE_KEY, "")
    locale = request_locale(request)
    shared = {
        "csp_nonce": nonce,
        "locale": locale,
        "locales": LOCALE_NAMES,
        "script_messages": script_messages(locale),
        "here": request.url.path,
    }
    return templates.TemplateResponse(
        request, template, {**shared, **context}, status_code=status_code
    )


def not_found(request: Request, *, what: str, wanted_id: int) -> HTMLResponse:
    """A page (not problem+json: a person reads it) saying what was looked for and where to go."""
    return page(request, "not_found.html", status_code=404, what=what, wanted_id=wanted_id)
