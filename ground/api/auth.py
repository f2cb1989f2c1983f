"""Bearer-token authentication: every route but health, and the WebSocket by ``?token=``."""

from __future__ import annotations

import secrets

from fastapi import HTTPException, Request, status


class TokenCheck:
    """A FastAPI dependency comparing the bearer token in constant time."""

    def __init__(self, token: str) -> None:
        self._token = token.encode()

    def matches(self, candidate: str | None) -> bool:
        return candidate is not None and secrets.compare_digest(candidate.encode(), self._token)

    def __call__(self, request: Request) -> None:
        scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not self.matches(credentials.strip()):
            raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing or wrong bearer token",
                                headers={"WWW-Authenticate": "Bearer"})
