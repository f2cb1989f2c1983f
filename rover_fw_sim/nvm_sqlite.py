"""The rover's non-volatile memory in a SQLite file (``rover-<id>.sqlite3`` in its data dir).

WAL with ``synchronous=NORMAL``: a commit is in the operating system's hands when it returns,
so it survives the process being killed (what a rover reset is here), not the machine losing
power; no fsync per TC. The file is locked for as long as it is open: two emulators on one
memory would each execute what the other remembers as done.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
from pathlib import Path
from types import TracebackType

from rover_fw_sim.nvm import Counters, Saved
from rover_fw_sim.requests import MEMORY, Remembered
from spacelink.packets import FailureCode, RequestId, Verification, VerificationReport
from spacelink.rovers import Rover

log = logging.getLogger(__name__)

LOCK_WAIT_S = 1.0  # a predecessor's lock goes with its process, killed or not

_SCHEMA = """
CREATE TABLE IF NOT EXISTS requests (
    accepted INTEGER PRIMARY KEY AUTOINCREMENT,  -- acceptance order
    apid INTEGER NOT NULL, seq_count INTEGER NOT NULL, command TEXT NOT NULL,
    final INTEGER, failure INTEGER, reason TEXT NOT NULL DEFAULT '',  -- final NULL: executing
    UNIQUE (apid, seq_count)
);
CREATE TABLE IF NOT EXISTS registers (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


def file_name(rover: Rover) -> str:
    return f"rover-{rover.id}.sqlite3"


class SqliteNvm:
    def __init__(self, path: Path, depth: int = MEMORY) -> None:
        if depth < 1:
            raise ValueError("the request memory needs at least one entry")
        self.path = path
        self._depth = depth
        self._db = _open(path)
        saved = self.recall()
        log.info("rover memory %s: %d request(s) remembered, %d unfinished", path,
                 len(saved.requests), sum(e.final is None for _, e in saved.requests))

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SqliteNvm:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def recall(self) -> Saved:
        rows = self._db.execute(
            "SELECT apid, seq_count, command, final, failure, reason FROM requests "
            "ORDER BY accepted DESC LIMIT ?", (self._depth,)).fetchall()
        requests: list[tuple[RequestId, Remembered]] = []
        for apid, seq_count, command, final, failure, reason in reversed(rows):
            rid = RequestId(apid, seq_count)
            requests.append((rid, Remembered(command, _report(rid, final, failure, reason))))
        registers = dict(self._db.execute("SELECT name, value FROM registers").fetchall())
        counters = Counters(registers.get("cmd_accepted", 0), registers.get("cmd_rejected", 0),
                            registers.get("cmd_executed", 0))
        return Saved(requests, counters, registers.get("tm_seq_count", 0))

    def remember(self, request_id: RequestId, command: str, counters: Counters) -> None:
        with self._db:  # one transaction: the id, the trim and the counters, or none of them
            self._db.execute(
                "INSERT OR REPLACE INTO requests (apid, seq_count, command) VALUES (?, ?, ?)",
                (request_id.apid, request_id.seq_count, command))
            self._db.execute(
                "DELETE FROM requests WHERE accepted NOT IN "
                "(SELECT accepted FROM requests ORDER BY accepted DESC LIMIT ?)", (self._depth,))
            self._put_counters(counters)

    def finish(self, report: VerificationReport, counters: Counters) -> None:
        with self._db:
            self._db.execute(
                "UPDATE requests SET final = ?, failure = ?, reason = ? "
                "WHERE apid = ? AND seq_count = ?",
                (int(report.kind), None if report.failure is None else int(report.failure),
                 report.reason, report.request_id.apid, report.request_id.seq_count))
            self._put_counters(counters)

    def save_counters(self, counters: Counters) -> None:
        with self._db:
            self._put_counters(counters)

    def save_tm_seq_count(self, next_seq_count: int) -> None:
        with self._db:
            self._put("tm_seq_count", next_seq_count)

    def _put_counters(self, counters: Counters) -> None:
        self._put("cmd_accepted", counters.accepted)
        self._put("cmd_rejected", counters.rejected)
        self._put("cmd_executed", counters.executed)

    def _put(self, name: str, value: int) -> None:
        self._db.execute("INSERT OR REPLACE INTO registers (name, value) VALUES (?, ?)",
                         (name, value))


def _open(path: Path) -> sqlite3.Connection:
    db: sqlite3.Connection | None = None
    try:
        db = sqlite3.connect(path, timeout=LOCK_WAIT_S)
        db.execute("PRAGMA locking_mode=EXCLUSIVE")  # held until closed
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_SCHEMA)
        db.execute("BEGIN IMMEDIATE")  # take the lock now, not at the first TC
        db.execute("COMMIT")
    except sqlite3.Error as exc:
        if db is not None:
            db.close()
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            raise OSError(errno.EBUSY,
                          f"rover memory {path} is in use by another process") from None
        raise OSError(errno.EIO, f"rover memory {path}: {exc}") from None
    return db


def _report(rid: RequestId, final: int | None, failure: int | None,
            reason: str) -> VerificationReport | None:
    if final is None:
        return None
    code = None if failure is None else FailureCode(failure)
    return VerificationReport(Verification(final), rid, None, code, reason)
