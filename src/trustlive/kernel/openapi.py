"""The published contract: one set of problem+json error answers and the headers it requires.

Routers stay free of per-route `responses=`: every operation gets the errors that the kernel's
handlers and middleware can answer it with, and a `default` for the rest, all described by one
Problem schema, so a generated client can parse every answer it may meet.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

from trustlive.kernel.errors import PROBLEM_MEDIA_TYPE
from trustlive.kernel.idempotency import MAX_KEY_LENGTH

PROBLEM_REF = "#/components/schemas/Problem"

ANY_OPERATION = {
    "401": "Not logged in, or the token expired (unauthenticated)",
    "403": "Logged in, but not allowed to do this (forbidden)",
    "404": "Nothing with this id, or not visible to the caller (not-found)",
    "409": "The thing is in a state that does not allow this (the type says which)",
    "422": "The input breaks a rule; `errors` names each field (validation-failed and others)",
    "500": "Something failed on our side; nothing was changed (internal-error)",
    "503": "Busy: no database or Redis connection came free; retry (overloaded)",
}
WITH_BODY = {
    "400": "The body is not JSON, or a required header is missing (malformed-json, …)",
    "413": "The body is larger than the server accepts (payload-too-large)",
    "415": "The body is not application/json (unsupported-media-type)",
}
REQUIRED_HEADERS = {
    "idempotency-key": (
        "a fresh key (e.g. a UUID) per request: a retry with the same key and body returns the "
        "first answer and changes nothing; the same key with another body is a 422"
    ),
}


class Problem(BaseModel):
    """RFC 9457 problem details; some types add members (e.g. `errors`, `current_status`)."""

    model_config = ConfigDict(extra="allow", title="Problem")

    type: str = Field(examples=["https://trustlive.dev/problems/validation-failed"])
    title: str
    status: int
    detail: str
    instance: str
    errors: list[dict[str, Any]] | None = Field(
        None, description="validation failures: loc (where), msg (what), type (which rule)"
    )


def publish_problems(app: FastAPI) -> None:
    """Make `app.openapi()` document the shared error answers and the required headers."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        spec = generate()
        _document(spec)
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def _document(spec: dict[str, Any]) -> None:
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for operations in spec.get("paths", {}).values():
        for operation in operations.values():
            _require_headers(operation)
            has_body = "requestBody" in operation or any(
                p["name"] in REQUIRED_HEADERS for p in operation.get("parameters", [])
            )
            errors = {**ANY_OPERATION, **(WITH_BODY if has_body else {})}
            responses = operation.setdefault("responses", {})
            for status, answer in list(responses.items()):  # an operation's own, e.g. 429
                if status[0] in "45" and "content" not in answer:
                    responses[status] = _problem(answer.get("description", ""))
            for status, description in errors.items():
                responses[status] = _problem(description)
            responses["default"] = _problem("Any other failure, as problem details")
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)


def _require_headers(operation: dict[str, Any]) -> None:
    for parameter in operation.get("parameters", []):
        description = REQUIRED_HEADERS.get(parameter["name"])
        if parameter["in"] == "header" and description is not None:
            parameter["name"] = parameter["name"].title()  # Idempotency-Key, as clients send it
            parameter["required"] = True
            parameter["description"] = description
            parameter["schema"] = {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH}


def _problem(description: str) -> dict[str, Any]:
    content = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": PROBLEM_REF}}}
    return {"description": description, "content": content}
