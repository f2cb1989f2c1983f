"""A ground on the in-memory bus with a fake clock: store, queue and ingest, no background tasks.

Tests drive it by hand (``radiate_ready``, ``check_silence``, ``on_packet``) and move the clock,
so nothing waits on wall time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ground.commanding import Commanding
from ground.store import Store
from ground.stream import Hub
from ground.telemetry import TelemetryIngest
from spacelink import topics
from spacelink.dictionary import DICTIONARY, Value
from spacelink.packets import (
    EventReport,
    HousekeepingReport,
    RequestId,
    Verification,
    VerificationReport,
    report_tm,
)
from spacelink.rovers import ZHURONG
from tests.support.memory_bus import MemoryBroker

OWLT_S = 100.0
START = datetime(2031, 5, 1, tzinfo=UTC)


@dataclass
class FakeClock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@dataclass
class Ground:
    path: Path
    broker: MemoryBroker = field(default_factory=MemoryBroker)
    clock: FakeClock = field(default_factory=FakeClock)
    link_open: bool = True

    def __post_init__(self) -> None:
        self.start()

    def start(self) -> None:
        """A ground process on the store's file: a restart when called again."""
        self.store = Store(self.path)
        self.hub = Hub()
        self.commanding = Commanding(self.store, self.broker.client(), DICTIONARY,
                                     {"zhurong": ZHURONG}, self.hub, self.clock,
                                     lambda _t: OWLT_S, lambda: self.link_open)
        self.ingest = TelemetryIngest(self.store, DICTIONARY, {"zhurong": ZHURONG},
                                      self.commanding, self.hub, self.clock)

    def restart(self) -> None:
        self.store.close()
        self.start()

    def uplinked(self) -> list[bytes]:
        """Every TC the ground put on the bus, in order."""
        return [m.payload for m in self.broker.published
                if m.topic == topics.earth_tc("zhurong")]

    def report(self, tm_seq: int, kind: Verification, command_seq: int) -> None:
        rid = RequestId(ZHURONG.apid, command_seq)
        self.ingest.on_packet("zhurong", report_tm(ZHURONG.apid, tm_seq, self.clock(),
                                                   VerificationReport(kind, rid)).pack())

    def archived_samples(self, channel: str = "odometer_m") -> int:
        return len(self.store.samples("zhurong", channel, None, 100_000))

    def archived_events(self) -> int:
        return len(self.store.events("zhurong", 100_000))


def housekeeping(seq: int, at: datetime) -> bytes:
    structure = DICTIONARY.structure(1)
    if structure is None:
        raise LookupError("no housekeeping structure 1")
    values: dict[str, Value] = {c.name: (c.field.choices[0] if c.field.choices else seq)
                                for c in structure.channels}
    return report_tm(ZHURONG.apid, seq, at, HousekeepingReport(structure, values)).pack()


def event(seq: int, at: datetime) -> bytes:
    return report_tm(ZHURONG.apid, seq, at,
                     EventReport(DICTIONARY.event_named("BOOT"), {})).pack()
