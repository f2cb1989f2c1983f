"""Downlink ingest: every TM packet from ``rovers/+/earth/tm``, parsed, archived, announced.

A packet that does not parse is counted and dropped, never a crash.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from ground.commanding import Commanding
from ground.store import Sample, Store, datetime_from
from ground.stream import Hub
from spacelink import topics
from spacelink.bus import Bus
from spacelink.clock import iso
from spacelink.dictionary import Dictionary
from spacelink.errors import PacketError
from spacelink.packets import (
    SEQ_COUNT_MODULO,
    EventReport,
    HousekeepingReport,
    PongReport,
    VerificationReport,
    decode_report,
    parse_tm,
)
from spacelink.rovers import Rover

log = logging.getLogger(__name__)


@dataclass
class IngestCounters:
    packets: int = 0
    duplicates: int = 0  # redelivered by at-least-once MQTT: archived once
    gaps: int = 0  # packets missing from the rover's TM sequence: lost on the way
    rejected: dict[str, int] = field(default_factory=dict)

    def reject(self, reason: str) -> None:
        self.rejected[reason] = self.rejected.get(reason, 0) + 1

    def to_json(self) -> dict[str, object]:
        return {"packets": self.packets, "duplicates": self.duplicates, "gaps": self.gaps,
                "rejected": dict(self.rejected)}


def sequence_step(previous: int | None, current: int) -> int:
    """How far the TM sequence count moved: 1 in order, 0 a duplicate, >1 a gap, <=0 a
    repeat (a rover restart also starts over; counted as neither loss nor duplicate)."""
    if previous is None:
        return 1
    return (current - previous) % SEQ_COUNT_MODULO


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
        self._last_seq: dict[str, int] = {}
        self.counters = {r: IngestCounters() for r in rovers}

    async def run(self, bus: Bus) -> None:
        async for message in bus.subscribe("rovers/+/earth/tm"):
            self.on_packet(topics.rover_of(message.topic), message.payload)

    def on_packet(self, rover_id: str, payload: bytes) -> None:
        rover = self._rovers.get(rover_id)
        if rover is None:
            log.warning("dropped a TM packet for unknown rover %r", rover_id)
            return
        counters = self.counters[rover_id]
        try:
            tm = parse_tm(payload)
            report = decode_report(self._dictionary, tm)
        except PacketError as exc:
            counters.reject(type(exc).__name__)
            log.warning("%s: dropped a TM packet: %s", rover_id, exc)
            return
        if tm.apid != rover.apid:
            counters.reject("wrong APID")
            return
        step = sequence_step(self._last_seq.get(rover_id), tm.seq_count)
        if step == 0:
            counters.duplicates += 1
            return
        if 1 < step < SEQ_COUNT_MODULO // 2:
            counters.gaps += step - 1
            log.warning("%s: %d TM packets missing before sequence %d", rover_id, step - 1,
                        tm.seq_count)
        self._last_seq[rover_id] = tm.seq_count
        counters.packets += 1
        ground_time = self._now()
        self.last_packet[rover_id] = ground_time
        match report:
            case VerificationReport():
                self._commanding.on_verification(rover_id, report, tm.time, ground_time)
            case HousekeepingReport(_, values):
                samples = [Sample(name, value, tm.time.timestamp(), ground_time.timestamp())
                           for name, value in values.items()]
                self._store.add_samples(rover_id, samples)
                self._latest[rover_id].update((s.channel, s) for s in samples)
                self._hub.publish("telemetry", rover_id,
                                  {"channels": {s.channel: self.sample_json(s) for s in samples}})
            case EventReport(event, values):
                record = self._store.add_event(
                    rover_id, event.name, event.severity, event.message(values), values,
                    tm.time.timestamp(), ground_time.timestamp())
                self._hub.publish("event", rover_id, record.to_json())
            case PongReport():
                pass

    def latest(self, rover: str) -> dict[str, dict[str, object]]:
        return {name: self.sample_json(s) for name, s in sorted(self._latest[rover].items())}

    def sample_json(self, sample: Sample) -> dict[str, object]:
        return {"value": sample.value, "unit": self._units.get(sample.channel),
                "rover_time": iso(datetime_from(sample.rover_time)),
                "ground_time": iso(datetime_from(sample.ground_time))}
