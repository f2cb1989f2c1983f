"""What both I/O shells share: the flight software, its on-board clock, a steady tick and an
ordered outbox (TM leaves in the order the flight software numbered it)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import datetime

from rover_fw_sim.flight import FlightSoftware, TimeSync
from rover_fw_sim.nvm import NonVolatile, RamNvm
from spacelink.clock import MissionClock
from spacelink.packets import Telemetry
from spacelink.rovers import Rover

TICK_HZ = 10.0
Wall = Callable[[], float]


class OnboardClock:
    """Mission time as the rover knows it: the last clock it followed or was synced to."""

    def __init__(self, clock: MissionClock) -> None:
        self.clock = clock
        self._followed = clock

    def now(self, wall: float) -> datetime:
        return self.clock.mission(wall)

    def follow(self, clock: MissionClock) -> None:
        """Adopt a published clock when it changes (a SYNC_TIME holds until it does)."""
        if clock != self._followed:
            self._followed = self.clock = clock

    def sync(self, sync: TimeSync, wall: float) -> None:
        self.clock = MissionClock(sync.mission, wall, sync.scale)


class FlightHost:
    """``nvm`` is what the rover keeps across a reset (in RAM only when not given)."""

    def __init__(self, rover: Rover, clock: MissionClock, *, seed: int = 0,
                 wall: Wall = time.time, nvm: NonVolatile | None = None) -> None:
        self._wall = wall
        self._rover = rover
        self._seed = seed
        self._nvm = nvm if nvm is not None else RamNvm()
        self.clock = OnboardClock(clock)
        self.fsw = self._boot()
        self._outbox: asyncio.Queue[Telemetry] = asyncio.Queue()

    def _boot(self) -> FlightSoftware:
        return FlightSoftware(self._rover, self.clock.now(self._wall()), seed=self._seed,
                              on_time_sync=lambda s: self.clock.sync(s, self._wall()),
                              nvm=self._nvm)

    def now(self) -> datetime:
        return self.clock.now(self._wall())

    def on_tc(self, raw: bytes) -> None:
        for tm in self.fsw.handle_tc(raw, self.now()):
            self._outbox.put_nowait(tm)
        if self.fsw.restart_requested:
            self._restart()

    def _restart(self) -> None:
        """A REBOOT: new flight software on the same non-volatile memory, as after a reset;
        the world it drives (position, battery, temperatures) does not reset with it."""
        world = self.fsw.physics
        world.stop_motion()  # the software that drove the wheels is gone
        self.fsw = self._boot()
        self.fsw.physics = world

    def on_tick(self) -> None:
        wall = self._wall()
        for tm in self.fsw.tick(self.clock.now(wall), wall):
            self._outbox.put_nowait(tm)

    async def tick_forever(self, hz: float = TICK_HZ,
                           clock_source: Callable[[], MissionClock] | None = None) -> None:
        """Tick at a steady rate, following ``clock_source`` if given."""
        loop = asyncio.get_running_loop()
        period = 1.0 / hz
        deadline = loop.time()
        while True:
            if clock_source is not None:
                self.clock.follow(clock_source())
            self.on_tick()
            deadline = max(deadline + period, loop.time())
            await asyncio.sleep(deadline - loop.time())

    async def send_forever(self, send: Callable[[Telemetry], Awaitable[None]]) -> None:
        while True:
            await send(await self._outbox.get())
