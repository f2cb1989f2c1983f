"""Bearer-token authentication: every route but health, and the WebSocket by ``?token=``.

Declared as an HTTP bearer scheme, so the OpenAPI document (and ``/docs``) knows it.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

_bearer = HTTPBearer(auto_error=False, description="The API token `roverops` printed at start")


class TokenCheck:
    """A FastAPI dependency comparing the bearer token in constant time."""

    def __init__(self, token: str) -> None:
        self._token = token.encode()

    def matches(self, candidate: str | None) -> bool:
        return candidate is not None and secrets.compare_digest(candidate.encode(), self._token)

    def __call__(
        self, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
    ) -> None:
        if credentials is None or not self.matches(credentials.credentials):
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing or wrong bearer token",
                                headers={"WWW-Authenticate": "Bearer"})
