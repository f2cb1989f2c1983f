"""DSN delivery timing error under load, through a real Mosquitto.

Each packet carries the wall time it was transmitted; the DSN (with its journal, as deployed)
holds it for the light time; a receiver compares its arrival with the model (transmission +
OWLT). The error includes both broker hops, as an operator would see it. Prints median and
p99 at 1, 100 and 1000 packets/s.

    .venv/bin/python bench/dsn_timing.py
"""

from __future__ import annotations

import asyncio
import statistics
import struct
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from deepspace.delay_line import Held
from deepspace.journal import JOURNAL_FILE, Journal
from deepspace.relay import Dsn
from roverops.mqtt import MqttBus
from spacelink.clock import MissionClock
from spacelink.lighttime import FixedLightTime
from tests.support.mosquitto import Mosquitto

OWLT_S = 1.0
RUNS = ((1, 10.0), (100, 5.0), (1000, 5.0))  # (packets per second, seconds)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def measure(url: object, rate: int, seconds: float) -> tuple[list[float], list[float]]:
    """End-to-end errors, and the DSN's own: its hand-off to the bus minus the release time."""
    clock = MissionClock.starting_now(time.time())
    count = int(rate * seconds)
    errors: list[float] = []
    own: list[float] = []
    done = asyncio.Event()
    async with (MqttBus(url, "bench-dsn") as dsn_bus,  # type: ignore[arg-type]
                MqttBus(url, "bench-mars") as mars,  # type: ignore[arg-type]
                MqttBus(url, "bench-earth") as earth):  # type: ignore[arg-type]
        for bus in (dsn_bus, mars, earth):
            await bus.wait_connected(10)
        journal = Journal(Path(tempfile.mkdtemp()) / JOURNAL_FILE)  # as deployed
        relay = Dsn(dsn_bus, FixedLightTime(OWLT_S), f"fixed:{OWLT_S}", lambda: clock,
                    journal=journal)
        for line in relay._lines.values():  # instrument, for the bench only
            line.pop_due = _timed(line.pop_due, own)  # type: ignore[method-assign,assignment]
        dsn = asyncio.create_task(relay.run())

        async def receive() -> None:
            async for message in earth.subscribe("rovers/bench/earth/tm"):
                sent, _ = struct.unpack(">dI", message.payload[:12])
                errors.append(time.time() - (sent + OWLT_S))
                if len(errors) == count:
                    done.set()
                    return

        receiver = asyncio.create_task(receive())
        await asyncio.sleep(0.5)  # let the subscriptions settle before the clock starts
        start = time.perf_counter()
        sending = set()
        for n in range(count):
            await asyncio.sleep(max(0.0, start + n / rate - time.perf_counter()))
            payload = struct.pack(">dI", time.time(), n) + bytes(48)  # a housekeeping-sized packet
            # Like a rover's telemetry: sent on schedule, not one broker round trip at a time.
            sending.add(asyncio.create_task(mars.publish("rovers/bench/mars/tm", payload)))
        await asyncio.gather(*sending)
        await asyncio.wait_for(done.wait(), OWLT_S + 30)
        receiver.cancel()
        dsn.cancel()
    journal.close()
    return errors, own


def _timed(pop_due: Callable[[float], Held | None], lateness: list[float]
           ) -> Callable[[float], Held | None]:
    def timed(now: float) -> Held | None:
        held = pop_due(now)
        if held is not None:
            lateness.append(time.time() - held.release)
        return held

    return timed


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        broker = Mosquitto(Path(tmp))
        broker.start()
        try:
            print(f"DSN delivery timing error, ms: end to end = arrival - (transmission + "
                  f"{OWLT_S:g} s), through Mosquitto, both hops included;")
            print("DSN's own = its hand-off to the bus - the modelled release")
            print(f"{'rate/s':>8} {'packets':>8} {'e2e median':>11} {'e2e p99':>8} "
                  f"{'own median':>11} {'own p99':>8}")
            for rate, seconds in RUNS:
                errors, own = await measure(broker.url, rate, seconds)
                e2e = [e * 1000 for e in errors]
                dsn = [e * 1000 for e in own]
                print(f"{rate:>8} {len(e2e):>8} {statistics.median(e2e):>11.2f} "
                      f"{percentile(e2e, 0.99):>8.2f} {statistics.median(dsn):>11.2f} "
                      f"{percentile(dsn, 0.99):>8.2f}")
        finally:
            broker.stop()


if __name__ == "__main__":
    asyncio.run(main())
