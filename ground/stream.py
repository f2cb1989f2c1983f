"""Fan-out of live updates to WebSocket clients."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

log = logging.getLogger(__name__)

Kind = Literal["command", "telemetry", "event", "link", "rover"]
CLIENT_BACKLOG = 2000


class Hub:
    def __init__(self) -> None:
        self._clients: set[asyncio.Queue[str | None]] = set()

    @contextmanager
    def client(self) -> Iterator[asyncio.Queue[str | None]]:
        queue: asyncio.Queue[str | None] = asyncio.Queue(CLIENT_BACKLOG)
        self._clients.add(queue)
        try:
            yield queue
        finally:
            self._clients.discard(queue)

    def publish(self, kind: Kind, rover: str | None, data: object) -> None:
        text = json.dumps({"type": kind, "rover": rover, "data": data})
        for queue in list(self._clients):
            try:
                queue.put_nowait(text)
            except asyncio.QueueFull:
                # A client this far behind gets closed and resynchronises over REST on
                # reconnect; the store has everything, so nothing is lost to it.
                log.warning("closing a WebSocket client %d messages behind", CLIENT_BACKLOG)
                self._clients.discard(queue)
                queue.get_nowait()
                queue.put_nowait(None)
