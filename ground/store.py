"""The ground's SQLite store: commands with their full history, telemetry, events, settings,
and the downlink's memory (packets received, the accounting).

Every write commits before it returns, so anything announced (an HTTP 201, a WebSocket message)
is already committed, and survives a crash of the process. WAL journal. A write that spans
statements is one transaction (:meth:`Store.transaction`, nestable, so a caller groups several
store calls: a TM packet's effect with the memory that it was received); an announcement made
inside one waits for its commit (:meth:`Store.after_commit`). Where a promise rests on it, the
commit is also synced to the disk (``synchronous=FULL``) and survives a crash of the machine: a
new command (its 201) with its idempotency key, a sequence count (it precedes radiation; losing
it could mean a second execution under a new count), a setting. Lifecycle transitions,
telemetry, events and the downlink's memory commit without that sync: a power cut could lose
the last of them, together (a packet's effect and its memory are one commit), and then a
command is radiated again under its own count, which the rover executes once.

Housekeeping is archived a row per packet (:mod:`ground.archive`, format 2); a store of
format 1 (a row per sample) is moved to it when opened, in one transaction. Reads that the
API answers with (a channel's history, events) can run off the event loop, on read-only
connections in worker threads (:attr:`Store.off_loop`, :mod:`ground.reads`).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ground import archive
from ground.archive import Archive, ArchiveError, Sample
from ground.downlink import DownlinkAccount
from ground.lifecycle import ACTIVE, State
from ground.reads import ReadPool
from ground.transactions import Transactions
from spacelink.clock import iso
from spacelink.dictionary import DICTIONARY, Dictionary, HousekeepingStructure, Value

__all__ = ["ArchiveError", "CommandRecord", "EventRecord", "HistoryEntry", "OffLoopReads",
           "Sample", "Store", "datetime_from"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS commands (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rover TEXT NOT NULL, name TEXT NOT NULL, args TEXT NOT NULL,
    state TEXT NOT NULL, seq_count INTEGER,
    radiated_at REAL, predicted_arrival REAL, predicted_ack REAL, deadline REAL,
    error TEXT, progress INTEGER, retransmissions INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS commands_rover ON commands (rover, id);
CREATE INDEX IF NOT EXISTS commands_state ON commands (state);
CREATE INDEX IF NOT EXISTS commands_request ON commands (rover, seq_count, id);
CREATE TABLE IF NOT EXISTS command_history (
    command_id INTEGER NOT NULL REFERENCES commands (id),
    state TEXT NOT NULL, at REAL NOT NULL, detail TEXT
);
CREATE INDEX IF NOT EXISTS history_command ON command_history (command_id);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    rover TEXT NOT NULL, name TEXT NOT NULL, severity TEXT NOT NULL,
    message TEXT NOT NULL, params TEXT NOT NULL,
    rover_time REAL NOT NULL, ground_time REAL NOT NULL, seq_count INTEGER
);
CREATE INDEX IF NOT EXISTS events_rover ON events (rover, id);
CREATE TABLE IF NOT EXISTS idempotency (
    rover TEXT NOT NULL, key TEXT NOT NULL, digest TEXT NOT NULL,
    command_id INTEGER NOT NULL REFERENCES commands (id),
    PRIMARY KEY (rover, key)
);
CREATE TABLE IF NOT EXISTS tm_received (
    id INTEGER PRIMARY KEY,
    rover TEXT NOT NULL, apid INTEGER NOT NULL, seq_count INTEGER NOT NULL,
    packet_time INTEGER NOT NULL  -- rover time, microseconds since the Unix epoch
);
CREATE UNIQUE INDEX IF NOT EXISTS tm_received_key
    ON tm_received (rover, apid, seq_count, packet_time);
CREATE INDEX IF NOT EXISTS tm_received_rover ON tm_received (rover, id);
CREATE TABLE IF NOT EXISTS downlink (rover TEXT PRIMARY KEY, account TEXT NOT NULL);
"""
# Columns added since the first release, for stores made before them.
_ADDED_COLUMNS = {"commands": {"retransmissions": "INTEGER NOT NULL DEFAULT 0"},
                  "events": {"seq_count": "INTEGER"}}


def _iso(ts: float | None) -> str | None:
    return None if ts is None else iso(datetime_from(ts))


def datetime_from(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    state: State
    at: float
    detail: str | None = None

    def to_json(self) -> dict[str, object]:
        return {"state": self.state, "at": _iso(self.at), "detail": self.detail}


@dataclass(frozen=True, slots=True)
class CommandRecord:
    id: int
    rover: str
    name: str
    args: dict[str, Value]
    state: State
    seq_count: int | None
    radiated_at: float | None
    predicted_arrival: float | None
    predicted_ack: float | None
    deadline: float | None
    error: str | None
    progress: int | None
    history: tuple[HistoryEntry, ...] = field(default=())
    retransmissions: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "rover": self.rover, "name": self.name, "args": self.args,
            "state": self.state, "history": [h.to_json() for h in self.history],
            "radiated_at": _iso(self.radiated_at),  # the latest radiation
            "predicted_arrival": _iso(self.predicted_arrival),
            "predicted_ack": _iso(self.predicted_ack),
            "error": self.error, "progress": self.progress, "seq_count": self.seq_count,
            "deadline": _iso(self.deadline), "retransmissions": self.retransmissions,
        }


@dataclass(frozen=True, slots=True)
class EventRecord:
    id: int
    rover: str
    name: str
    severity: str
    message: str
    params: dict[str, Value]
    rover_time: float
    ground_time: float
    seq_count: int | None  # of the TM packet that carried it: the event's identity

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id, "rover": self.rover, "name": self.name, "severity": self.severity,
            "message": self.message, "params": self.params,
            "rover_time": _iso(self.rover_time), "ground_time": _iso(self.ground_time),
            "seq_count": self.seq_count,
        }


_COMMAND_COLUMNS = ("id, rover, name, args, state, seq_count, radiated_at, predicted_arrival, "
                    "predicted_ack, deadline, error, progress, retransmissions")
# The WAL is truncated to this after a checkpoint: a kill then leaves little for the next
# start to replay, whatever a big transaction (a migration) once made it.
_WAL_LIMIT_BYTES = 64 * 2**20


def _events(db: sqlite3.Connection, rover: str, limit: int, severity: str | None
            ) -> list[EventRecord]:
    sql = ("SELECT id, rover, name, severity, message, params, rover_time, ground_time, "
           "seq_count FROM events WHERE rover = ?")
    params: list[Any] = [rover]
    if severity is not None:
        sql += " AND severity = ?"
        params.append(severity)
    rows = db.execute(sql + " ORDER BY id DESC LIMIT ?", [*params, limit]).fetchall()
    return [EventRecord(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6], r[7], r[8])
            for r in rows]


def _us(t: datetime | None) -> int | None:
    return None if t is None else archive.us(t)


class OffLoopReads:
    """The store's reads for the API, awaited while they run on a worker thread."""

    def __init__(self, pool: ReadPool, hk: Archive) -> None:
        self._pool = pool
        self._hk = hk

    async def samples(self, rover: str, channel: str, since: datetime | None, limit: int,
                      until: datetime | None = None) -> list[Sample]:
        """:meth:`Store.samples`, with the times already formatted for the API."""
        since_us, until_us = _us(since), _us(until)
        return await self._pool.run(lambda db: self._hk.samples(
            db, rover, channel, since_us, until_us, limit, formatted=True))

    async def samples_json(self, rover: str, channel: str, since: datetime | None, limit: int
                           ) -> list[dict[str, object]]:
        """The ``samples`` of ``GET /rovers/{rover}/telemetry/{channel}``, built whole on the
        worker thread: with it, a handler leaves nothing per sample to the loop."""
        since_us = _us(since)

        def read(db: sqlite3.Connection) -> list[dict[str, object]]:
            return [{"value": s.value, "rover_time": times[0], "ground_time": times[1]}
                    for s in self._hk.samples(db, rover, channel, since_us, None, limit,
                                              formatted=True)
                    if (times := s.iso_times) is not None]

        return await self._pool.run(read)

    async def events(self, rover: str, limit: int, severity: str | None = None
                     ) -> list[EventRecord]:
        """:meth:`Store.events`."""
        return await self._pool.run(lambda db: _events(db, rover, limit, severity))


class Store:
    def __init__(self, path: Path, dictionary: Dictionary = DICTIONARY) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(f"PRAGMA journal_size_limit={_WAL_LIMIT_BYTES}")
        self._tx = Transactions(self._db)
        self._hk = Archive()
        try:
            with self._tx.begin(synced=True):
                migrated = self._create(path, dictionary)
            if migrated:
                self._db.execute("VACUUM")  # give back format 1's pages
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except BaseException:
            self._db.close()
            raise
        self._reads = ReadPool(path)
        self.off_loop = OffLoopReads(self._reads, self._hk)

    def _create(self, path: Path, dictionary: Dictionary) -> bool:
        """Create what is missing, and move a format 1 archive to format 2; True if it did."""
        found = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        if found > archive.FORMAT:
            raise ArchiveError(f"{path} is a store of format {found}, newer than this ground's "
                               f"{archive.FORMAT}: run the roverops that wrote it")
        for statement in (_SCHEMA + archive.SCHEMA).split(";"):
            if statement.strip():
                self._db.execute(statement)
        for table, columns in _ADDED_COLUMNS.items():
            present = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
            for name, declaration in columns.items():
                if name not in present:
                    self._db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {declaration}")
        migrated = False
        if self._db.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' "
                            "AND name = 'samples'").fetchone() is not None:
            # Format 1's pages are not zeroed one by one: the VACUUM that follows drops them.
            secure = int(self._db.execute("PRAGMA secure_delete").fetchone()[0])
            self._db.execute("PRAGMA secure_delete=0")
            archive.migrate_format_1(self._db, dictionary)
            self._db.execute(f"PRAGMA secure_delete={secure}")
            migrated = True
        self._db.execute(f"PRAGMA user_version={archive.FORMAT}")
        return migrated

    def transaction(self, synced: bool = False) -> contextlib.AbstractContextManager[None]:
        """Group writes into one atomic commit (nestable; see :mod:`ground.transactions`)."""
        return self._tx.begin(synced)

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` once the writes so far are committed; never if they roll back."""
        self._tx.after_commit(action)

    def close(self) -> None:
        self._reads.close()
        self._db.close()

    def _write(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        with self.transaction():
            return self._db.execute(sql, params)

    # ------------------------------------------------------------------ settings

    def setting(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def put_setting(self, key: str, value: str) -> None:
        with self.transaction(synced=True):
            self._db.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))

    # ------------------------------------------------------------------ commands

    def add_command(self, rover: str, name: str, args: dict[str, Value], at: datetime,
                    idempotency: tuple[str, str] | None = None) -> CommandRecord:
        """Queue a command; with ``idempotency`` (key, digest of the request), remember that
        key with it, in the same synced commit."""
        with self.transaction(synced=True):
            cur = self._db.execute(
                "INSERT INTO commands (rover, name, args, state) VALUES (?, ?, ?, 'queued')",
                (rover, name, json.dumps(args)),
            )
            command_id = int(cur.lastrowid or 0)
            self._db.execute("INSERT INTO command_history (command_id, state, at) "
                             "VALUES (?, 'queued', ?)", (command_id, at.timestamp()))
            if idempotency is not None:
                self._db.execute("INSERT INTO idempotency (rover, key, digest, command_id) "
                                 "VALUES (?, ?, ?, ?)", (rover, *idempotency, command_id))
            return self._require(command_id)

    def command_for_key(self, rover: str, key: str) -> tuple[CommandRecord, str] | None:
        """The command created under an idempotency key, and the digest of its request."""
        row = self._db.execute("SELECT command_id, digest FROM idempotency "
                               "WHERE rover = ? AND key = ?", (rover, key)).fetchone()
        return None if row is None else (self._require(int(row[0])), str(row[1]))

    def assign_seq(self, command_id: int, seq_count: int, next_seq_key: str, next_seq: int
                   ) -> None:
        """Give a command its sequence count and advance the rover's counter, atomically."""
        with self.transaction(synced=True):
            self._db.execute("UPDATE commands SET seq_count = ? WHERE id = ?",
                             (seq_count, command_id))
            self._db.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                             (next_seq_key, str(next_seq)))

    def transition(self, command_id: int, state: State, at: datetime, detail: str | None = None,
                   **columns: float | int | str | None) -> CommandRecord:
        sets = ", ".join(f"{name} = ?" for name in ("state", *columns))
        with self.transaction():
            self._db.execute(f"UPDATE commands SET {sets} WHERE id = ?",
                             (state, *columns.values(), command_id))
            self._db.execute("INSERT INTO command_history (command_id, state, at, detail) "
                             "VALUES (?, ?, ?, ?)", (command_id, state, at.timestamp(), detail))
            return self._require(command_id)

    def retransmitted(self, command_id: int, at: datetime, detail: str,
                      **predictions: float) -> CommandRecord:
        """Count a retransmission, with its new predictions, in the history under the state
        the command is in (a state never moves back)."""
        sets = ", ".join(f"{name} = ?" for name in predictions)
        with self.transaction():
            self._db.execute(f"UPDATE commands SET {sets}, retransmissions = retransmissions + 1 "
                             "WHERE id = ?", (*predictions.values(), command_id))
            self._db.execute("INSERT INTO command_history (command_id, state, at, detail) "
                             "SELECT id, state, ?, ? FROM commands WHERE id = ?",
                             (at.timestamp(), detail, command_id))
            return self._require(command_id)

    def update(self, command_id: int, **columns: float | int | str | None) -> CommandRecord:
        sets = ", ".join(f"{name} = ?" for name in columns)
        with self.transaction():
            self._write(f"UPDATE commands SET {sets} WHERE id = ?",
                        (*columns.values(), command_id))
            return self._require(command_id)

    def command(self, command_id: int) -> CommandRecord | None:
        rows = self._commands("WHERE id = ?", (command_id,))
        return rows[0] if rows else None

    def _require(self, command_id: int) -> CommandRecord:
        record = self.command(command_id)
        if record is None:
            raise KeyError(command_id)
        return record

    def commands(self, rover: str, state: State | None = None, limit: int = 100
                 ) -> list[CommandRecord]:
        if state is None:
            return self._commands("WHERE rover = ? ORDER BY id DESC LIMIT ?", (rover, limit))
        return self._commands("WHERE rover = ? AND state = ? ORDER BY id DESC LIMIT ?",
                              (rover, state, limit))

    def queued(self, rover: str) -> list[CommandRecord]:
        """Waiting to be radiated, oldest first."""
        return self._commands("WHERE rover = ? AND state = 'queued' ORDER BY id", (rover,))

    def next_queued(self, rover: str) -> CommandRecord | None:
        """The oldest command waiting to be radiated."""
        rows = self._commands("WHERE rover = ? AND state = 'queued' ORDER BY id LIMIT 1",
                              (rover,))
        return rows[0] if rows else None

    def active(self) -> list[CommandRecord]:
        """Radiated and not yet in a terminal state, oldest first."""
        marks = ", ".join("?" for _ in ACTIVE)
        return self._commands(f"WHERE state IN ({marks}) ORDER BY id", tuple(ACTIVE))

    def in_flight_seqs(self, rover: str) -> list[int]:
        """The sequence counts of the rover's commands radiated and not yet ended."""
        marks = ", ".join("?" for _ in ACTIVE)
        rows = self._db.execute(
            f"SELECT seq_count FROM commands WHERE rover = ? AND state IN ({marks}) "
            "AND seq_count IS NOT NULL", (rover, *ACTIVE)).fetchall()
        return [int(r[0]) for r in rows]

    def by_request(self, rover: str, seq_count: int) -> CommandRecord | None:
        """The newest radiated command with this sequence count (counts wrap at 16384)."""
        rows = self._commands(
            "WHERE rover = ? AND seq_count = ? AND radiated_at IS NOT NULL "
            "ORDER BY id DESC LIMIT 1", (rover, seq_count))
        return rows[0] if rows else None

    def count_queued(self, rover: str) -> int:
        row = self._db.execute("SELECT COUNT(*) FROM commands WHERE rover = ? AND "
                               "state = 'queued'", (rover,)).fetchone()
        return int(row[0])

    def _commands(self, where: str, params: Sequence[Any]) -> list[CommandRecord]:
        rows = self._db.execute(f"SELECT {_COMMAND_COLUMNS} FROM commands {where}",
                                params).fetchall()
        if not rows:
            return []
        ids = [r[0] for r in rows]
        history: dict[int, list[HistoryEntry]] = {i: [] for i in ids}
        marks = ", ".join("?" for _ in ids)
        for command_id, state, at, detail in self._db.execute(
            f"SELECT command_id, state, at, detail FROM command_history "
            f"WHERE command_id IN ({marks}) ORDER BY rowid", ids
        ):
            history[command_id].append(HistoryEntry(state, at, detail))
        return [
            CommandRecord(r[0], r[1], r[2], json.loads(r[3]), r[4], r[5], r[6], r[7], r[8], r[9],
                          r[10], r[11], tuple(history[r[0]]), r[12])
            for r in rows
        ]

    # ------------------------------------------------------------------ telemetry

    def add_housekeeping(self, rover: str, structure: HousekeepingStructure,
                         values: Mapping[str, Value], rover_time_us: int, ground_time_us: int,
                         seq_count: int) -> None:
        """Archive one housekeeping packet's values (as the dictionary decoded them), with its
        times in microseconds since the Unix epoch and its sequence count."""
        self.add_housekeeping_many(rover, structure,
                                   [(rover_time_us, ground_time_us, seq_count, values)])

    def add_housekeeping_many(self, rover: str, structure: HousekeepingStructure,
                              packets: Iterable[archive.Packet]) -> None:
        """Archive many packets of one structure in one statement (an import, a bench)."""
        with self.transaction():
            self._hk.add(self._db, self.after_commit, rover, structure, packets)

    def latest_samples(self, rover: str) -> dict[str, Sample]:
        """The newest sample of each channel, by rover time (an index lookup, no scan)."""
        return self._hk.latest(self._db, rover)

    def samples(self, rover: str, channel: str, since: datetime | None, limit: int,
                until: datetime | None = None) -> list[Sample]:
        """The newest ``limit`` samples at or after ``since`` (and before ``until``), oldest
        first. On the caller's thread: the API awaits :meth:`OffLoopReads.samples`."""
        return self._hk.samples(self._db, rover, channel, _us(since), _us(until), limit)

    # ------------------------------------------------------------------ events

    def add_event(self, rover: str, name: str, severity: str, message: str,
                  params: dict[str, Value], rover_time: float, ground_time: float,
                  seq_count: int | None = None) -> EventRecord:
        cur = self._write(
            "INSERT INTO events (rover, name, severity, message, params, rover_time, "
            "ground_time, seq_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (rover, name, severity, message, json.dumps(params), rover_time, ground_time,
             seq_count))
        return EventRecord(int(cur.lastrowid or 0), rover, name, severity, message, params,
                           rover_time, ground_time, seq_count)

    def events(self, rover: str, limit: int, severity: str | None = None) -> list[EventRecord]:
        """Newest first. On the caller's thread: the API can await :meth:`OffLoopReads.events`."""
        return _events(self._db, rover, limit, severity)

    # ------------------------------------------------------------------ the downlink's memory

    def remember_packet(self, rover: str, apid: int, seq_count: int, packet_time_us: int
                        ) -> bool:
        """Remember a TM packet as received; False if it already was (a duplicate)."""
        cur = self._write("INSERT OR IGNORE INTO tm_received (rover, apid, seq_count, "
                          "packet_time) VALUES (?, ?, ?, ?)",
                          (rover, apid, seq_count, packet_time_us))
        return cur.rowcount == 1

    def forget_packets(self, rover: str, keep: int) -> None:
        """Keep only the rover's ``keep`` packets received last."""
        self._write("DELETE FROM tm_received WHERE rover = ? AND id <= (SELECT id FROM "
                    "tm_received WHERE rover = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
                    (rover, rover, keep))

    def received_packets(self, rover: str) -> int:
        row = self._db.execute("SELECT COUNT(*) FROM tm_received WHERE rover = ?",
                               (rover,)).fetchone()
        return int(row[0])

    def downlink(self, rover: str) -> DownlinkAccount:
        row = self._db.execute("SELECT account FROM downlink WHERE rover = ?",
                               (rover,)).fetchone()
        return DownlinkAccount() if row is None else DownlinkAccount.loads(str(row[0]))

    def put_downlink(self, rover: str, account: DownlinkAccount) -> None:
        self._write("INSERT INTO downlink (rover, account) VALUES (?, ?) "
                    "ON CONFLICT (rover) DO UPDATE SET account = excluded.account",
                    (rover, account.dumps()))
