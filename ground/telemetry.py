"""Downlink ingest: every TM packet from ``rovers/+/earth/tm``, parsed, archived, announced.

A packet that does not parse is counted and dropped, never a crash. The bus delivers at least
once, in any order a redelivery makes, so each packet is applied once by its key (rover, APID,
sequence count, packet time), remembered in the store in the same transaction as the packet's
effect (samples, event, verification report) and its accounting: a crash between the two
cannot happen, and the bus acknowledges a packet only after :meth:`TelemetryIngest.on_packet`
returned, committed. A packet already remembered is counted as a duplicate and does nothing
else. The time is in the key because the 14-bit count wraps (every few hours of telemetry)
and may start over when a rover restarts.

The memory is bounded: the last ``TM_MEMORY`` packets of each rover. A duplicate is a copy some
hop still held, unacknowledged, after passing the original on, so only the packets that
overtook the copy separate them: at most the DSN's unacknowledged releases (10,000,
``deepspace.relay.MAX_UNACKNOWLEDGED``), the broker's in-flight window (20) and what a broker
restored from its last save sends again (it saves after every change with the documented
settings). ``TM_MEMORY`` is six times the longest of these, and some fifteen hours of
telemetry whatever the time scale (the rover sends about 1.2 packets a second of its own wall
clock). The memory counts packets, not time: while a hop is down nothing passes it, so an
outage does not lengthen that run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from ground.archive import us
from ground.commanding import Commanding
from ground.downlink import DownlinkAccount
from ground.store import Sample, Store, datetime_from
from ground.stream import Hub
from spacelink import topics
from spacelink.bus import Bus
from spacelink.clock import iso
from spacelink.dictionary import Dictionary
from spacelink.errors import PacketError
from spacelink.packets import (
    EventReport,
    HousekeepingReport,
    PongReport,
    Report,
    Telemetry,
    VerificationReport,
    decode_report,
    parse_tm,
)
from spacelink.rovers import Rover

log = logging.getLogger(__name__)

TM_MEMORY = 65_536  # packets remembered per rover (four wraps of the sequence count)
PRUNE_EVERY = 1024  # packets between two prunings: the memory holds at most the sum


def packet_time_us(tm: Telemetry) -> int:
    """The packet's time as an exact key: microseconds since the Unix epoch."""
    return us(tm.time)


class TelemetryIngest:
    def __init__(self, store: Store, dictionary: Dictionary, rovers: dict[str, Rover],
                 commanding: Commanding, hub: Hub, now: Callable[[], datetime]) -> None:
        self._store = store
        self._dictionary = dictionary
        self._rovers = rovers
        self._commanding = commanding
        self._hub = hub
        self._now = now
        self._units = {c.name: c.field.unit for c in dictionary.channels}
        self._latest = {r: store.latest_samples(r) for r in rovers}
        self.last_packet: dict[str, datetime] = {}
        self.counters = {r: store.downlink(r) for r in rovers}
        self._since_prune = dict.fromkeys(rovers, 0)

    async def run(self, bus: Bus) -> None:
        async for message in bus.subscribe(topics.EARTH_TM_ALL):
            self.on_packet(topics.rover_of(message.topic), message.payload)

    def on_packet(self, rover_id: str, payload: bytes) -> None:
        """Apply one packet, committed before it returns (synchronous: the bus acknowledges
        the packet once this returns)."""
        rover = self._rovers.get(rover_id)
        if rover is None:
            log.warning("dropped a TM packet for unknown rover %r", rover_id)
            return
        try:
            tm = parse_tm(payload)
            report = decode_report(self._dictionary, tm)
        except PacketError as exc:
            log.warning("%s: dropped a TM packet: %s", rover_id, exc)
            self._account(rover_id, self.counters[rover_id].reject(type(exc).__name__))
            return
        if tm.apid != rover.apid:
            self._account(rover_id, self.counters[rover_id].reject("wrong APID"))
            return
        time_us = packet_time_us(tm)
        with self._store.transaction():
            if not self._store.remember_packet(rover_id, tm.apid, tm.seq_count, time_us):
                self._account(rover_id, self.counters[rover_id].duplicate())
                return
            before = self.counters[rover_id]
            after = before.arrived(tm.seq_count, time_us)
            if after.gaps > before.gaps:
                log.warning("%s: %d TM packets missing before sequence %d", rover_id,
                            after.gaps - before.gaps, tm.seq_count)
            self._account(rover_id, after)
            self._forget_old(rover_id)
            ground_time = self._now()

            def heard() -> None:
                self.last_packet[rover_id] = ground_time

            self._store.after_commit(heard)
            self._apply(rover_id, tm, time_us, report, ground_time)

    def _apply(self, rover_id: str, tm: Telemetry, time_us: int, report: Report,
               ground_time: datetime) -> None:
        """The packet's effect, inside the packet's transaction; announced once committed."""
        match report:
            case VerificationReport():
                self._commanding.on_verification(rover_id, report, tm.time, ground_time)
            case HousekeepingReport(structure, values):
                self._store.add_housekeeping(rover_id, structure, values, time_us,
                                             us(ground_time), tm.seq_count)
                samples = [Sample(name, value, tm.time.timestamp(), ground_time.timestamp())
                           for name, value in values.items()]
                self._store.after_commit(lambda: self._announce_samples(rover_id, samples))
            case EventReport(event, values):
                record = self._store.add_event(
                    rover_id, event.name, event.severity, event.message(values), values,
                    tm.time.timestamp(), ground_time.timestamp(), tm.seq_count)
                self._store.after_commit(
                    lambda: self._hub.publish("event", rover_id, record.to_json()))
            case PongReport():
                pass

    def _announce_samples(self, rover_id: str, samples: list[Sample]) -> None:
        """The new latest values, live; a late packet's are in the archive but not news."""
        latest = self._latest[rover_id]
        news = [s for s in samples
                if s.channel not in latest or latest[s.channel].rover_time <= s.rover_time]
        latest.update((s.channel, s) for s in news)
        if news:
            self._hub.publish("telemetry", rover_id,
                              {"channels": {s.channel: self.sample_json(s) for s in news}})

    def _account(self, rover_id: str, account: DownlinkAccount) -> None:
        """Store the rover's accounting; the copy in memory follows once it is committed."""
        self._store.put_downlink(rover_id, account)

        def committed() -> None:
            self.counters[rover_id] = account

        self._store.after_commit(committed)

    def _forget_old(self, rover_id: str) -> None:
        if self._since_prune[rover_id] % PRUNE_EVERY == 0:
            self._store.forget_packets(rover_id, TM_MEMORY)
        self._since_prune[rover_id] += 1

    def latest(self, rover: str) -> dict[str, dict[str, object]]:
        return {name: self.sample_json(s) for name, s in sorted(self._latest[rover].items())}

    def sample_json(self, sample: Sample) -> dict[str, object]:
        if sample.iso_times is None:
            rover_time, ground_time = (iso(datetime_from(sample.rover_time)),
                                       iso(datetime_from(sample.ground_time)))
        else:  # formatted where it was read, off the event loop
            rover_time, ground_time = sample.iso_times
        return {"value": sample.value, "unit": self._units.get(sample.channel),
                "rover_time": rover_time, "ground_time": ground_time}
