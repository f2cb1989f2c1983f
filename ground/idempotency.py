"""Idempotent submission: a client that lost the answer to a POST (the ground died before it
answered) sends it again with the same ``Idempotency-Key`` and gets the command the first one
created, not a second command.

The key is kept with its command, unique per rover, committed in the same synced transaction;
the request it came with is kept as a digest, so the key with a different request is refused
rather than silently answered with a command the client did not ask for.
"""

from __future__ import annotations

import hashlib
import json
from typing import Final

HEADER: Final = "Idempotency-Key"
MAX_KEY_LENGTH: Final = 128
# Printable ASCII, space included (HTTP strips it at the ends): what a header can carry as is.
KEY_PATTERN: Final = r"^[\x20-\x7E]+$"


def request_digest(name: str, args: dict[str, object]) -> str:
    """The request as sent, independent of key order and spacing."""
    canonical = json.dumps({"name": name, "args": args}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()
