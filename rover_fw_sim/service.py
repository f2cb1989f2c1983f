"""The emulated rover on the message bus: TC in on ``rovers/{id}/mars/tc``, TM out on
``rovers/{id}/mars/tm`` (QoS 1), retained presence on ``rovers/{id}/mars/status``.

Mission time follows ``clock_source`` (the retained ``roverops/clock`` when on MQTT). The one
who opens the bus sets its last will to ``offline`` and calls :meth:`RoverEmulator.announce`
on every (re)connection; :meth:`RoverEmulator.retire` says ``offline`` on a clean exit.
"""

from __future__ import annotations

import asyncio
import logging
import time

from rover_fw_sim.host import TICK_HZ, FlightHost, Wall
from rover_fw_sim.nvm import NonVolatile
from spacelink import topics
from spacelink.bus import Bus
from spacelink.clock import ClockSource, iso
from spacelink.control import Presence
from spacelink.packets import Telemetry
from spacelink.rovers import Rover

log = logging.getLogger(__name__)



class RoverEmulator:
    """The emulator on ``bus``. ``nvm`` is what the rover keeps across a reset; each
    :meth:`run` boots from it."""

    def __init__(self, bus: Bus, rover: Rover, clock_source: ClockSource, *,
                 seed: int = 0, tick_hz: float = TICK_HZ, wall: Wall = time.time,
                 nvm: NonVolatile | None = None) -> None:
        if tick_hz <= 0:
            raise ValueError(f"tick rate must be positive, got {tick_hz}")
        self.rover = rover
        self.seed = seed
        self._bus = bus
        self._clock_source = clock_source
        self._tick_hz = tick_hz
        self._wall = wall
        self._nvm = nvm
        self.host: FlightHost | None = None
        self._since: str | None = None

    def presence(self) -> Presence:
        since = self._since or iso(self._clock_source().mission(self._wall()))
        return Presence("online", self.rover.id, "emulator", since)

    @staticmethod
    def offline(rover: Rover) -> Presence:
        """Said on a clean exit, and left with the broker as the last will."""
        return Presence.offline(rover.id, "emulator")

    async def announce(self) -> None:
        await self._bus.publish(topics.mars_status(self.rover.id), self.presence().to_json(),
                                retain=True)

    async def retire(self) -> None:
        await self._bus.publish(topics.mars_status(self.rover.id),
                                self.offline(self.rover).to_json(), retain=True)

    async def run(self) -> None:
        """Serve until cancelled. ``clock_source`` must already have a clock."""
        bus = self._bus
        host = self.host = FlightHost(self.rover, self._clock_source(), seed=self.seed,
                                      wall=self._wall, nvm=self._nvm)
        self._since = iso(host.now())
        tc_topic, tm_topic = topics.mars_tc(self.rover.id), topics.mars_tm(self.rover.id)
        subscription = bus.subscribe(tc_topic)
        await self.announce()
        log.info("rover %s (emulator, seed %d) on %s", self.rover.id, self.seed, tc_topic)

        async def receive() -> None:
            async for message in subscription:
                if message.retain:  # a TC left retained would run again at every restart
                    log.warning("ignoring a retained TC on %s", message.topic)
                    continue
                host.on_tc(message.payload)

        async def send(tm: Telemetry) -> None:
            await bus.publish(tm_topic, tm.pack(), qos=1)

        name = f"rover {self.rover.id}"
        async with asyncio.TaskGroup() as tasks:
            tasks.create_task(receive(), name=f"{name}: tc")
            tasks.create_task(host.tick_forever(self._tick_hz, self._clock_source),
                              name=f"{name}: tick")
            tasks.create_task(host.send_forever(send), name=f"{name}: tm")
