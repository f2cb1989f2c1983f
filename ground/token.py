"""The API token: from ``ROVEROPS_TOKEN``, or generated once and kept in the data dir."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

TOKEN_FILE = "token"
ENV = "ROVEROPS_TOKEN"


def load_or_create(data_dir: Path) -> str:
    from_env = os.environ.get(ENV, "").strip()
    if from_env:
        return from_env
    path = data_dir / TOKEN_FILE
    if path.is_file():
        token = path.read_text().strip()
        if token:
            return token
    token = secrets.token_urlsafe(24)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(token + "\n")
    return token
