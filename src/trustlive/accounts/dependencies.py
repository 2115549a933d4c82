"""Who is calling: the bearer-token dependency every context's router uses."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from trustlive.accounts import service
from trustlive.accounts.domain import Principal
from trustlive.accounts.token_cache import TokenCache
from trustlive.kernel.auth import Role
from trustlive.kernel.errors import Forbidden, Problem, Unauthenticated
from trustlive.kernel.http import runtime_of
from trustlive.kernel.runtime import Runtime

_CACHE_KEY = "accounts.token_cache"
_bearer = HTTPBearer(auto_error=False, description="token from the login operation")


async def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> str:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated()
    return credentials.credentials


async def current_principal(
    request: Request, token: Annotated[str, Depends(bearer_token)]
) -> Principal:
    return await principal_for(runtime_of(request), token)


async def principal_for(runtime: Runtime, token: str) -> Principal:
    """Who holds `token`: from this process's cache, else the token table (then cached)."""
    cache = token_cache(runtime)
    now = runtime.clock.now()
    cached = cache.get(token, now=now)
    if cached is not None:
        return cached
    async with runtime.sessions() as session:
        principal, expires_at = await service.authenticate_until(session, token=token, now=now)
    cache.put(token, principal, expires_at=expires_at, now=now)
    return principal


async def bearer_principal(runtime: Runtime, authorization: str | None) -> Principal | None:
    """Who sends this Authorization header, or None when it is missing or not valid: for a hot
    path answered before routing, which leaves every other case to `current_principal`."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return None
    try:
        return await principal_for(runtime, token)
    except Problem:  # unknown, expired, or its user gone: the app gives the answer
        return None


def token_cache(runtime: Runtime) -> TokenCache:
    cache = runtime.extras.get(_CACHE_KEY)
    if not isinstance(cache, TokenCache):
        cache = TokenCache(timedelta(seconds=runtime.settings.token_cache_seconds))
        runtime.extras[_CACHE_KEY] = cache
    return cache


async def current_operator(
    principal: Annotated[Principal, Depends(current_principal)],
) -> Principal:
    if not principal.has(Role.OPERATOR):
        raise Forbidden("only platform operators may do this")
    return principal


async def optional_principal(request: Request) -> Principal | None:
    """Public pages show more to those entitled; a bad token is still an error, not anonymity."""
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated()
    return await current_principal(request, token)


CurrentUser = Annotated[Principal, Depends(current_principal)]
CurrentOperator = Annotated[Principal, Depends(current_operator)]
BearerToken = Annotated[str, Depends(bearer_token)]
MaybeUser = Annotated[Principal | None, Depends(optional_principal)]
