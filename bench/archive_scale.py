"""The archive at mission scale: sols of 1 Hz housekeeping for one rover, then how fast a ground
starts and answers on it, and what it costs on disk.

Builds a store of ``--sols`` sols (default 90, Zhurong's primary mission) of housekeeping for
Zhurong, every channel of the dictionary once a second (``--dictionary-periods``: at the
dictionary's own periods instead), through the store's bulk insert
(``Store.add_housekeeping_many``: the rows and packing of the ingest's ``add_housekeeping``,
one statement for many packets). Then it measures:

- start-up: a real ``roverops ground`` on that data dir (and a Mosquitto), from the process's
  start to the first answer of ``GET /api/v1/health``; beside it, the same on an empty data dir
  (Python's imports and the app, the floor) and after a ground was SIGKILLed mid-ingest (the
  WAL it left replayed at the open);
- latest values: ``Store.latest_samples`` as the ingest calls it at start-up, on a store just
  opened;
- history: 2,000 samples of one channel at the start, middle and end of the mission
  (``Store.samples`` over a time range), and as the API reads them (off the loop, with their
  times formatted); and the ground's HTTP answer for the newest 2,000 and 10,000;
- size on disk, bytes per sample, beside format 1 (a row per sample) built for ``--format1-sols``
  sols, whose move to format 2 at the open is timed too.

    .venv/bin/python bench/archive_scale.py [--sols 90] [--format1-sols 1] [--keep DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ground.archive import Packet, us
from ground.segment import STORE_FILE
from ground.store import Store
from roverops.broker import free_port
from spacelink.dictionary import DICTIONARY, HousekeepingStructure, Value
from tests.support.mosquitto import Mosquitto

SOL_S = 1.0274912517 * 86_400  # a mean solar day on Mars (Mars24)
ROVER = "zhurong"
CHANNEL = "odometer_m"
OWLT_US = 600_000_000  # ground time: rover time plus ten minutes of light
TOKEN = "bench-token-0123456789"
HISTORY = 2000
CHUNK_S = 3600  # packets of one structure written per statement
REPEATS = 7
STARTS = 5  # ground processes started, on each data dir


def value_maker(structure: HousekeepingStructure) -> Callable[[int], dict[str, Value]]:
    """The values of a structure's k-th packet: exact in their types, cheap to make."""
    def enum(choices: tuple[str, ...]) -> Callable[[int], Value]:
        return lambda k: choices[k % len(choices)]

    def f32(offset: int) -> Callable[[int], Value]:
        return lambda k: (k % 4_000_000) * 0.25 + offset

    def counter(offset: int) -> Callable[[int], Value]:
        return lambda k: (k + offset) % 65_536

    makers: list[tuple[str, Callable[[int], Value]]] = []
    for index, channel in enumerate(structure.channels):
        choices = channel.field.choices
        make = (enum(choices) if choices else
                f32(index) if channel.field.type == "f32" else counter(index))
        makers.append((channel.name, make))
    return lambda k: {name: make(k) for name, make in makers}


def periods(dictionary_periods: bool) -> list[tuple[HousekeepingStructure, int]]:
    return [(s, round(s.period_s) if dictionary_periods else 1) for s in DICTIONARY.housekeeping]


def build(path: Path, start_us: int, seconds: int, dictionary_periods: bool) -> int:
    """The archive, written through the store; the number of samples."""
    store = Store(path)
    samples = 0
    try:
        for structure, period in periods(dictionary_periods):
            make = value_maker(structure)
            for chunk in range(0, seconds, CHUNK_S):
                ks = range(chunk, min(seconds, chunk + CHUNK_S), period)
                packets: list[Packet] = [
                    (start_us + k * 1_000_000, start_us + k * 1_000_000 + OWLT_US + k % 977,
                     k % 16_384, make(k)) for k in ks]
                store.add_housekeeping_many(ROVER, structure, packets)
                samples += len(packets) * len(structure.channels)
    finally:
        store.close()
    return samples


def format_1(path: Path, start_us: int, seconds: int, dictionary_periods: bool) -> int:
    """A store as format 1 wrote it: a row per sample, a packet's rows together."""
    db = sqlite3.connect(path)
    db.executescript("""
        PRAGMA journal_mode=WAL;
        CREATE TABLE samples (rover TEXT NOT NULL, channel TEXT NOT NULL, value,
                              rover_time REAL NOT NULL, ground_time REAL NOT NULL);
        CREATE INDEX samples_channel ON samples (rover, channel, rover_time);
    """)
    rows = 0
    makers = [(s, p, value_maker(s)) for s, p in periods(dictionary_periods)]
    db.execute("BEGIN")
    for k in range(seconds):
        t = start_us + k * 1_000_000
        for _structure, period, make in makers:
            if k % period == 0:
                batch = [(ROVER, name, value, t / 1e6, (t + OWLT_US + k % 977) / 1e6)
                         for name, value in make(k).items()]
                db.executemany("INSERT INTO samples VALUES (?, ?, ?, ?, ?)", batch)
                rows += len(batch)
    db.execute("COMMIT")
    db.close()
    return rows


def disk_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.exists())


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def median_ms(action: Callable[[], object], repeats: int = REPEATS) -> tuple[float, float]:
    """(first, median of the rest) in milliseconds."""
    first = timed(action) * 1000
    return first, statistics.median(timed(action) * 1000 for _ in range(repeats))


def ms(x: float) -> str:
    return f"{x:.2f} ms"


class Ground:
    """``roverops ground`` on a data dir; start-up timed to its first health answer."""

    def __init__(self, data_dir: Path, broker: Mosquitto) -> None:
        self.data_dir = data_dir
        self.broker = broker
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> float:
        """Seconds from the process's start to its first healthy answer."""
        started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "roverops.cli", "ground", "--mqtt", str(self.broker.url),
             "--http-port", str(self.port), "--data-dir", str(self.data_dir)],
            env={**os.environ, "ROVEROPS_TOKEN": TOKEN, "PYTHONUNBUFFERED": "1"},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        url = f"http://127.0.0.1:{self.port}/api/v1/health"
        while True:
            if self.process.poll() is not None:
                raise RuntimeError("roverops ground exited: "
                                   + (self.process.stderr.read().decode()[-2000:]
                                      if self.process.stderr else ""))
            try:
                health = httpx.get(url, timeout=30).json()
            except httpx.TransportError:
                time.sleep(0.002)  # not listening yet
                continue
            if health["status"] == "ok":
                return time.perf_counter() - started

    def get(self, path: str, **params: int) -> tuple[float, httpx.Response]:
        started = time.perf_counter()
        answer = httpx.get(f"http://127.0.0.1:{self.port}/api/v1{path}", params=params,
                           headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)
        answer.raise_for_status()
        return time.perf_counter() - started, answer

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(30)
        if self.process is not None and self.process.stderr is not None:
            self.process.stderr.close()


def crash_mid_ingest(path: Path, start_us: int, seconds: int) -> None:
    """A ground killed while ingesting: an hour of packets, one commit each as the ingest makes
    them (its memory, its accounting, the samples), then SIGKILL, leaving its WAL."""
    code = f"""
import os, signal, sys
from pathlib import Path
sys.path.insert(0, {str(Path(__file__).resolve().parent.parent)!r})
from bench.archive_scale import value_maker, ROVER, OWLT_US
from ground.downlink import DownlinkAccount
from ground.store import Store
from spacelink.dictionary import DICTIONARY
store = Store(Path({str(path)!r}))
account = DownlinkAccount()
for k in range({seconds}, {seconds + 3600}):
    t = {start_us} + k * 1_000_000
    for s in DICTIONARY.housekeeping:
        with store.transaction():
            store.remember_packet(ROVER, 0x0C8, k % 16384, t)
            account = account.arrived(k % 16384, t)
            store.put_downlink(ROVER, account)
            store.add_housekeeping(ROVER, s, value_maker(s)(k), t, t + OWLT_US, k % 16384)
os.kill(os.getpid(), signal.SIGKILL)
"""
    subprocess.run([sys.executable, "-c", code], check=False)


async def off_loop_ms(store: Store, since: datetime, until: datetime) -> list[float]:
    results = []
    for _ in range(REPEATS + 1):
        started = time.perf_counter()
        got = await store.off_loop.samples(ROVER, CHANNEL, since, HISTORY, until)
        results.append((time.perf_counter() - started) * 1000)
        assert len(got) == HISTORY
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sols", type=float, default=90.0)
    parser.add_argument("--format1-sols", type=float, default=1.0)
    parser.add_argument("--dictionary-periods", action="store_true",
                        help="each structure at its period in the dictionary, not all at 1 Hz")
    parser.add_argument("--keep", type=Path, help="build in this directory and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="roverops-archive-") as tmp:
        run(Path(args.keep or tmp), args.sols, args.format1_sols, args.dictionary_periods)


def run(directory: Path, sols: float, format1_sols: float, dictionary_periods: bool) -> None:
    seconds = int(sols * SOL_S)
    data_dir = directory / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / STORE_FILE
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(seconds=seconds + 7200)
    start_us = us(start)
    rate = "every channel at 1 Hz" if not dictionary_periods else "the dictionary's periods"
    print(f"archive: {sols:g} sols ({seconds:,} s) of housekeeping for {ROVER}, {rate}",
          flush=True)
    build_s = -time.perf_counter()
    samples = build(path, start_us, seconds, dictionary_periods)
    build_s += time.perf_counter()
    size = disk_bytes(path)
    db = sqlite3.connect(path)
    table = db.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = 'hk_packets'").fetchone()[0]
    packets = db.execute("SELECT COUNT(*) FROM hk_packets").fetchone()[0]
    db.close()
    print(f"  built in {build_s:.0f} s: {samples:,} samples in {packets:,} packets "
          f"({samples / build_s / 1e6:.2f} M samples/s through the store)")
    print(f"  on disk: {size / 2**20:,.0f} MiB, {size / samples:.2f} B per sample "
          f"(hk_packets alone {table / samples:.2f} B; {table / packets:.1f} B per packet)")

    # ---------------------------------------------------------------- in process
    store_open: list[float] = []
    latest: list[float] = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        store = Store(path)
        opened = time.perf_counter()
        values = store.latest_samples(ROVER)
        done = time.perf_counter()
        store.close()
        assert len(values) == len(DICTIONARY.channels), values
        store_open.append((opened - started) * 1000)
        latest.append((done - opened) * 1000)
    print(f"  store open: median {ms(statistics.median(store_open))}; latest values of "
          f"{len(DICTIONARY.channels)} channels at start-up: median "
          f"{ms(statistics.median(latest))}, max {ms(max(latest))}")

    store = Store(path)
    window = timedelta(seconds=HISTORY)
    marks = {"start": start, "middle": start + timedelta(seconds=seconds // 2),
             "end": start + timedelta(seconds=seconds) - window}
    make = value_maker(DICTIONARY.housekeeping[0])
    for name, since in marks.items():
        until = since + window
        got = store.samples(ROVER, CHANNEL, since, HISTORY, until)
        k = (us(since) - start_us) // 1_000_000
        assert len(got) == HISTORY, (name, len(got))
        assert got[0].value == make(k)[CHANNEL], (name, got[0])
        first, median = median_ms(partial(store.samples, ROVER, CHANNEL, since, HISTORY, until))
        off = asyncio.run(off_loop_ms(store, since, until))
        print(f"  history, {HISTORY:,} samples at the {name}: first {ms(first)}, median "
              f"{ms(median)}; off the loop with times formatted (the API's read): median "
              f"{ms(statistics.median(off[1:]))}")
    store.close()

    # ---------------------------------------------------------------- roverops ground
    broker = Mosquitto(directory / "broker")
    broker.start()
    try:
        empty = Ground(directory / "empty", broker)
        floor = [empty.start()]
        empty.stop()
        floor += [_restart(empty) for _ in range(STARTS - 1)]
        ground = Ground(data_dir, broker)
        starts = [ground.start()]
        _, answer = ground.get(f"/rovers/{ROVER}/telemetry")
        assert len(answer.json()["channels"]) == len(DICTIONARY.channels)
        http = {n: statistics.median(ground.get(f"/rovers/{ROVER}/telemetry/{CHANNEL}",
                                                limit=n)[0] for _ in range(5)) * 1000
                for n in (HISTORY, 10_000)}
        ground.stop()
        starts += [_restart(ground) for _ in range(STARTS - 1)]
        print(f"  roverops ground, start to healthy API: {_spread(starts)} "
              f"(empty data dir: {_spread(floor)})")
        print(f"  GET /telemetry/{CHANNEL}: limit={HISTORY:,} {ms(http[HISTORY])}, "
              f"limit=10,000 {ms(http[10_000])} (median of 5, end to end over HTTP)")
        crash_mid_ingest(path, start_us, seconds)
        wal = Path(f"{path}-wal")
        wal_mib = wal.stat().st_size / 2**20 if wal.exists() else 0.0
        after_kill = ground.start()
        ground.stop()
        print(f"  after a SIGKILL mid-ingest (WAL left: {wal_mib:.1f} MiB): start to healthy "
              f"API {after_kill:.2f} s")
    finally:
        broker.stop()

    # ---------------------------------------------------------------- format 1, for comparison
    old_seconds = int(format1_sols * SOL_S)
    old = directory / "format1.sqlite3"
    for stale in (old, Path(f"{old}-wal"), Path(f"{old}-shm")):
        stale.unlink(missing_ok=True)
    old_samples = format_1(old, start_us, old_seconds, dictionary_periods)
    old_size = disk_bytes(old)
    db = sqlite3.connect(old)
    scan = timed(lambda: db.execute("SELECT channel, value, MAX(rover_time), ground_time "
                                    "FROM samples WHERE rover = ? GROUP BY channel",
                                    (ROVER,)).fetchall())
    db.close()
    print(f"format 1, {format1_sols:g} sol(s), {old_samples:,} samples: {old_size / 2**20:,.0f} "
          f"MiB, {old_size / old_samples:.2f} B per sample; its latest-values scan "
          f"{scan * 1000:.0f} ms ({scan / old_samples * 1e9:.0f} ns a sample: "
          f"{scan / old_samples * samples:.1f} s at {samples:,})")
    moved = timed(lambda: Store(old).close())
    print(f"  moved to format 2 at the open in {moved:.1f} s "
          f"({old_samples / moved / 1e6:.2f} M samples/s): {disk_bytes(old) / 2**20:,.1f} MiB, "
          f"{disk_bytes(old) / old_samples:.2f} B per sample")


def _restart(ground: Ground) -> float:
    took = ground.start()
    ground.stop()
    return took


def _spread(values: list[float]) -> str:
    return f"median {statistics.median(values):.2f} s (of {len(values)}: " + ", ".join(
        f"{v:.2f}" for v in values) + ")"


if __name__ == "__main__":
    main()
