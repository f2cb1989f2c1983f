"""The API token: from ``ROVEROPS_TOKEN``, or generated once and kept in the data dir."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from ground.errors import WeakTokenError

TOKEN_FILE = "token"
ENV = "ROVEROPS_TOKEN"
MIN_LENGTH = 8


def load_or_create(data_dir: Path) -> str:
    from_env = os.environ.get(ENV, "").strip()
    if from_env:
        return _strong(from_env, ENV)
    path = data_dir / TOKEN_FILE
    if path.is_file():
        token = path.read_text().strip()
        if token:
            return _strong(token, str(path))
    token = secrets.token_urlsafe(24)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(token + "\n")
    return token


def _strong(token: str, source: str) -> str:
    if len(token) < MIN_LENGTH:
        raise WeakTokenError(source, MIN_LENGTH)
    return token
