"""The API's reads of the archive run off the event loop, and answer as before."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from datetime import timedelta
from typing import Any

import httpx
import pytest

from ground.archive import Archive
from ground.services import GroundServices
from spacelink.clock import iso
from spacelink.dictionary import DICTIONARY, Value
from spacelink.packets import EventReport, HousekeepingReport, parse_tm, report_tm
from spacelink.rovers import ZHURONG

BASE = "/api/v1/rovers/zhurong"
ESSENTIAL = DICTIONARY.housekeeping[0]
WAIT_S = 10.0  # a bound on waiting for the other thread, never a delay


def ingest(services: GroundServices, count: int) -> list[dict[str, object]]:
    """Housekeeping packets, one a second; the odometer's history as the API must answer it."""
    expected: list[dict[str, object]] = []
    start = services.link.now() - timedelta(hours=1)
    for n in range(count):
        values: dict[str, Value] = {c.name: (c.field.choices[n % 3] if c.field.choices else n)
                                    for c in ESSENTIAL.channels}
        values["odometer_m"] = n + 0.25
        data = report_tm(ZHURONG.apid, n, start + timedelta(seconds=n, microseconds=n),
                         HousekeepingReport(ESSENTIAL, values)).pack()
        services.ingest.on_packet("zhurong", data)
        live = services.ingest.latest("zhurong")["odometer_m"]  # as announced, not archived
        expected.append({"value": n + 0.25, "rover_time": iso(parse_tm(data).time),
                         "ground_time": live["ground_time"]})
    return expected


async def test_a_history_is_read_off_the_loop_and_answers_as_before(
        client: httpx.AsyncClient, services: GroundServices,
        monkeypatch: pytest.MonkeyPatch) -> None:
    expected = ingest(services, 50)
    loop_thread = threading.get_ident()
    readers: list[int] = []
    read = Archive.samples

    def spy(self: Archive, *args: Any, **kwargs: Any) -> Any:
        readers.append(threading.get_ident())
        return read(self, *args, **kwargs)

    monkeypatch.setattr(Archive, "samples", spy)
    answer = (await client.get(f"{BASE}/telemetry/odometer_m")).json()
    assert readers and loop_thread not in readers
    assert answer == {"channel": "odometer_m", "samples": expected}
    # the answer on the loop's own connection, formatted on the loop: the same
    on_loop = [{k: v for k, v in services.ingest.sample_json(s).items() if k != "unit"}
               for s in services.store.samples("zhurong", "odometer_m", None, 1000)]
    assert on_loop == expected
    since = iso(services.link.now() - timedelta(hours=1, seconds=-40))
    tail = (await client.get(f"{BASE}/telemetry/odometer_m",
                             params={"since": since, "limit": 5})).json()["samples"]
    assert tail == expected[-5:]
    # built whole off the loop, for a handler that wants nothing per sample on it
    readers.clear()
    assert await services.store.off_loop.samples_json("zhurong", "odometer_m", None,
                                                      1000) == expected
    assert readers and loop_thread not in readers


async def test_the_loop_runs_on_while_a_history_is_read(
        client: httpx.AsyncClient, services: GroundServices,
        monkeypatch: pytest.MonkeyPatch) -> None:
    ingest(services, 3)
    loop = asyncio.get_running_loop()
    reading = asyncio.Event()
    release = threading.Event()
    read = Archive.samples

    def held(self: Archive, *args: Any, **kwargs: Any) -> Any:
        loop.call_soon_threadsafe(reading.set)
        # Only the loop sets this: were the read on the loop, it would wait in vain.
        if not release.wait(WAIT_S):
            raise AssertionError("the event loop was blocked by the read")
        return read(self, *args, **kwargs)

    monkeypatch.setattr(Archive, "samples", held)
    request = asyncio.create_task(client.get(f"{BASE}/telemetry/odometer_m"))
    await asyncio.wait_for(reading.wait(), WAIT_S)
    ticks = 0
    for _ in range(3):  # the loop serves other work meanwhile
        await asyncio.sleep(0)
        ticks += 1
    assert not request.done()
    release.set()
    answer = await request
    assert ticks == 3 and answer.status_code == 200
    assert len(answer.json()["samples"]) == 3


async def test_events_are_read_off_the_loop_as_on_it(services: GroundServices) -> None:
    boot = DICTIONARY.event_named("BOOT")
    start = services.link.now()
    for n in range(5):
        services.ingest.on_packet("zhurong", report_tm(
            ZHURONG.apid, n, start + timedelta(seconds=n), EventReport(boot, {})).pack())
    threads: list[int] = []

    def which(db: sqlite3.Connection) -> int:
        threads.append(threading.get_ident())
        return 0

    await services.store.off_loop._pool.run(which)
    assert threads and threads[0] != threading.get_ident()
    off = await services.store.off_loop.events("zhurong", 3)
    assert [e.to_json() for e in off] == [e.to_json() for e in services.store.events("zhurong", 3)]
    assert [e.seq_count for e in off] == [4, 3, 2]
    assert await services.store.off_loop.events("zhurong", 10, "high") == []


async def test_a_reader_cannot_write(services: GroundServices) -> None:
    def write(db: sqlite3.Connection) -> None:
        db.execute("DELETE FROM settings")

    with pytest.raises(sqlite3.OperationalError, match=r"readonly|read-only|query_only"):
        await services.store.off_loop._pool.run(write)
    assert services.store.setting("clock") is not None


async def test_a_closed_store_reads_no_more(services: GroundServices) -> None:
    ingest(services, 2)
    assert len(await services.store.off_loop.samples("zhurong", "odometer_m", None, 10)) == 2
    services.store.close()
    with pytest.raises(RuntimeError, match="closed"):
        await services.store.off_loop.samples("zhurong", "odometer_m", None, 10)
