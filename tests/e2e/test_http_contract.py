"""What every answer carries (security headers) and what the published OpenAPI promises."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from trustlive.app import create_app
from trustlive.kernel.runtime import Runtime
from trustlive.kernel.settings import Settings

STRONG = "s" * 32


async def test_pages_carry_a_csp_whose_nonce_is_on_every_inline_script(
    client: httpx.AsyncClient,
) -> None:
    r = await client.get("/login")
    assert r.status_code == 200
    policy = r.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None
    assert "frame-ancestors 'none'" in policy
    script_src = next(d for d in policy.split("; ") if d.startswith("script-src "))
    assert script_src == f"script-src 'self' 'nonce-{nonce[1]}'"
    scripts = re.findall(r"<script([^>]*)>", r.text)
    code = [attrs for attrs in scripts if 'type="application/json"' not in attrs]  # data runs not
    inline = [attrs for attrs in code if "src=" not in attrs]
    assert inline == [f' nonce="{nonce[1]}"']
    assert " on" not in r.text.replace("onerror", "")  # no inline handlers left
    again = await client.get("/login")
    assert again.headers["content-security-policy"] != policy  # a fresh nonce per answer


@pytest.mark.parametrize("path", ["/", "/live", "/api/v1/categories", "/api/v1/nowhere"])
async def test_pages_and_api_answers_carry_the_security_headers(
    client: httpx.AsyncClient, path: str
) -> None:
    r = await client.get(path)
    assert r.headers["x-frame-options"] == "DENY"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert "strict-transport-security" not in r.headers  # plain http: HSTS would mislead


async def test_hsts_only_when_served_over_tls(runtime: Runtime) -> None:
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="https://test") as c:
        r = await c.get("/live")
    assert r.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


async def test_no_static_script_uses_an_inline_event_handler() -> None:
    from trustlive.web.rendering import STATIC_DIR

    handlers = {
        path.name: re.findall(r"\son[a-z]+=\"", path.read_text("utf-8"))
        for path in STATIC_DIR.glob("*.js")
    }
    assert {name: found for name, found in handlers.items() if found} == {}


async def test_docs_can_be_turned_off(runtime: Runtime) -> None:
    runtime.settings = runtime.settings.model_copy(update={"api_docs": False})
    transport = httpx.ASGITransport(app=create_app(runtime))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        assert (await c.get("/docs")).status_code == 404
        assert (await c.get("/redoc")).status_code == 404
        assert (await c.get("/openapi.json")).status_code == 200  # clients are built from it


@pytest.mark.parametrize(
    ("secret_key", "payment_secret", "media_secret"),
    [
        ("s" * 31, STRONG, STRONG),
        (STRONG, "短" * 10, STRONG),
        ("", STRONG, STRONG),
        (STRONG, STRONG, "m" * 31),
    ],
)
def test_production_refuses_secrets_shorter_than_32_bytes(
    secret_key: str, payment_secret: str, media_secret: str
) -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        Settings(
            environment="production",
            secret_key=secret_key,
            sandbox_payment_secret=payment_secret,
            media_hook_secret=media_secret,
        )


def test_production_refuses_the_development_media_hook_secret() -> None:
    with pytest.raises(ValueError, match="MEDIA_HOOK_SECRET"):
        Settings(environment="production", secret_key=STRONG, sandbox_payment_secret=STRONG)


def test_production_takes_secrets_of_32_bytes() -> None:
    settings = Settings(
        environment="production",
        secret_key=STRONG,
        sandbox_payment_secret="密" * 11,
        media_hook_secret=STRONG,
    )
    assert settings.secret_key == STRONG


async def test_a_405_says_which_methods_are_allowed(client: httpx.AsyncClient) -> None:
    r = await client.delete("/api/v1/orders")
    assert r.status_code == 405
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/method-not-allowed")
    assert r.headers["allow"] == "POST"


async def _spec(client: httpx.AsyncClient) -> dict[str, Any]:
    spec: dict[str, Any] = (await client.get("/openapi.json")).json()
    return spec


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [op for ops in spec["paths"].values() for op in ops.values()]


async def test_idempotency_keys_are_documented_as_required(client: httpx.AsyncClient) -> None:
    spec = await _spec(client)
    keyed = {
        op["operationId"]: p
        for op in _operations(spec)
        for p in op.get("parameters", [])
        if p["name"].lower() == "idempotency-key"
    }
    assert set(keyed) == {
        "placeOrder",
        "placeRoomOrder",
        "buyFlashSale",
        "openAftersaleRequest",
        "topUpDeposit",
    }
    for parameter in keyed.values():
        assert parameter["name"] == "Idempotency-Key"
        assert parameter["in"] == "header"
        assert parameter["required"] is True
        assert parameter["schema"] == {"type": "string", "minLength": 1, "maxLength": 200}


async def test_every_operation_documents_its_errors_as_problem_json(
    client: httpx.AsyncClient,
) -> None:
    spec = await _spec(client)
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for op in _operations(spec):
        errors = {s: r for s, r in op["responses"].items() if s[0] in "45" or s == "default"}
        expected = {"401", "403", "404", "409", "422", "500", "503", "default"}
        if "requestBody" in op:
            expected |= {"400", "413", "415"}
        assert expected <= set(errors), op["operationId"]  # an operation may name more (429)
        assert all(r["content"] == problem for r in errors.values()), op["operationId"]
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert spec["components"]["schemas"]["Problem"]["required"] == [
        "type",
        "title",
        "status",
        "detail",
        "instance",
    ]


async def test_id_patterns_exclude_zero(client: httpx.AsyncClient) -> None:
    spec = await _spec(client)
    patterns = {
        p["schema"].get("pattern")
        for op in _operations(spec)
        for p in op.get("parameters", [])
        if p["name"].endswith("_id") and p["in"] == "path"
    }
    assert patterns == {"^[1-9][0-9]{0,18}$"}
    assert re.fullmatch(patterns.pop() or "", "0") is None
    r = await client.get("/api/v1/products/0")
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
