"""RFC 9457 problem details: every error leaves as application/problem+json with a stable type."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from fastapi import FastAPI, Request, WebSocket
from fastapi.exceptions import RequestValidationError, WebSocketRequestValidationError
from fastapi.responses import JSONResponse
from redis.exceptions import ConnectionError as RedisUnavailable
from redis.exceptions import TimeoutError as RedisTimeout
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.status import WS_1008_POLICY_VIOLATION

from trustlive.kernel.i18n import (
    DEFAULT_LOCALE,
    N_,
    locale_of_headers,
    translate,
    translate_template,
)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://trustlive.dev/problems/"
BUSY = "the service is busy; nothing was changed, retry in a moment"
log = logging.getLogger(__name__)


class ProblemCode(StrEnum):
    """Kernel-level problem types; contexts define their own enums in their errors.py."""

    VALIDATION = "validation-failed"
    MALFORMED_JSON = "malformed-json"
    UNSUPPORTED_MEDIA_TYPE = "unsupported-media-type"
    NOT_FOUND = "not-found"
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    METHOD_NOT_ALLOWED = "method-not-allowed"
    PAYLOAD_TOO_LARGE = "payload-too-large"
    IDEMPOTENCY_KEY_MISSING = "idempotency-key-missing"
    IDEMPOTENCY_KEY_REUSED = "idempotency-key-reused"
    CONFLICT = "conflict"
    OVERLOADED = "overloaded"
    TOO_MANY_REQUESTS = "too-many-requests"
    INTERNAL = "internal-error"


# The kernel's common problems, marked for the catalogues: their titles and fixed details leave
# in the caller's language (contexts' own texts pass through the same lookup).
COMMON_TEXTS = (
    N_("Validation failed"),
    N_("Malformed JSON"),
    N_("the request body is not valid JSON"),
    N_("Unsupported media type"),
    N_("send the request body as application/json"),
    N_("Not found"),
    N_("%(what)s not found"),
    N_("%(what)s %(id)s not found"),
    N_("Unauthenticated"),
    N_("log in first: send Authorization: Bearer <token>"),
    N_("Forbidden"),
    N_("you may not do this"),
    N_("you need the %(permission)s permission in this shop"),
    N_("Method not allowed"),
    N_("Payload too large"),
    N_("Conflict"),
    N_("Overloaded"),
    N_("the service is busy; nothing was changed, retry in a moment"),
    N_("Too many requests"),
    N_("Internal error"),
    N_("something went wrong on our side; nothing was changed"),
    N_("Idempotency key missing"),
    N_("Idempotency key reused"),
    # what a not-found names, and the permissions a refusal names
    N_("shop"),
    N_("order"),
    N_("SKU"),
    N_("after-sale request"),
    N_("dispute"),
    N_("message thread"),
    N_("review"),
    N_("user"),
    N_("manage_shop"),
    N_("manage_staff"),
    N_("manage_products"),
    N_("view_orders"),
    N_("fulfil_orders"),
    N_("handle_aftersale"),
    N_("reply_reviews"),
    N_("broadcast"),
)


class Problem(Exception):
    """A failure the client can act on. `code` becomes the problem type URI."""

    status: int = 400

    def __init__(
        self,
        code: StrEnum | str,
        detail: str,
        *,
        status: int | None = None,
        title: str | None = None,
        **extensions: Any,
    ) -> None:
        super().__init__(detail)
        self.code = str(code)
        self.detail = detail
        self.template: str | None = None
        self.params: dict[str, object] = {}
        if status is not None:
            self.status = status
        self.title = title or self.code.replace("-", " ").capitalize()
        self.extensions = extensions

    def templated(self, template: str, params: Mapping[str, object]) -> None:
        """The detail is `template % params`, translated as a whole (`"%(what)s not found"`)."""
        self.template, self.params = template, dict(params)
        self.detail = template % self.params
        self.args = (self.detail,)


class NotFound(Problem):
    status = 404

    def __init__(self, what: str, id_: object | None = None) -> None:
        super().__init__(ProblemCode.NOT_FOUND, what)
        if id_ is None:
            self.templated("%(what)s not found", {"what": what})
        else:
            self.templated("%(what)s %(id)s not found", {"what": what, "id": str(id_)})


class Forbidden(Problem):
    status = 403

    def __init__(
        self, detail: str = "you may not do this", params: Mapping[str, object] | None = None
    ) -> None:
        super().__init__(ProblemCode.FORBIDDEN, detail)
        if params is not None:
            self.templated(detail, params)


class Unauthenticated(Problem):
    status = 401

    def __init__(self, detail: str = "log in first: send Authorization: Bearer <token>") -> None:
        super().__init__(ProblemCode.UNAUTHENTICATED, detail)


class Conflict(Problem):
    status = 409


class Overloaded(Problem):
    """Busy right now; nothing was changed and a retry in a moment may work."""

    status = 503

    def __init__(
        self, detail: str = "the service is busy; nothing was changed, retry in a moment"
    ) -> None:
        super().__init__(ProblemCode.OVERLOADED, detail, title="Overloaded")


class TooManyRequests(Problem):
    """Refused until `retry_after_seconds` have passed (sent as Retry-After)."""

    status = 429

    def __init__(self, detail: str, *, retry_after_seconds: int, code: StrEnum | str = "") -> None:
        super().__init__(code or ProblemCode.TOO_MANY_REQUESTS, detail)
        self.retry_after_seconds = max(1, retry_after_seconds)


def problem_response(
    status: int,
    code: str,
    title: str,
    detail: str,
    instance: str,
    *,
    headers: Mapping[str, str] | None = None,
    retry_after: int | None = None,
    locale: str = DEFAULT_LOCALE,
    **extensions: Any,
) -> JSONResponse:
    """`title` and `detail` leave in `locale` when its catalogue has them, else as given."""
    body = {
        "type": PROBLEM_BASE + code,
        "title": translate(locale, title),
        "status": status,
        "detail": translate(locale, detail),
        "instance": instance,
        **extensions,
    }
    extra = dict(headers or {})
    if status == 401:
        extra.setdefault("WWW-Authenticate", "Bearer")
    if status in (429, 503):
        extra.setdefault("Retry-After", str(retry_after or 1))
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=extra)


def problem_of(exc: Problem, instance: str, locale: str = DEFAULT_LOCALE) -> JSONResponse:
    retry_after = exc.retry_after_seconds if isinstance(exc, TooManyRequests) else None
    detail = exc.detail
    if exc.template is not None:
        detail = translate_template(locale, exc.template, exc.params)
    return problem_response(
        exc.status,
        exc.code,
        exc.title,
        detail,
        instance,
        retry_after=retry_after,
        locale=locale,
        **exc.extensions,
    )


def request_locale(request: Request | WebSocket) -> str:
    """The language the caller reads: its `lang` cookie, else Accept-Language."""
    return locale_of_headers(request.scope["headers"])


def is_database_busy(exc: DBAPIError) -> bool:
    """SQLite's one writer stayed busy past the busy timeout: a retry may well succeed."""
    text = str(exc.orig).lower()
    return "database is locked" in text or "database table is locked" in text


def _validation_errors(
    exc: RequestValidationError | WebSocketRequestValidationError,
) -> list[dict[str, Any]]:
    return [
        {"loc": list(err.get("loc", ())), "msg": err.get("msg", ""), "type": err.get("type", "")}
        for err in exc.errors()
    ]


def _describe(errors: list[dict[str, Any]]) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)


def install_problem_handlers(app: FastAPI) -> None:
    """Map every failure, including framework ones, to problem+json; never leak a traceback."""

    @app.exception_handler(Problem)
    async def _problem(request: Request, exc: Problem) -> JSONResponse:
        return problem_of(exc, request.url.path, request_locale(request))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(exc)
        if any(e["type"] == "json_invalid" for e in errors):
            return problem_response(
                400,
                ProblemCode.MALFORMED_JSON,
                "Malformed JSON",
                "the request body is not valid JSON",
                request.url.path,
                locale=request_locale(request),
            )
        return problem_response(
            422,
            ProblemCode.VALIDATION,
            "Validation failed",
            _describe(errors),
            request.url.path,
            errors=errors,
            locale=request_locale(request),
        )

    @app.exception_handler(WebSocketRequestValidationError)
    async def _invalid_upgrade(websocket: WebSocket, exc: WebSocketRequestValidationError) -> None:
        """A bad path or query on a WebSocket upgrade is refused before accepting, as a 422."""
        errors = _validation_errors(exc)
        response = problem_response(
            422,
            ProblemCode.VALIDATION,
            "Validation failed",
            _describe(errors),
            websocket.url.path,
            errors=errors,
        )
        if "websocket.http.response" in websocket.scope.get("extensions", {}):
            await websocket.send_denial_response(response)
        else:
            await websocket.close(code=WS_1008_POLICY_VIOLATION, reason=_describe(errors)[:120])

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {
            404: ProblemCode.NOT_FOUND,
            405: ProblemCode.METHOD_NOT_ALLOWED,
            413: ProblemCode.PAYLOAD_TOO_LARGE,
            401: ProblemCode.UNAUTHENTICATED,
            403: ProblemCode.FORBIDDEN,
        }.get(exc.status_code, ProblemCode.CONFLICT if exc.status_code == 409 else "http-error")
        return problem_response(
            exc.status_code,
            code,
            str(code).replace("-", " ").capitalize(),
            str(exc.detail),
            request.url.path,
            headers=exc.headers,  # e.g. Allow on a 405
            locale=request_locale(request),
        )

    @app.exception_handler(PoolTimeout)
    @app.exception_handler(RedisUnavailable)
    @app.exception_handler(RedisTimeout)
    async def _overloaded(request: Request, exc: Exception) -> JSONResponse:
        """No database or Redis connection came free in time (or Redis is down): say so at once,
        and that a retry may work."""
        log.warning("overloaded on %s %s: %r", request.method, request.url.path, exc)
        return problem_response(
            503,
            ProblemCode.OVERLOADED,
            "Overloaded",
            BUSY,
            request.url.path,
            locale=request_locale(request),
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(
            500,
            ProblemCode.INTERNAL,
            "Internal error",
            "something went wrong on our side; nothing was changed",
            request.url.path,
            locale=request_locale(request),
        )

    @app.exception_handler(DBAPIError)
    async def _database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        if is_database_busy(exc):
            return await _overloaded(request, exc)
        return await _unexpected(request, exc)
