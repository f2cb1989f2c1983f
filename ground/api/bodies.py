"""How the API reads a JSON request body: strictly, so any body it cannot read is a 422.

The standard library's parser takes a ``\\udc00`` escape for a string, which then cannot be
written back as UTF-8 (a 500 when an error names it), and leaves a body that is not UTF-8, or
nested too deep, to FastAPI's bare 400. pydantic's parser refuses all three as malformed JSON,
which FastAPI answers 422 (``type`` ``json_invalid``, ``loc`` ``["body", offset]``), as it does
any other malformed body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Coroutine
from typing import Any

import pydantic_core
from fastapi import Request, Response
from fastapi.routing import APIRoute

_WHERE = re.compile(r"line (\d+) column (\d+)$")


class _StrictJsonRequest(Request):
    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            body = await self.body()
            try:
                self._json = pydantic_core.from_json(body)
            except ValueError as exc:
                text = body.decode("utf-8", "replace")
                raise json.JSONDecodeError(str(exc), text, _offset(text, str(exc))) from None
        return self._json


def _offset(text: str, message: str) -> int:
    """Where in the body the parser stopped, from its "line L column C"."""
    where = _WHERE.search(message)
    if where is None:
        return 0
    line, column = int(where[1]), int(where[2])
    lines = text.split("\n")
    return sum(len(lines[i]) + 1 for i in range(min(line - 1, len(lines)))) + column - 1


class StrictJsonRoute(APIRoute):
    """An API route whose JSON body is read by pydantic's parser (FastAPI's custom request
    class extension point)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def strict(request: Request) -> Response:
            return await handle(_StrictJsonRequest(request.scope, request.receive))

        return strict
