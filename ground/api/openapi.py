"""The API's OpenAPI document without a running ground: ``python -m ground.api.openapi``.

The app is built on services that connect nowhere (a bus that never delivers, a store in a
temporary directory), so the document is exactly what ``/openapi.json`` serves. The console's
TypeScript types are generated from it (``make api-types``; docs/api.md).
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from ground import segment
from ground.app import create_app
from spacelink.bus import Message
from spacelink.lighttime import FixedLightTime
from spacelink.rovers import ROVERS


class _Nowhere:
    """A bus that publishes nothing and delivers nothing."""

    async def publish(self, topic: str, payload: bytes, *, retain: bool = False,
                      qos: int = 1) -> None:
        return

    async def subscribe(self, *topic_filters: str, qos: int = 1) -> AsyncIterator[Message]:
        return
        yield  # an async generator that ends at once

    @property
    def connected(self) -> bool:
        return False


def document() -> dict[str, Any]:
    """The OpenAPI document of HTTP API v1."""
    with tempfile.TemporaryDirectory(prefix="roverops-openapi-") as data_dir:
        services = segment.build(_Nowhere(), Path(data_dir), ROVERS, FixedLightTime(0.0),
                                 "fixed:0", scale=1.0)
        try:
            return create_app(services, "openapi-dump").openapi()
        finally:
            services.store.close()


def main() -> None:
    json.dump(document(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
