"""The DSN relay: carries packets between Earth and Mars topics, each held for the light time.

``rovers/+/earth/tc`` goes to ``rovers/{id}/mars/tc`` and ``rovers/+/mars/tm`` to
``rovers/{id}/earth/tm``, each packet released ``OWLT(t) / scale`` wall seconds after its
moment of transmission ``t``, in order, QoS 1. The link state is published retained on
``roverops/link`` (a :class:`~spacelink.control.LinkState`). With a journal, what is in flight
survives a restart: a packet is journalled before the bus acknowledges it to the broker (the
receive loop asks for the next message only then), and leaves the journal once the broker
acknowledged its release.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from deepspace.delay_line import DelayLine
from deepspace.journal import Journal
from spacelink import topics
from spacelink.bus import Bus
from spacelink.clock import MissionClock
from spacelink.control import LINK_STATE_PERIOD_S, LinkState
from spacelink.lighttime import LightTimeModel

log = logging.getLogger(__name__)

# Releases handed to the bus but not yet acknowledged by the broker. Not waiting for each
# PUBACK keeps release times exact at telemetry rates; the bound stops a broker outage from
# piling up tasks (the bus holds the messages themselves, in order).
MAX_UNACKNOWLEDGED = 10_000
# The event loop wakes timers late by the OS timer granularity (about 5 ms on a idle virtual
# machine, almost nothing on a busy loop): learn by how much, wake that early, and yield for
# the rest. Capped so a stalled loop cannot teach us to spin for long.
MAX_WAKE_EARLY_S = 0.010


@dataclass
class DsnCounters:
    received: int = 0
    delivered: int = 0
    dropped: int = 0
    recovered: int = 0  # taken from the journal of a previous run


class Dsn:
    """One delay line per direction; one task receives, one delivers per direction."""

    def __init__(self, bus: Bus, model: LightTimeModel, light_time_spec: str,
                 clock: Callable[[], MissionClock], wall: Callable[[], float] = time.time,
                 journal: Journal | None = None) -> None:
        self._bus = bus
        self._journal = journal
        self._model = model
        self._spec = light_time_spec
        self._clock = clock
        self._wall = wall
        self._lines = {"uplink": DelayLine(), "downlink": DelayLine()}
        self._wake = {name: asyncio.Event() for name in self._lines}
        self.counters = DsnCounters()

    @property
    def in_flight(self) -> int:
        return sum(len(line) for line in self._lines.values())

    async def run(self) -> None:
        """Relay until cancelled; the link is announced open only once we listen."""
        self._recover()
        async with asyncio.TaskGroup() as tasks:
            # Listening starts first: the bus sends the "open" state only after these
            # subscriptions are live, so the ground never radiates into a deaf link.
            tasks.create_task(self._receive(topics.EARTH_TC_ALL, "uplink"), name="dsn-uplink-rx")
            tasks.create_task(self._receive(topics.MARS_TM_ALL, "downlink"), name="dsn-downlink-rx")
            tasks.create_task(self._deliver("uplink"), name="dsn-uplink-tx")
            tasks.create_task(self._deliver("downlink"), name="dsn-downlink-tx")
            tasks.create_task(self._publish_link_state(), name="dsn-link-state")

    def _recover(self) -> None:
        """What a previous run took and never delivered goes first, at its own release time."""
        if self._journal is None:
            return
        for item in self._journal.pending():
            self._lines[item.direction].put(item.release, item.topic, item.payload, item.key)
            self.counters.recovered += 1
        if self.counters.recovered:
            log.info("DSN recovered %d packets in flight from its journal",
                     self.counters.recovered)

    def release_time(self, wall: float) -> float:
        clock = self._clock()
        return wall + clock.wall_seconds(self._model.owlt(clock.mission(wall)))

    async def _receive(self, topic_filter: str, direction: str) -> None:
        line, wake = self._lines[direction], self._wake[direction]
        async for message in self._bus.subscribe(topic_filter):
            target = topics.across_the_link(message.topic)
            if target is None or message.retain:
                self.counters.dropped += 1
                continue
            self.counters.received += 1
            release = self.release_time(self._wall())
            key = (0 if self._journal is None
                   else self._journal.add(direction, release, target, message.payload))
            line.put(release, target, message.payload, key)
            wake.set()

    async def _deliver(self, direction: str) -> None:
        line, wake = self._lines[direction], self._wake[direction]
        unacknowledged: set[asyncio.Task[None]] = set()
        wake_early = 0.0
        while True:
            release = line.next_release()
            if release is None:
                wake.clear()
                await wake.wait()
                continue
            # The head of a FIFO cannot change, so no new packet can need us sooner.
            delay = release - self._wall()
            if delay > wake_early:
                await asyncio.sleep(delay - wake_early)
                late = self._wall() - (release - wake_early)
                wake_early = min(MAX_WAKE_EARLY_S, 0.8 * wake_early + 0.2 * max(0.0, late))
            while self._wall() < release:  # noqa: ASYNC110 (a few ms at most; see above)
                await asyncio.sleep(0)
            held = line.pop_due(self._wall())
            if held is None:
                continue
            if len(unacknowledged) >= MAX_UNACKNOWLEDGED:
                await asyncio.wait(unacknowledged, return_when=asyncio.FIRST_COMPLETED)
            # The bus queues it at once, in call order; the task only waits for the PUBACK.
            sending = asyncio.create_task(self._bus.publish(held.topic, held.payload, qos=1))
            unacknowledged.add(sending)
            sending.add_done_callback(self._acknowledged(unacknowledged, held.key))

    def _acknowledged(self, unacknowledged: set[asyncio.Task[None]], key: int
                      ) -> Callable[[asyncio.Task[None]], None]:
        def done(task: asyncio.Task[None]) -> None:
            unacknowledged.discard(task)
            if task.cancelled():  # stopping: it stays in the journal, for the next run
                return
            if (error := task.exception()) is not None:
                self.counters.dropped += 1
                kept = "; it stays in the journal" if self._journal is not None else ""
                log.error("DSN could not hand a packet to the broker: %s%s", error, kept)
                return
            self.counters.delivered += 1
            if self._journal is not None:
                self._journal.delivered(key)

        return done

    async def close_link(self) -> None:
        """Say the link is closed (retained), as a clean stop; the last will says it otherwise."""
        await self._bus.publish(topics.LINK, LinkState.closed().to_json(), retain=True)

    async def _publish_link_state(self) -> None:
        while True:
            state = LinkState.measure(self._model, self._spec, self._clock(), self._wall(),
                                      self.in_flight)
            await self._bus.publish(topics.LINK, state.to_json(), retain=True)
            await asyncio.sleep(LINK_STATE_PERIOD_S)
