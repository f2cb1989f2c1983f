"""Reads of the store on worker threads, so that the event loop never waits on SQLite.

The event loop of ``roverops up`` also releases the DSN's packets on time and acknowledges
MQTT messages; a history read of 10,000 samples, with the formatting of its answer, would hold
it for tens of milliseconds. Here each worker thread has its own **read-only** connection: in
WAL mode a reader sees the last commit and neither waits for the writer nor holds it up, and a
reader that tried to write would fail. Writes stay on the store's own connection, on the loop,
where the delivery guarantees need them (a packet's effect and its key in one commit before
the acknowledgement; see :mod:`ground.transactions`).

Each read is one statement run to its end (autocommit), so a reader never holds a snapshot
open between reads and never keeps the WAL from being checkpointed.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

WORKERS = 2  # so a long read does not hold up a short one; more would only contend for the GIL


class ReadPool:
    """A dedicated executor whose threads each read through a connection of their own. The
    threads start at the first read, so a store that is never read from starts none."""

    def __init__(self, path: Path, workers: int = WORKERS) -> None:
        self._uri = path.resolve().as_uri() + "?mode=ro"
        self._workers = workers
        self._executor: ThreadPoolExecutor | None = None
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._closed = False

    async def run(self, read: Callable[[sqlite3.Connection], T]) -> T:
        """``read(connection)`` on a worker thread, awaited."""
        if self._closed:
            raise RuntimeError("the store is closed")
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self._workers, thread_name_prefix="ground-read")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, lambda: read(self._connection()))

    def _connection(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            # Used by this thread only; check_same_thread is off so that close() may close it.
            db = sqlite3.connect(self._uri, uri=True, isolation_level=None,
                                 check_same_thread=False)
            db.execute("PRAGMA query_only=1")
            self._local.db = db
            with self._lock:
                self._connections.append(db)
        return db

    def close(self) -> None:
        """Wait for the reads under way, then close every reader's connection."""
        self._closed = True
        if self._executor is not None:
            self._executor.shutdown(wait=True)
        with self._lock:
            connections, self._connections = self._connections, []
        for db in connections:
            db.close()
