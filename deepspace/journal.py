"""Packets in flight through the DSN, on disk: a DSN restart delays them but loses none.

Each packet is written when the DSN takes it (with its release time, in wall seconds) and
deleted once the broker acknowledged its delivery. A restarted DSN reloads what is left, in the
order it was taken, and releases whatever is already due at once. Commits are not synced to
the disk (WAL, ``synchronous=NORMAL``): they survive the process, which is what restarts are.
A packet delivered but not yet deleted when the process dies goes again: at-least-once, as
everywhere on the bus (the rover executes a TC once; the ground archives a TM once).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

JOURNAL_FILE = "dsn.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS in_flight (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    direction TEXT NOT NULL, release REAL NOT NULL, topic TEXT NOT NULL, payload BLOB NOT NULL
)
"""


@dataclass(frozen=True, slots=True)
class Journaled:
    key: int
    direction: str
    release: float
    topic: str
    payload: bytes


class Journal:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute(_SCHEMA)

    def close(self) -> None:
        self._db.close()

    def add(self, direction: str, release: float, topic: str, payload: bytes) -> int:
        cursor = self._db.execute(
            "INSERT INTO in_flight (direction, release, topic, payload) VALUES (?, ?, ?, ?)",
            (direction, release, topic, payload))
        return int(cursor.lastrowid or 0)

    def delivered(self, key: int) -> None:
        self._db.execute("DELETE FROM in_flight WHERE id = ?", (key,))

    def pending(self) -> list[Journaled]:
        """What a previous run took and never saw delivered, oldest first."""
        rows = self._db.execute(
            "SELECT id, direction, release, topic, payload FROM in_flight ORDER BY id")
        return [Journaled(r[0], r[1], r[2], r[3], bytes(r[4])) for r in rows]
