"""A bridge running in-process on a real broker, and a ground-side client to talk to it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field

from hil.bridge import Bridge, BridgeConfig
from roverops import parts
from roverops.mqtt import MqttBus, MqttUrl
from spacelink import topics
from spacelink.bus import Message
from spacelink.clock import MissionClock
from spacelink.dictionary import DICTIONARY, Value
from spacelink.packets import (
    PongReport,
    Report,
    RequestId,
    Telecommand,
    Telemetry,
    VerificationReport,
    build_tc,
    decode_report,
    parse_tm,
)
from spacelink.rovers import ZHURONG
from tests.support.waiting import wait_for

TIMEOUT_S = 15.0


@dataclass
class Ground:
    """Watches mars/tm, the status and the counters; sends TCs on mars/tc."""

    bus: MqttBus
    tms: list[tuple[Telemetry, Report]] = field(default_factory=list)
    raw_tms: list[bytes] = field(default_factory=list)
    status: list[dict[str, object]] = field(default_factory=list)
    counters: dict[str, object] = field(default_factory=dict)
    seq: int = 100

    async def watch(self) -> None:
        rover = ZHURONG.id
        async for message in self.bus.subscribe(topics.mars_tm(rover), topics.mars_status(rover),
                                                topics.mars_bridge(rover)):
            self._take(message)

    def _take(self, message: Message) -> None:
        if message.topic.endswith("/tm"):
            self.raw_tms.append(message.payload)
            tm = parse_tm(message.payload)  # a corrupted packet would raise here: a failure
            self.tms.append((tm, decode_report(DICTIONARY, tm)))
        elif message.topic.endswith("/status"):
            self.status.append(json.loads(message.payload))
        else:
            self.counters = json.loads(message.payload)

    @property
    def state(self) -> object:
        return self.status[-1]["state"] if self.status else None

    def tc(self, name: str, args: dict[str, Value] | None = None) -> Telecommand:
        self.seq += 1
        command = DICTIONARY.command(name)
        return build_tc(DICTIONARY, ZHURONG.apid, self.seq, name, command.validate(args or {}))

    async def send(self, tc: Telecommand) -> RequestId:
        await self.bus.publish(topics.mars_tc(ZHURONG.id), tc.pack(), qos=1)
        return tc.request_id

    def reports(self, request_id: RequestId) -> list[str]:
        return [r.kind.name for _, r in self.tms
                if isinstance(r, VerificationReport) and r.request_id == request_id]

    def failures(self, request_id: RequestId) -> list[VerificationReport]:
        return [r for _, r in self.tms if isinstance(r, VerificationReport)
                and r.request_id == request_id and r.kind.is_failure]

    def pongs(self) -> int:
        return sum(isinstance(r, PongReport) for _, r in self.tms)

    async def until(self, predicate: Callable[[], object], what: str,
                    within: float = TIMEOUT_S) -> None:
        await wait_for(predicate, within, what)


@contextlib.asynccontextmanager
async def bridged(url: MqttUrl, config: BridgeConfig,
                  clock: MissionClock | None = None) -> AsyncIterator[tuple[Bridge, Ground]]:
    """The bridge as ``roverops bridge`` wires it, and a ground client, on the broker at
    ``url``, until the block ends."""
    async with MqttBus(url, "test-ground") as bus:
        await bus.wait_connected(TIMEOUT_S)
        clock = clock or MissionClock.starting_now(time.time(), 1.0)
        await bus.publish(topics.CLOCK, clock.to_json(), retain=True)
        ground = Ground(bus)
        async with (parts.bridge(url, config) as (bridge, running),
                    asyncio.TaskGroup() as tg):
            watching = tg.create_task(ground.watch(), name="test: ground")
            tasks = [tg.create_task(part, name=name) for name, part in running.items()]
            try:
                yield bridge, ground
            finally:
                for task in [*tasks, watching]:
                    task.cancel()
