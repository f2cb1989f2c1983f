"""The DSN on the in-memory bus: light time, order, and its journal across a restart."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from deepspace.journal import Journal
from deepspace.relay import Dsn
from spacelink import topics
from spacelink.clock import MissionClock
from spacelink.lighttime import FixedLightTime
from tests.support.memory_bus import MemoryBroker
from tests.support.waiting import wait_for

OWLT_S = 0.3


def relay(broker: MemoryBroker, journal: Journal | None = None, scale: float = 1.0) -> Dsn:
    clock = MissionClock.starting_now(time.time(), scale)
    return Dsn(broker.client(), FixedLightTime(OWLT_S), f"fixed:{OWLT_S}", lambda: clock,
               journal=journal)


async def test_packets_arrive_after_the_light_time_in_order(memory_broker: MemoryBroker) -> None:
    earth = memory_broker.client().subscribe(topics.earth_tm("zhurong"))
    running = asyncio.create_task(relay(memory_broker).run())
    try:
        await wait_for(lambda: topics.LINK in memory_broker.retained, 5, "the link open")
        sent = time.monotonic()
        for n in range(50):
            await memory_broker.client().publish(topics.mars_tm("zhurong"), bytes([n]))
        got = [(await asyncio.wait_for(anext(aiter(earth)), 5)).payload for _ in range(50)]
        assert time.monotonic() - sent >= OWLT_S
        assert got == [bytes([n]) for n in range(50)]
    finally:
        running.cancel()


async def test_a_restarted_dsn_delivers_what_was_in_flight(memory_broker: MemoryBroker,
                                                           tmp_path: Path) -> None:
    journal = Journal(tmp_path / "dsn.sqlite3")
    first = asyncio.create_task(relay(memory_broker, journal, scale=0.1).run())  # a 3 s hold
    await wait_for(lambda: topics.LINK in memory_broker.retained, 5, "the link open")
    await memory_broker.client().publish(topics.earth_tc("zhurong"), b"TC-1")
    await memory_broker.client().publish(topics.mars_tm("zhurong"), b"TM-1")
    await wait_for(lambda: len(journal.pending()) == 2, 5, "both packets journaled")
    first.cancel()  # the DSN stops with both in flight
    await asyncio.gather(first, return_exceptions=True)
    journal.close()

    reopened = Journal(tmp_path / "dsn.sqlite3")
    uplink = memory_broker.client().subscribe(topics.mars_tc("zhurong"))
    downlink = memory_broker.client().subscribe(topics.earth_tm("zhurong"))
    second = relay(memory_broker, reopened)
    running = asyncio.create_task(second.run())
    try:
        # Released at the time the first run set, not a light time after the restart.
        assert (await asyncio.wait_for(anext(aiter(uplink)), 10)).payload == b"TC-1"
        assert (await asyncio.wait_for(anext(aiter(downlink)), 10)).payload == b"TM-1"
        assert second.counters.recovered == 2
        await wait_for(lambda: reopened.pending() == [], 5, "the journal emptied")
    finally:
        running.cancel()
        reopened.close()
