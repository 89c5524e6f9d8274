"""The one shape of every API error, how it is documented, and where numbers are bounded.

Every error under ``/api/`` answers ``{"detail": ...}``: a sentence (401, 403, 404, 409, 413,
500), or an object that names the field (``{"field", "reason"}``, for 400 and 422, with extra
keys where a route has more to say: the guard's ``findings``, a query's ``column``, every
problem of a request as ``errors``). ``document_errors`` writes that shape into the OpenAPI
document for each error an operation can answer, so clients and the fuzzer read one contract.

Numbers that reach SQL must fit a signed 64-bit column: ``bounded_numbers`` refuses an integer
path or query parameter outside that range (and a page past ``MAX_PAGE``) with a 422 naming
it, before any handler runs, for pages and API alike.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict, Field

from mentiondesk.domain.errors import InvalidInput

__all__ = [
    "MAX_DB_INT",
    "MAX_PAGE",
    "DbInt",
    "ErrorResponse",
    "FieldProblem",
    "bounded_numbers",
    "document_errors",
]

MAX_DB_INT = 2**63 - 1
MAX_PAGE = 100_000

DbInt = Annotated[int, Field(ge=-MAX_DB_INT - 1, le=MAX_DB_INT)]
"""An integer that a BIGINT column (and SQLite's INTEGER) can hold."""


class FieldProblem(BaseModel):
    """What is wrong, and where: ``field`` is a dotted path into the request."""

    model_config = ConfigDict(extra="allow")

    field: str
    reason: str


class ErrorResponse(BaseModel):
    """The body of every error the API answers."""

    detail: str | FieldProblem = Field(
        description="A sentence, or the field at fault with the reason (422 adds ``errors``)."
    )


_INTEGER = re.compile(r"[+-]?[0-9]+")
_TEXT_PATH_PARAMS = frozenset({"slug", "source"})
_ID_QUERY_PARAMS = frozenset({"page", "assignee"})


def bounded_numbers(request: Request) -> None:
    """Refuse ids a database column cannot hold before they reach a query: every path
    parameter but the textual ones, and the inbox's ``page`` and ``assignee``."""
    params = [
        *((k, v) for k, v in request.path_params.items() if k not in _TEXT_PATH_PARAMS),
        *((k, v) for k, v in request.query_params.multi_items() if k in _ID_QUERY_PARAMS),
    ]
    for name, value in params:
        text = str(value).strip()
        if not _INTEGER.fullmatch(text):
            continue
        if len(text.lstrip("+-0")) > 19:
            raise InvalidInput(name, "is out of range")
        number = int(text)
        if name == "page" and not number <= MAX_PAGE:
            raise InvalidInput("page", f"must be at most {MAX_PAGE}")
        if not -MAX_DB_INT - 1 <= number <= MAX_DB_INT:
            raise InvalidInput(name, "is out of range")


_ERROR_STATUSES = ("400", "401", "403", "404", "409", "413", "422", "4XX", "5XX")
_DESCRIPTIONS = {
    "400": "Malformed request.",
    "401": "Not signed in, session expired, or a bad signature.",
    "403": "CSRF token missing, or the role may not do this.",
    "404": "No such workspace or record (or not yours).",
    "409": "Someone changed the record, or the transition is not allowed.",
    "413": "The body is too large.",
    "422": "A field is invalid; ``detail.field`` names it.",
    "4XX": "Refused.",
    "5XX": "Server error (never expected; reported to the operators).",
}


def document_errors(app: FastAPI) -> None:
    """Build the OpenAPI document once, with ``ErrorResponse`` on every error answer."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(
            title=app.title,
            version=app.version,
            description=app.description,
            routes=app.routes,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for name, definition in (
            ErrorResponse.model_json_schema(ref_template="#/components/schemas/{model}")
            .pop("$defs", {})
            .items()
        ):
            components[name] = definition
        components["ErrorResponse"] = ErrorResponse.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        components["ErrorResponse"].pop("$defs", None)
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        ref = {"$ref": "#/components/schemas/ErrorResponse"}
        for path, operations in schema.get("paths", {}).items():
            if not path.startswith("/api/"):
                continue
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status in _ERROR_STATUSES:
                    if status in ("413", "400") and status not in responses:
                        continue
                    answer = responses.setdefault(status, {"description": _DESCRIPTIONS[status]})
                    content = answer.setdefault("content", {}).setdefault("application/json", {})
                    if content.get("schema", {}).get("$ref", "").endswith("HTTPValidationError"):
                        content["schema"] = ref
                    content.setdefault("schema", ref)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
