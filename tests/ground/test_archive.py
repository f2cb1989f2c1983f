"""The housekeeping archive (format 2): exact round trips, ranges, layouts, reads without scans,
and the move of a format 1 store."""

from __future__ import annotations

import math
import random
import sqlite3
import struct
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ground.archive import Archive, ArchiveError, _IsoFormat, us
from ground.store import Sample, Store
from spacelink.clock import iso
from spacelink.dictionary import DICTIONARY, HousekeepingStructure, Value
from spacelink.packets import HousekeepingReport, parse_tm, report_tm
from spacelink.rovers import ZHURONG
from tests.ground.groundkit import START, Ground


def structure(sid: int) -> HousekeepingStructure:
    found = DICTIONARY.structure(sid)
    if found is None:
        raise LookupError(f"no housekeeping structure {sid}")
    return found


ESSENTIAL = structure(1)
POWER = structure(2)


def f32(x: float) -> float:
    """What an f32 channel decodes to."""
    return float(struct.unpack(">f", struct.pack(">f", x))[0])


def values_of(hk: HousekeepingStructure, n: int) -> dict[str, Value]:
    out: dict[str, Value] = {}
    for k, channel in enumerate(hk.channels):
        if channel.field.choices:
            out[channel.name] = channel.field.choices[n % len(channel.field.choices)]
        elif channel.field.type == "u16":
            out[channel.name] = (n * 7 + k) % 65536
        else:
            out[channel.name] = f32(n * 0.1 + k / 3)
    return out


def packet(seq: int, at: datetime, values: dict[str, Value] | None = None) -> bytes:
    report = HousekeepingReport(ESSENTIAL, values or values_of(ESSENTIAL, seq))
    return report_tm(ZHURONG.apid, seq, at, report).pack()


@pytest.fixture
def ground(tmp_path: Path) -> Iterator[Ground]:
    ground = Ground(tmp_path / "ground.sqlite3")
    yield ground
    ground.store.close()


def expected_json(at: datetime, ground_at: datetime, value: Value | None) -> dict[str, object]:
    return {"value": value, "rover_time": iso(at), "ground_time": iso(ground_at)}


def history_json(ground: Ground, channel: str, limit: int = 1000) -> list[dict[str, object]]:
    return [{k: v for k, v in ground.ingest.sample_json(s).items() if k != "unit"}
            for s in ground.store.samples("zhurong", channel, None, limit)]


def test_a_packet_reads_back_exactly_as_the_ingest_decoded_it(ground: Ground) -> None:
    sent = []
    for n in range(6):
        data = packet(n, START + timedelta(seconds=n, microseconds=123_457 * n))
        at = parse_tm(data).time  # CUC: 1/65536 s, to the microsecond
        ground.clock.now = at + timedelta(seconds=100, microseconds=999)
        ground.ingest.on_packet("zhurong", data)
        sent.append((at, ground.clock.now, values_of(ESSENTIAL, n)))
    live = ground.ingest.latest("zhurong")
    for channel in ("position_x_m", "mode", "cmd_accepted"):
        assert history_json(ground, channel) == [
            expected_json(at, g, values[channel]) for at, g, values in sent]
        samples = ground.store.samples("zhurong", channel, None, 10)
        assert [s.rover_time for s in samples] == [at.timestamp() for at, _, _ in sent]
        assert [s.ground_time for s in samples] == [g.timestamp() for _, g, _ in sent]
    ground.restart()
    assert ground.ingest.latest("zhurong") == live, "the latest values survive a restart"


def test_a_nan_reads_back_as_none_as_format_1_kept_it(ground: Ground) -> None:
    values = {**values_of(ESSENTIAL, 1), "speed_mps": math.nan}
    ground.ingest.on_packet("zhurong", packet(1, START, values=values))
    [sample] = ground.store.samples("zhurong", "speed_mps", None, 10)
    assert sample.value is None
    assert ground.store.latest_samples("zhurong")["speed_mps"].value is None
    assert ground.store.latest_samples("zhurong")["odometer_m"].value == values["odometer_m"]


def test_a_range_is_since_inclusive_until_exclusive_and_keeps_the_newest(ground: Ground) -> None:
    for n in range(20):
        ground.ingest.on_packet("zhurong", packet(n, START + timedelta(seconds=n)))
    since, until = START + timedelta(seconds=5), START + timedelta(seconds=15)
    got = ground.store.samples("zhurong", "cmd_executed", since, 4, until)
    assert [s.rover_time for s in got] == [(START + timedelta(seconds=n)).timestamp()
                                          for n in (11, 12, 13, 14)]
    assert len(ground.store.samples("zhurong", "cmd_executed", since, 100, until)) == 10
    assert len(ground.store.samples("zhurong", "cmd_executed", since, 100)) == 15
    assert ground.store.samples("zhurong", "battery_temp_c", None, 100) == []
    assert ground.store.samples("nobody", "cmd_executed", None, 100) == []


def test_two_packets_with_one_rover_time_are_both_kept(ground: Ground) -> None:
    ground.ingest.on_packet("zhurong", packet(3, START))
    ground.ingest.on_packet("zhurong", packet(9, START))  # a board whose clock went back
    got = ground.store.samples("zhurong", "cmd_accepted", None, 10)
    assert [s.value for s in got] == [3 * 7 + 7, 9 * 7 + 7]


def test_a_copy_the_downlink_forgot_is_archived_once(
        ground: Ground, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ground.telemetry.TM_MEMORY", 2)
    monkeypatch.setattr("ground.telemetry.PRUNE_EVERY", 1)
    first = packet(0, START)
    ground.ingest.on_packet("zhurong", first)
    for n in range(1, 6):
        ground.ingest.on_packet("zhurong", packet(n, START + timedelta(seconds=n)))
    ground.ingest.on_packet("zhurong", first)  # its key was forgotten: applied again
    assert ground.ingest.counters["zhurong"].duplicates == 0
    assert ground.archived_samples() == 6


def test_a_changed_structure_gets_a_layout_and_old_packets_read_as_written(
        ground: Ground) -> None:
    for n in range(3):
        ground.ingest.on_packet("zhurong", packet(n, START + timedelta(seconds=n)))
    # A later dictionary: the structure gains a channel in front, the others move.
    grown = HousekeepingStructure(1, "essential", 1.0,
                                  (POWER.channels[0], *ESSENTIAL.channels))
    later = START + timedelta(seconds=10)
    values = {**values_of(ESSENTIAL, 10), "solar_power_w": f32(99.5)}
    with ground.store.transaction():
        ground.store.add_housekeeping("zhurong", grown, values, us(later), us(later), 10)
    got = ground.store.samples("zhurong", "odometer_m", None, 10)
    assert [s.value for s in got] == [values_of(ESSENTIAL, n)["odometer_m"]
                                      for n in (0, 1, 2, 10)]
    assert [s.value for s in ground.store.samples("zhurong", "odometer_m", None, 2)] == [
        values_of(ESSENTIAL, 2)["odometer_m"], values_of(ESSENTIAL, 10)["odometer_m"]]
    latest = ground.store.latest_samples("zhurong")
    assert latest["solar_power_w"].value == 99.5
    assert latest["mode"].value == values["mode"]


def steps(read: Callable[[], object], db: sqlite3.Connection) -> int:
    """SQLite virtual machine instructions a read runs: a measure of rows visited."""
    count = 0

    def tick() -> int:
        nonlocal count
        count += 1
        return 0

    db.set_progress_handler(tick, 1)
    try:
        read()
    finally:
        db.set_progress_handler(None, 1)
    return count


def test_latest_values_and_a_history_do_not_grow_with_the_archive(tmp_path: Path) -> None:
    def archive_of(packets: int) -> tuple[sqlite3.Connection, Archive]:
        path = tmp_path / f"{packets}.sqlite3"
        store = Store(path)
        with store.transaction():
            for n in range(packets):
                t = us(START) + n * 1_000_000
                for hk in (ESSENTIAL, POWER):
                    store.add_housekeeping("zhurong", hk, values_of(hk, n), t, t + 5, n)
        store.close()
        return sqlite3.connect(path), Archive()

    costs = []
    for packets in (100, 10_000):
        db, archive = archive_of(packets)
        end = us(START) + packets * 1_000_000
        latest = steps(lambda: archive.latest(db, "zhurong"), db)  # noqa: B023
        history = steps(lambda: archive.samples(db, "zhurong", "odometer_m",  # noqa: B023
                                                end - 50_000_000, None, 1000), db)  # noqa: B023
        costs.append((latest, history))
        db.close()
    (small_latest, small_history), (big_latest, big_history) = costs
    assert big_latest < 2 * small_latest, "latest values scan nothing"
    assert big_history < 2 * small_history, "a history reads its range only"


def test_times_format_as_the_api_formats_them() -> None:
    fmt = _IsoFormat()
    rnd = random.Random(7)
    base = us(datetime(1970, 1, 1, tzinfo=UTC))
    ends = [us(datetime(2031, 5, 1, tzinfo=UTC)) + d for d in (-1, 0, 999, 1000, 86_399_999_999)]
    for t in [base, base - 1, *ends, *(rnd.randrange(0, 4_102_444_800_000_000)
                                       for _ in range(5000))]:
        assert fmt(t) == iso(datetime.fromtimestamp(t / 1e6, UTC)), t


# ---------------------------------------------------------------------- format 1

FORMAT_1 = """
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE samples (
    rover TEXT NOT NULL, channel TEXT NOT NULL, value,
    rover_time REAL NOT NULL, ground_time REAL NOT NULL
);
CREATE INDEX samples_channel ON samples (rover, channel, rover_time);
"""


Format1Packet = tuple[datetime, datetime, HousekeepingStructure, dict[str, Value]]


def format_1_store(path: Path, packets: list[Format1Packet],
                   extra: Sequence[tuple[str, str, object, float, float]] = ()) -> None:
    """A store as the ground before format 2 wrote it: a row a sample, a packet's together."""
    db = sqlite3.connect(path)
    db.executescript(FORMAT_1)
    db.execute("INSERT INTO settings VALUES ('held:zhurong', '1')")
    for at, ground_at, hk, values in packets:
        db.executemany("INSERT INTO samples VALUES (?, ?, ?, ?, ?)",
                       [("zhurong", c.name, values[c.name], at.timestamp(),
                         ground_at.timestamp()) for c in hk.channels])
    db.executemany("INSERT INTO samples VALUES (?, ?, ?, ?, ?)", extra)
    db.commit()
    db.close()


def format_1_history(path: Path, channel: str) -> list[tuple[object, float, float]]:
    """What the format 1 ground answered: its own query."""
    db = sqlite3.connect(path)
    try:
        rows = db.execute("SELECT value, rover_time, ground_time FROM samples WHERE rover = ? "
                          "AND channel = ? AND rover_time >= 0.0 ORDER BY rover_time DESC "
                          "LIMIT 10000", ("zhurong", channel)).fetchall()
    finally:
        db.close()
    return list(reversed(rows))


def test_a_format_1_store_is_moved_on_open_and_reads_as_before(tmp_path: Path) -> None:
    path = tmp_path / "ground.sqlite3"
    packets: list[Format1Packet] = []
    for n in range(300):
        at = START + timedelta(seconds=n, microseconds=250_001)
        packets.append((at, at + timedelta(seconds=600, microseconds=7), ESSENTIAL,
                        values_of(ESSENTIAL, n)))
        if n % 5 == 0:
            packets.append((at, at + timedelta(seconds=601), POWER, values_of(POWER, n)))
    restart = START + timedelta(seconds=299, microseconds=250_001)  # a clock that went back
    packets.append((restart, restart + timedelta(hours=2), ESSENTIAL, values_of(ESSENTIAL, 7)))
    nan_at = START + timedelta(hours=1)
    packets.append((nan_at, nan_at, ESSENTIAL, values_of(ESSENTIAL, 1)))
    format_1_store(path, packets)
    db = sqlite3.connect(path)
    db.execute("UPDATE samples SET value = NULL WHERE channel = 'speed_mps' AND rover_time = ?",
                (nan_at.timestamp(),))  # a NaN, as SQLite kept it
    db.commit()
    db.close()
    before = {c.name: format_1_history(path, c.name) for c in DICTIONARY.channels}
    size_before = path.stat().st_size

    store = Store(path)
    try:
        for channel, rows in before.items():
            got = store.samples("zhurong", channel, None, 10_000)
            assert [(s.value, s.rover_time, s.ground_time) for s in got] == rows, channel
        assert store.setting("held:zhurong") == "1", "the rest of the store is kept"
        latest = store.latest_samples("zhurong")
        assert latest["speed_mps"].value is None and latest["speed_mps"].rover_time == (
            nan_at.timestamp())
    finally:
        store.close()
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA user_version").fetchone() == (2,)
        assert db.execute("SELECT name FROM sqlite_schema WHERE name LIKE 'samples%'"
                          ).fetchall() == []
    finally:
        db.close()
    assert path.stat().st_size < size_before / 2, "format 1's pages are given back"
    Store(path).close()  # opens again without moving anything


def test_a_format_1_store_the_dictionary_cannot_place_is_refused_and_left_as_it_was(
        tmp_path: Path) -> None:
    path = tmp_path / "ground.sqlite3"
    format_1_store(path, [(START, START, ESSENTIAL, values_of(ESSENTIAL, 0))],
                  [("zhurong", "warp_factor", 9.0, START.timestamp(), START.timestamp())])
    with pytest.raises(ArchiveError, match="warp_factor"):
        Store(path)
    db = sqlite3.connect(path)
    try:
        assert db.execute("SELECT COUNT(*) FROM samples").fetchone() == (11,)
        assert db.execute("PRAGMA user_version").fetchone() == (0,)
    finally:
        db.close()


def test_a_value_its_field_cannot_hold_exactly_stops_the_move(tmp_path: Path) -> None:
    path = tmp_path / "ground.sqlite3"
    values = {**values_of(ESSENTIAL, 0), "odometer_m": 0.1}  # never an f32's decoding
    format_1_store(path, [(START, START, ESSENTIAL, values)])
    with pytest.raises(ArchiveError, match="exactly"):
        Store(path)


def test_a_store_of_a_newer_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ground.sqlite3"
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version=3")
    db.close()
    with pytest.raises(ArchiveError, match="format 3, newer than this ground's 2"):
        Store(path)


def test_sample_identity_ignores_the_formatted_times() -> None:
    assert Sample("x", 1.0, 2.0, 3.0) == Sample("x", 1.0, 2.0, 3.0, ("a", "b"))
