"""Packets in flight through the DSN, on disk: a DSN restart delays them but loses none.

Each packet is written when the DSN takes it (with its release time, in wall seconds) and
deleted once the broker acknowledged its delivery. A restarted DSN reloads what is left, in the
order it was taken, and releases whatever is already due at once. Commits are not synced to
the disk (WAL, ``synchronous=NORMAL``): they survive the process, which is what restarts are.
A packet delivered but not yet deleted when the process dies goes again: at-least-once, as
everywhere on the bus (the rover executes a TC once; the ground archives a TM once).

Writes are grouped: :meth:`Journal.add` writes inside an open transaction that
:meth:`Journal.commit` ends, so the DSN commits once for every packet it took in a loop turn
(and acknowledges them to the broker only after that commit). Deletions wait for the next
commit, or for :meth:`Journal.flush` a moment later: a packet whose deletion a crash lost goes
again, as above. The WAL is checkpointed by a thread of the journal's own with its own
connection, so the fsync a checkpoint makes never stalls the DSN's event loop.
"""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

JOURNAL_FILE = "dsn.sqlite3"
CHECKPOINT_PERIOD_S = 1.0

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
    """Not thread-safe: one thread (the DSN's event loop) uses it; its checkpointer is apart."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA wal_autocheckpoint=0")  # the checkpointer's job
        self._db.execute(_SCHEMA)
        self._open = False  # a transaction is open
        self._deleted: list[tuple[int]] = []  # delivered, not yet deleted
        self._stop = threading.Event()
        self._checkpointer = threading.Thread(target=self._checkpoint_every_period,
                                              name="dsn-journal-checkpoint", daemon=True)
        self._checkpointer.start()

    def close(self) -> None:
        """Commit what is pending, stop the checkpointer, and close."""
        self.flush()
        self._stop.set()
        self._checkpointer.join()
        self._db.close()

    def add(self, direction: str, release: float, topic: str, payload: bytes) -> int:
        """Write a packet in the open transaction (opening one): durable once committed."""
        if not self._open:
            self._db.execute("BEGIN")
            self._open = True
        cursor = self._db.execute(
            "INSERT INTO in_flight (direction, release, topic, payload) VALUES (?, ?, ?, ?)",
            (direction, release, topic, payload))
        return int(cursor.lastrowid or 0)

    def commit(self) -> None:
        """Make every packet added so far durable (and apply the deletions waiting)."""
        if not self._open and not self._deleted:
            return
        if not self._open:
            self._db.execute("BEGIN")
            self._open = True
        if self._deleted:
            self._db.executemany("DELETE FROM in_flight WHERE id = ?", self._deleted)
            self._deleted.clear()
        self._db.execute("COMMIT")
        self._open = False

    def delivered(self, key: int) -> None:
        """The broker has the packet: delete it with the next commit (or flush)."""
        self._deleted.append((key,))

    @property
    def deletions_waiting(self) -> int:
        return len(self._deleted)

    def flush(self) -> None:
        """Commit now whatever waits, additions and deletions alike."""
        self.commit()

    def pending(self) -> list[Journaled]:
        """What a previous run took and never saw delivered, oldest first."""
        self.flush()
        rows = self._db.execute(
            "SELECT id, direction, release, topic, payload FROM in_flight ORDER BY id")
        return [Journaled(r[0], r[1], r[2], r[3], bytes(r[4])) for r in rows]

    def _checkpoint_every_period(self) -> None:
        db = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        try:
            while not self._stop.wait(CHECKPOINT_PERIOD_S):
                try:  # PASSIVE: never waits for the writer, never blocks it
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)")
                except sqlite3.OperationalError:
                    continue  # busy: next period
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # leave a small file behind
        except sqlite3.Error:
            pass  # closing anyway; the WAL is replayed at the next open
        finally:
            db.close()
