"""The housekeeping archive: one row per housekeeping packet, its values packed as the packet
carried them, under a layout stored beside them.

Format 2 of the store (``PRAGMA user_version``). Format 1 kept a row per sample, the rover's
and the channel's names in each, REAL times, and an index beside the table that repeated most
of the row: about 95 bytes a sample. Here a packet's values share one key, so a row of ten
values costs about what one sample did:

- ``hk_packets`` is ``WITHOUT ROWID``, keyed ``(rover, layout, rover_time, seq_count)``: the
  table is its own index, so a channel's history over a time range is one range scan of the
  primary key, and the newest packet of each layout (the latest value of each channel) is one
  descent of it. Nothing is scanned, at start-up or after, however long the mission.
- ``rover`` and ``layout`` are small integers (``archive_rovers``, ``hk_layouts``); the
  rover's time is integer microseconds (the exact key the downlink already uses); the ground's
  time is stored as its delay after the rover's (a few bytes); the values are the report's
  bytes, ``f32`` as four bytes.
- ``seq_count`` is in the key because two packets may carry the same rover time (a board whose
  clock jumped back at a reset); with it, the key is the downlink's own packet key, so the
  archive holds a packet once even if a copy comes back after the downlink forgot its key.

A layout (``hk_layouts``) names a structure's fields with their types, in order, as they were
when the packets were archived: a later dictionary that changes a structure gets a new layout,
and the old packets still read as they were written.

A sample reads back exactly as the ingest decoded it (the values are the report's own ``f32``
and integer bytes; times are exact microseconds), except that a NaN reads as ``None``, as
format 1 stored it (SQLite keeps NaN as NULL).
"""

from __future__ import annotations

import json
import logging
import math
import sqlite3
import struct
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Final

from spacelink.clock import iso
from spacelink.dictionary import STRUCT_CODES, ArgType, Dictionary, HousekeepingStructure, Value

log = logging.getLogger(__name__)

FORMAT: Final = 2  # PRAGMA user_version of a store whose archive is as described above

SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS archive_rovers (id INTEGER PRIMARY KEY, rover TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS hk_layouts (
    id INTEGER PRIMARY KEY, sid INTEGER NOT NULL,
    fields TEXT NOT NULL,  -- JSON [[name, type, choices or null], ...]: how vals is packed
    UNIQUE (sid, fields)
);
CREATE TABLE IF NOT EXISTS hk_packets (
    rover INTEGER NOT NULL,         -- archive_rovers.id
    layout INTEGER NOT NULL,        -- hk_layouts.id
    rover_time INTEGER NOT NULL,    -- the packet's time, microseconds since the Unix epoch
    seq_count INTEGER NOT NULL,     -- the packet's (negative: unknown, from format 1)
    ground_delay INTEGER NOT NULL,  -- ground time of arrival minus rover_time, microseconds
    vals BLOB NOT NULL,             -- the values, big-endian, in the layout's order and types
    PRIMARY KEY (rover, layout, rover_time, seq_count)
) WITHOUT ROWID;
"""

_UNIX_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_NO_BOUND: Final = (-(2**63), 2**63 - 1)
# Format 1 kept no sequence count: its packets get this one (negative: never a packet's own),
# and the next ones up when they share a rover time, so they keep the order they came in.
_UNKNOWN_SEQ: Final = -(2**20)


class ArchiveError(Exception):
    """A store this ground cannot use as it is; the message says what to do."""


def us(t: datetime) -> int:
    """A time as exact microseconds since the Unix epoch."""
    return (t - _UNIX_EPOCH) // timedelta(microseconds=1)


class _IsoFormat:
    """``spacelink.clock.iso`` of times in microseconds, fast: a day's date is formatted once
    (a history of thousands of samples spans a few days at most), the time of day by
    arithmetic. Equal to ``iso`` for every time (a test checks it)."""

    def __init__(self) -> None:
        self._days: dict[int, str] = {}

    def __call__(self, t_us: int) -> str:
        day, rest = divmod(t_us, 86_400_000_000)
        prefix = self._days.get(day)
        if prefix is None:
            prefix = iso(_UNIX_EPOCH + timedelta(days=day))[:11]
            self._days[day] = prefix
        seconds, micro = divmod(rest, 1_000_000)
        hours, seconds = divmod(seconds, 3600)
        minutes, seconds = divmod(seconds, 60)
        # %-formatting: half the time of the f-string here, thousands of times an answer
        return "%s%02d:%02d:%02d.%03dZ" % (prefix, hours, minutes, seconds,  # noqa: UP031
                                           micro // 1000)


@dataclass(frozen=True, slots=True)
class Sample:
    channel: str
    value: Value | None  # None: a NaN, as SQLite kept it
    rover_time: float  # seconds since the Unix epoch
    ground_time: float
    # Both times as the API shows them, when the reader formatted them (off the event loop).
    iso_times: tuple[str, str] | None = field(default=None, compare=False, repr=False)


Fields = tuple[tuple[str, ArgType, tuple[str, ...] | None], ...]
# One packet to archive: rover time and ground time in microseconds since the Unix epoch, its
# sequence count, its values as the dictionary decoded them.
Packet = tuple[int, int, int, Mapping[str, Value]]


def structure_fields(structure: HousekeepingStructure) -> Fields:
    return tuple((c.name, c.field.type, c.field.choices) for c in structure.channels)


def _convert(type_: ArgType, choices: tuple[str, ...] | None
             ) -> Callable[[int | float], Value | None]:
    """Raw ``struct`` value to the value ``Field.unpack`` gives (NaN: None)."""
    if type_ == "enum":
        names = choices or ()
        return lambda raw: names[int(raw)]
    if type_ == "bool":
        return bool
    if type_ == "f32":
        return lambda raw: None if math.isnan(raw) else float(raw)
    return int


def _raw(type_: ArgType, choices: tuple[str, ...] | None, value: Value | None) -> int | float:
    if type_ == "enum":
        return (choices or ()).index(str(value))
    if value is None:
        if type_ != "f32":
            raise ValueError("only an f32 value may be missing (a NaN)")
        return float("nan")
    if isinstance(value, str):
        raise ValueError(f"{value!r} is not a number")
    return value


@dataclass(frozen=True, slots=True)
class _Column:
    offset: int
    codec: struct.Struct
    convert: Callable[[int | float], Value | None]

    def read(self, vals: bytes) -> Value | None:
        return self.convert(self.codec.unpack_from(vals, self.offset)[0])


class Layout:
    """How one structure's values are packed in ``vals``; immutable once stored."""

    def __init__(self, layout_id: int, sid: int, fields: Fields) -> None:
        self.id = layout_id
        self.sid = sid
        self.fields = fields
        self._codec = struct.Struct(">" + "".join(STRUCT_CODES[t] for _, t, _ in fields))
        self._converts = [_convert(t, c) for _, t, c in fields]
        self.columns: dict[str, _Column] = {}
        offset = 0
        for name, type_, choices in fields:
            codec = struct.Struct(">" + STRUCT_CODES[type_])
            self.columns[name] = _Column(offset, codec, _convert(type_, choices))
            offset += codec.size

    @staticmethod
    def describe(fields: Fields) -> str:
        return json.dumps([[n, t, list(c) if c is not None else None] for n, t, c in fields],
                          separators=(",", ":"))

    @classmethod
    def parse(cls, layout_id: int, sid: int, text: str) -> Layout:
        return cls(layout_id, sid, tuple((str(n), t, tuple(c) if c is not None else None)
                                         for n, t, c in json.loads(text)))

    def pack(self, values: Mapping[str, Value | None]) -> bytes:
        """The values, every field of the layout; ``struct.error``/``ValueError`` if one does
        not fit its type."""
        return self._codec.pack(*(_raw(t, c, values[n]) for n, t, c in self.fields))

    def unpack(self, vals: bytes) -> dict[str, Value | None]:
        return {f[0]: convert(raw) for f, convert, raw
                in zip(self.fields, self._converts, self._codec.unpack(vals), strict=True)}


class Archive:
    """Writes and reads of the housekeeping archive on a connection the caller brings: the
    store's own (the event loop's), or a reader's in a worker thread.

    Its caches hold only rows that never change once committed (a rover's id, a layout), and
    take the writer's new ids only once they are committed, so one instance serves every
    thread.
    """

    def __init__(self) -> None:
        self._rover_ids: dict[str, int] = {}
        self._layout_ids: dict[tuple[int, Fields], int] = {}
        self._layouts: dict[int, Layout] = {}

    # ------------------------------------------------------------------ writing

    def add(self, db: sqlite3.Connection, after_commit: Callable[[Callable[[], None]], None],
            rover: str, structure: HousekeepingStructure, packets: Iterable[Packet]) -> None:
        """Archive packets of one structure, inside the caller's transaction. A packet already
        archived (same rover, structure, time and count) is left as it is."""
        layout = self._layout_for(db, after_commit, structure.sid, structure_fields(structure))
        rover_id = self._rover_for(db, after_commit, rover)
        db.executemany("INSERT OR IGNORE INTO hk_packets (rover, layout, rover_time, seq_count, "
                       "ground_delay, vals) VALUES (?, ?, ?, ?, ?, ?)",
                       ((rover_id, layout.id, rover_us, seq, ground_us - rover_us,
                         layout.pack(values)) for rover_us, ground_us, seq, values in packets))

    def _rover_for(self, db: sqlite3.Connection,
                   after_commit: Callable[[Callable[[], None]], None], rover: str) -> int:
        found = self._rover_ids.get(rover)
        if found is not None:
            return found
        db.execute("INSERT OR IGNORE INTO archive_rovers (rover) VALUES (?)", (rover,))
        rover_id = int(db.execute("SELECT id FROM archive_rovers WHERE rover = ?",
                                  (rover,)).fetchone()[0])

        def committed() -> None:
            self._rover_ids.setdefault(rover, rover_id)

        after_commit(committed)
        return rover_id

    def _layout_for(self, db: sqlite3.Connection,
                    after_commit: Callable[[Callable[[], None]], None], sid: int,
                    fields: Fields) -> Layout:
        found = self._layout_ids.get((sid, fields))
        if found is not None:
            return self._layouts[found]
        text = Layout.describe(fields)
        db.execute("INSERT OR IGNORE INTO hk_layouts (sid, fields) VALUES (?, ?)", (sid, text))
        layout_id = int(db.execute("SELECT id FROM hk_layouts WHERE sid = ? AND fields = ?",
                                   (sid, text)).fetchone()[0])
        layout = Layout(layout_id, sid, fields)

        def committed() -> None:
            self._layouts.setdefault(layout_id, layout)
            self._layout_ids.setdefault((sid, fields), layout_id)

        after_commit(committed)
        return layout

    # ------------------------------------------------------------------ reading

    def _rover_id(self, db: sqlite3.Connection, rover: str) -> int | None:
        found = self._rover_ids.get(rover)
        if found is None:
            row = db.execute("SELECT id FROM archive_rovers WHERE rover = ?",
                             (rover,)).fetchone()
            if row is None:
                return None
            found = self._rover_ids.setdefault(rover, int(row[0]))
        return found

    def layouts(self, db: sqlite3.Connection) -> list[Layout]:
        """Every layout stored (a handful: one per structure and dictionary version)."""
        result = []
        for layout_id, sid, text in db.execute("SELECT id, sid, fields FROM hk_layouts"):
            layout = self._layouts.get(layout_id)
            if layout is None:
                layout = self._layouts.setdefault(layout_id, Layout.parse(layout_id, sid, text))
            result.append(layout)
        return result

    def latest(self, db: sqlite3.Connection, rover: str) -> dict[str, Sample]:
        """The newest value of each channel: the newest packet of each layout, one descent of
        the primary key each."""
        rover_id = self._rover_id(db, rover)
        if rover_id is None:
            return {}
        latest: dict[str, Sample] = {}
        for layout in self.layouts(db):
            row = db.execute("SELECT rover_time, ground_delay, vals FROM hk_packets "
                             "WHERE rover = ? AND layout = ? "
                             "ORDER BY rover_time DESC, seq_count DESC LIMIT 1",
                             (rover_id, layout.id)).fetchone()
            if row is None:
                continue
            rover_us, delay, vals = row
            for name, value in layout.unpack(vals).items():
                if name not in latest or latest[name].rover_time < rover_us / 1e6:
                    latest[name] = Sample(name, value, rover_us / 1e6, (rover_us + delay) / 1e6)
        return latest

    def samples(self, db: sqlite3.Connection, rover: str, channel: str,
                since_us: int | None, until_us: int | None, limit: int,
                formatted: bool = False) -> list[Sample]:
        """The newest ``limit`` samples of a channel with ``since_us <= rover time <
        until_us``, oldest first; with ``formatted``, their times formatted for the API too."""
        rover_id = self._rover_id(db, rover)
        if rover_id is None:
            return []
        lo = _NO_BOUND[0] if since_us is None else since_us
        hi = _NO_BOUND[1] if until_us is None else until_us
        holding = [layout for layout in self.layouts(db) if channel in layout.columns]
        rows: list[tuple[int, int, bytes]] = []  # rover time, ground delay, vals
        for layout in holding:
            rows += db.execute(
                "SELECT rover_time, ground_delay, vals FROM hk_packets "
                "WHERE rover = ? AND layout = ? AND rover_time >= ? AND rover_time < ? "
                "ORDER BY rover_time DESC, seq_count DESC LIMIT ?",
                (rover_id, layout.id, lo, hi, limit)).fetchall()
        if len(holding) > 1:  # the channel moved between structures: merge, newest first
            return self._merged(db, rover_id, holding, channel, lo, hi, limit, formatted)
        if not holding:
            return []
        column = holding[0].columns[channel]
        unpack, offset, convert = column.codec.unpack_from, column.offset, column.convert
        rows.reverse()
        if formatted:
            fmt = _IsoFormat()
            return [Sample(channel, convert(unpack(v, offset)[0]), t / 1e6, (t + d) / 1e6,
                           (fmt(t), fmt(t + d))) for t, d, v in rows]
        return [Sample(channel, convert(unpack(v, offset)[0]), t / 1e6, (t + d) / 1e6)
                for t, d, v in rows]

    def _merged(self, db: sqlite3.Connection, rover_id: int, holding: list[Layout],
                channel: str, lo: int, hi: int, limit: int, formatted: bool) -> list[Sample]:
        rows: list[tuple[int, int, int, Value | None]] = []
        for layout in holding:
            read = layout.columns[channel].read
            rows.extend((t, seq, d, read(v)) for t, seq, d, v in db.execute(
                "SELECT rover_time, seq_count, ground_delay, vals FROM hk_packets "
                "WHERE rover = ? AND layout = ? AND rover_time >= ? AND rover_time < ? "
                "ORDER BY rover_time DESC, seq_count DESC LIMIT ?",
                (rover_id, layout.id, lo, hi, limit)))
        rows.sort(key=lambda r: (r[0], r[1]), reverse=True)
        del rows[limit:]
        rows.reverse()
        fmt = _IsoFormat()
        return [Sample(channel, value, t / 1e6, (t + d) / 1e6,
                       (fmt(t), fmt(t + d)) if formatted else None)
                for t, _, d, value in rows]


# ---------------------------------------------------------------------- format 1 -> 2

@dataclass
class _Packet:
    rover: str
    rover_time: float
    ground_time: float
    values: dict[int, dict[str, Value | None]] = field(default_factory=dict)  # by SID


_BATCH = 2000  # packets inserted per statement


def _packets(db: sqlite3.Connection, sids: Mapping[str, int]) -> Iterator[_Packet]:
    """Format 1's samples, in the order they were inserted, regrouped into their packets: a
    packet's samples were inserted together, with one rover time and one ground time."""
    packet = _Packet("", math.nan, math.nan)
    seen: set[str] = set()
    rows = db.execute("SELECT rover, channel, value, rover_time, ground_time FROM samples "
                      "ORDER BY rowid")
    while batch := rows.fetchmany(10_000):
        for rover, channel, value, rover_time, ground_time in batch:
            if (rover_time != packet.rover_time or ground_time != packet.ground_time
                    or rover != packet.rover or channel in seen):
                if packet.values:
                    yield packet
                packet = _Packet(rover, rover_time, ground_time)
                seen = set()
            seen.add(channel)
            sid = sids.get(channel)
            if sid is None:
                raise ArchiveError(f"the archive holds samples of {channel!r}, a channel the "
                                   f"dictionary does not have: this ground cannot move them "
                                   f"to format {FORMAT}; keep the store with the roverops that "
                                   "wrote it")
            packet.values.setdefault(sid, {})[channel] = value
    if packet.values:
        yield packet


def migrate_format_1(db: sqlite3.Connection, dictionary: Dictionary) -> int:
    """Move format 1's ``samples`` into ``hk_packets`` and drop them, inside the caller's
    transaction; the number of samples moved. A sample that the dictionary cannot place, or
    whose value its field cannot hold exactly, stops the migration (:class:`ArchiveError`)."""
    started = time.monotonic()
    about = int(db.execute("SELECT IFNULL(MAX(rowid), 0) FROM samples").fetchone()[0])
    log.warning("archive: moving about %d samples to format %d, once (a few seconds a "
                "million)", about, FORMAT)
    structures = {s.sid: s for s in dictionary.housekeeping}
    sids = {c.name: s.sid for s in dictionary.housekeeping for c in s.channels}
    archive = Archive()  # its own, discarded with the transaction if it fails

    def now(action: Callable[[], None]) -> None:
        action()

    moved = 0
    batch: list[tuple[int, int, int, int, int, bytes]] = []
    layouts: dict[tuple[int, tuple[str, ...]], Layout] = {}  # by the channels a packet holds
    for packet in _packets(db, sids):
        rover_us = round(packet.rover_time * 1e6)
        delay = round(packet.ground_time * 1e6) - rover_us
        rover_id = archive._rover_for(db, now, packet.rover)
        for sid, values in packet.values.items():
            layout = layouts.get((sid, tuple(values)))
            if layout is None:
                fields = tuple(f for f in structure_fields(structures[sid]) if f[0] in values)
                layout = archive._layout_for(db, now, sid, fields)
                layouts[sid, tuple(values)] = layout
            try:
                vals = layout.pack(values)
                exact = layout.unpack(vals) == values
            except (struct.error, ValueError) as exc:
                raise ArchiveError(f"format 1 samples {values} at {rover_us} us do not fit "
                                   f"the dictionary's types ({exc})") from exc
            if not exact:
                raise ArchiveError(f"format 1 samples {values} at {rover_us} us do not fit the "
                                   "dictionary's types exactly")
            batch.append((rover_id, layout.id, rover_us, _UNKNOWN_SEQ, delay, vals))
            moved += len(values)
        if len(batch) >= _BATCH:
            _insert_format_1(db, batch)
            batch = []
    _insert_format_1(db, batch)
    db.execute("DROP TABLE samples")
    log.warning("archive: %d samples moved to format %d in %.1f s", moved, FORMAT,
                time.monotonic() - started)
    return moved


def _insert_format_1(db: sqlite3.Connection,
                     rows: list[tuple[int, int, int, int, int, bytes]]) -> None:
    """Insert moved packets; those that share a rover time with another (a rover whose clock
    went back) take the next sequence counts up, in the order they were archived."""
    db.execute("SAVEPOINT format_1")
    try:
        db.executemany("INSERT INTO hk_packets (rover, layout, rover_time, seq_count, "
                       "ground_delay, vals) VALUES (?, ?, ?, ?, ?, ?)", rows)
    except sqlite3.IntegrityError:
        db.execute("ROLLBACK TO format_1")
        for rover, layout, rover_us, first, delay, vals in rows:
            seq = first
            while db.execute("INSERT OR IGNORE INTO hk_packets (rover, layout, rover_time, "
                             "seq_count, ground_delay, vals) VALUES (?, ?, ?, ?, ?, ?)",
                             (rover, layout, rover_us, seq, delay, vals)).rowcount == 0:
                seq += 1
    db.execute("RELEASE format_1")
