"""The ground's errors as HTTP answers, in one place: routes just call the services.

Unknown rover or command: 404. A command that has left the queue, or an idempotency key reused
for another request: 409. A request the dictionary refuses: 422 in FastAPI's validation shape,
``loc`` naming the field. The ``responses`` here document each of them in the OpenAPI, with its
body's model (:mod:`ground.api.models`).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.responses import JSONResponse

from ground.api.limits import MAX_BODY_BYTES
from ground.api.models import Message, ValidationErrors
from ground.errors import (
    CommandNotFoundError,
    IdempotencyConflictError,
    NotCancellableError,
    UnknownRoverError,
)
from spacelink.errors import ArgumentError, UnknownCommandError

Responses = dict[int | str, dict[str, Any]]

UNAUTHORIZED: Responses = {401: {
    "model": Message, "description": "No `Authorization: Bearer <token>`, or a wrong token",
    "headers": {"WWW-Authenticate": {"description": "`Bearer`", "schema": {"type": "string"}}},
}}
UNPROCESSABLE: Responses = {422: {
    "model": ValidationErrors,
    "description": "A parameter, header or body the API refuses, each `loc` naming it (a body "
                   "that is not JSON: `json_invalid`); or a "
                   f"request body over {MAX_BODY_BYTES} bytes (`loc` `[\"body\"]`, type "
                   "`too_large`), whatever the route",
}}


def not_found(what: str) -> Responses:
    return {404: {"model": Message, "description": what}}


def conflict(what: str) -> Responses:
    return {409: {"model": Message, "description": what}}


UNKNOWN_ROVER = "No rover of that id"


def install(app: FastAPI) -> None:
    @app.exception_handler(UnknownRoverError)
    @app.exception_handler(CommandNotFoundError)
    async def not_found(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status.HTTP_404_NOT_FOUND)

    @app.exception_handler(NotCancellableError)
    @app.exception_handler(IdempotencyConflictError)
    async def conflict(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status.HTTP_409_CONFLICT)

    @app.exception_handler(UnknownCommandError)
    async def unknown_command(request: Request, exc: Exception) -> JSONResponse:
        return _unprocessable(("body", "name"), str(exc), "unknown_command")

    @app.exception_handler(ArgumentError)
    async def bad_argument(request: Request, exc: ArgumentError) -> JSONResponse:
        return _unprocessable(("body", "args", exc.field), exc.reason, "invalid_argument")


def _unprocessable(loc: tuple[str, ...], msg: str, kind: str) -> JSONResponse:
    return JSONResponse({"detail": [{"loc": list(loc), "msg": msg, "type": kind}]},
                        422)  # Unprocessable Content, as FastAPI answers a bad body
