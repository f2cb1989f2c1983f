"""The DSN relay: carries packets between Earth and Mars topics, each held for the light time.

``rovers/+/earth/tc`` goes to ``rovers/{id}/mars/tc`` and ``rovers/+/mars/tm`` to
``rovers/{id}/earth/tm``, each packet released ``OWLT(t) / scale`` wall seconds after its
moment of transmission ``t``, in order, QoS 1. The link state is published retained on
``roverops/link`` (a :class:`~spacelink.control.LinkState`). With a journal, what is in flight
survives a restart: a packet is journalled before the bus acknowledges it to the broker, and
leaves the journal once the broker acknowledged its release.

Timing. A packet's moment of transmission is when it reached the relay (when it came off the
socket, if the bus says; else when the relay takes it). Releases ring a
wall-clock alarm (:mod:`deepspace.timer`: a timerfd on Linux, so the event loop wakes at the
instant, not at the next millisecond), and a bus that can take a message without a task
(``publish_soon``, as :class:`roverops.mqtt.MqttBus` does) writes it to the socket in that same
callback. Packets taken in one loop turn are journalled in one commit; on a bus whose
subscriptions can :meth:`~roverops.mqtt.Subscription.defer` their acknowledgement, each is
acknowledged to the broker once that commit is done (otherwise the relay commits each packet
before it asks for the next, which acknowledges it).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from deepspace.delay_line import DelayLine, Held
from deepspace.journal import Journal
from deepspace.timer import Alarm
from spacelink import topics
from spacelink.bus import Bus
from spacelink.clock import MissionClock
from spacelink.control import LINK_STATE_PERIOD_S, LinkState
from spacelink.lighttime import LightTimeModel

log = logging.getLogger(__name__)

# Releases handed to the bus but not yet acknowledged by the broker. Not waiting for each
# PUBACK keeps release times exact at telemetry rates; the bound stops a broker outage from
# piling up messages in the bus (what is not released yet waits on its delay line, in order).
MAX_UNACKNOWLEDGED = 10_000
# A release is due when the clock is this close to it: the alarm may ring a hair early.
DUE_TOLERANCE_S = 2e-6
# Deletions from the journal wait at most this long for a commit to ride along with.
DELETE_FLUSH_S = 0.05


@runtime_checkable
class PublishesAtOnce(Protocol):
    """A bus that takes a message synchronously, in call order (``MqttBus`` does)."""

    def publish_soon(self, topic: str, payload: bytes, *, retain: bool = False,
                     qos: int = 1) -> asyncio.Future[None]: ...


@runtime_checkable
class Defers(Protocol):
    """A subscription that can acknowledge the message taken last later, and tells when it
    arrived (``MqttBus``'s)."""

    def defer(self) -> Callable[[], None]: ...

    @property
    def arrived(self) -> float: ...


@dataclass
class DsnCounters:
    received: int = 0
    delivered: int = 0
    dropped: int = 0
    recovered: int = 0  # taken from the journal of a previous run


class Dsn:
    """One delay line per direction; one task receives per direction, an alarm releases."""

    def __init__(self, bus: Bus, model: LightTimeModel, light_time_spec: str,
                 clock: Callable[[], MissionClock], wall: Callable[[], float] = time.time,
                 journal: Journal | None = None) -> None:
        self._bus = bus
        # Queued and written in the alarm's own callback, when the bus can (no task, no turn).
        self._publish_soon = bus.publish_soon if isinstance(bus, PublishesAtOnce) else None
        self._journal = journal
        self._model = model
        self._spec = light_time_spec
        self._clock = clock
        self._wall = wall
        self._lines = {"uplink": DelayLine(), "downlink": DelayLine()}
        self._alarm: Alarm | None = None
        self._alarm_at: float | None = None
        self._unacknowledged = 0
        self._sending: set[asyncio.Future[None]] = set()  # futures (or tasks) of releases
        self._commit_pending = False
        self._after_commit: list[Callable[[], None]] = []  # acknowledgements to the broker
        self._delete_flush: asyncio.TimerHandle | None = None
        self.counters = DsnCounters()

    @property
    def in_flight(self) -> int:
        return sum(len(line) for line in self._lines.values())

    async def run(self) -> None:
        """Relay until cancelled; the link is announced open only once we listen.

        Everything alive when it starts (modules, the ephemeris, the recovered packets) is
        frozen out of the garbage collector's way first: a full collection then walks only
        what came after, and does not hold a release up for tens of milliseconds.
        """
        self._recover()
        gc.collect()
        gc.freeze()
        self._alarm = Alarm(self._release_due)
        try:
            self._arm()
            async with asyncio.TaskGroup() as tasks:
                # Listening starts first: the bus sends the "open" state only after these
                # subscriptions are live, so the ground never radiates into a deaf link.
                tasks.create_task(self._receive(topics.EARTH_TC_ALL, "uplink"),
                                  name="dsn-uplink-rx")
                tasks.create_task(self._receive(topics.MARS_TM_ALL, "downlink"),
                                  name="dsn-downlink-rx")
                tasks.create_task(self._publish_link_state(), name="dsn-link-state")
        finally:
            self._alarm.close()
            self._alarm = None
            if self._delete_flush is not None:
                self._delete_flush.cancel()
            self._commit()  # what was taken is handled: committed, then acknowledged

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

    # -- taking packets -------------------------------------------------------------------

    async def _receive(self, topic_filter: str, direction: str) -> None:
        line = self._lines[direction]
        journal = self._journal
        subscription = self._bus.subscribe(topic_filter)
        stamped = subscription if isinstance(subscription, Defers) else None
        async for message in subscription:
            target = topics.across_the_link(message.topic)
            if target is None or message.retain:
                self.counters.dropped += 1
                continue
            self.counters.received += 1
            # Transmitted when it reached us: when it came off the socket, if the bus knows.
            release = self.release_time(self._wall() if stamped is None else stamped.arrived)
            key = 0
            if journal is not None:
                key = journal.add(direction, release, target, message.payload)
                if stamped is not None:  # acknowledged once the turn's commit is done
                    self._after_commit.append(stamped.defer())
                    self._commit_soon()
                else:  # asking for the next message acknowledges this one: commit first
                    journal.commit()
            line.put(release, target, message.payload, key)
            if self._alarm_at is None or release < self._alarm_at:
                self._arm()

    def _commit_soon(self) -> None:
        if not self._commit_pending:
            self._commit_pending = True
            asyncio.get_running_loop().call_soon(self._commit)

    def _commit(self) -> None:
        """One commit for every packet taken this turn, then their acknowledgements."""
        self._commit_pending = False
        if self._journal is not None:
            self._journal.commit()
        acknowledgements, self._after_commit = self._after_commit, []
        for acknowledge in acknowledgements:
            acknowledge()

    # -- releasing them -------------------------------------------------------------------

    def _arm(self) -> None:
        """Set the alarm for the earliest release waiting (none: disarm)."""
        if self._alarm is None:
            return
        heads = [r for line in self._lines.values() if (r := line.next_release()) is not None]
        if not heads or self._unacknowledged >= MAX_UNACKNOWLEDGED:
            self._alarm_at = None
            self._alarm.cancel()  # an acknowledgement re-arms it
            return
        self._alarm_at = min(heads)
        self._alarm.set(self._alarm_at)

    def _release_due(self) -> None:
        """The alarm rang: hand every packet now due to the bus, in order, then re-arm."""
        now = self._wall() + DUE_TOLERANCE_S
        for line in self._lines.values():
            while self._unacknowledged < MAX_UNACKNOWLEDGED:
                held = line.pop_due(now)
                if held is None:
                    break
                self._send(held)
        self._arm()

    def _send(self, held: Held) -> None:
        sending: asyncio.Future[None]
        if self._publish_soon is not None:
            sending = self._publish_soon(held.topic, held.payload, qos=1)
        else:  # the task starts in creation order, so the bus queues them in order
            sending = asyncio.ensure_future(self._bus.publish(held.topic, held.payload, qos=1))
        self._unacknowledged += 1
        self._sending.add(sending)
        sending.add_done_callback(self._acknowledged(held.key))

    def _acknowledged(self, key: int) -> Callable[[asyncio.Future[None]], None]:
        def done(sending: asyncio.Future[None]) -> None:
            self._sending.discard(sending)
            self._unacknowledged -= 1
            if self._unacknowledged == MAX_UNACKNOWLEDGED - 1:
                self._arm()  # releases were held back by the bound
            if sending.cancelled():  # stopping: it stays in the journal, for the next run
                return
            if (error := sending.exception()) is not None:
                self.counters.dropped += 1
                kept = "; it stays in the journal" if self._journal is not None else ""
                log.error("DSN could not hand a packet to the broker: %s%s", error, kept)
                return
            self.counters.delivered += 1
            if self._journal is not None:
                self._journal.delivered(key)
                if self._delete_flush is None:
                    self._delete_flush = asyncio.get_running_loop().call_later(
                        DELETE_FLUSH_S, self._flush_deletions)

        return done

    def _flush_deletions(self) -> None:
        self._delete_flush = None
        if self._journal is not None and self._journal.deletions_waiting:
            self._commit_soon()

    # -- the link's state -----------------------------------------------------------------

    async def close_link(self) -> None:
        """Say the link is closed (retained), as a clean stop; the last will says it otherwise."""
        await self._bus.publish(topics.LINK, LinkState.closed().to_json(), retain=True)

    async def _publish_link_state(self) -> None:
        while True:
            state = LinkState.measure(self._model, self._spec, self._clock(), self._wall(),
                                      self.in_flight)
            await self._bus.publish(topics.LINK, state.to_json(), retain=True)
            await asyncio.sleep(LINK_STATE_PERIOD_S)

