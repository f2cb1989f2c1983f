"""The flight software on a serial line, as a stand-in board: COBS frames of CCSDS packets,
each ended by 0x00, and no MQTT (the bridge on the other side does that).

The line is a :class:`spacelink.serial_line.SerialLine` that whoever runs the rover opens
(``roverops`` hands it a device or a pty); what it reads goes through the pure
:class:`spacelink.framing.Deframer` (bad frames are counted and dropped; the stream
resynchronises on the next 0x00). Like a board, the rover runs on when its line is lost
(telemetry sent meanwhile is lost, as on a pulled cable) and opens it again. Until the bridge
sends SYNC_TIME, mission time is wall time at scale 1.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from rover_fw_sim.host import TICK_HZ, FlightHost, Wall
from rover_fw_sim.nvm import NonVolatile
from spacelink.clock import MissionClock
from spacelink.errors import SerialPortError
from spacelink.framing import Deframer, frame
from spacelink.packets import Telemetry
from spacelink.rovers import Rover
from spacelink.serial_line import OpenLine, SerialLine

log = logging.getLogger(__name__)

REOPEN_S = 0.5  # how often to try a lost line again


class SerialRover:
    def __init__(self, open_line: OpenLine, rover: Rover, *, seed: int = 0,
                 tick_hz: float = TICK_HZ, wall: Wall = time.time,
                 nvm: NonVolatile | None = None) -> None:
        self.rover = rover
        self.deframer = Deframer()
        self.host = FlightHost(rover, MissionClock.starting_now(wall()), seed=seed, wall=wall,
                               nvm=nvm)
        self._open_line = open_line
        self._line: SerialLine | None = None
        self._tick_hz = tick_hz

    @property
    def bad_frames(self) -> int:
        return self.deframer.resyncs

    async def run(self) -> None:
        """Serve until cancelled. A line that cannot be opened at first is an error; one
        lost later is opened again."""
        name = f"serial rover {self.rover.id}"
        async with asyncio.TaskGroup() as tasks:
            tasks.create_task(self._keep_line(), name=f"{name}: tc")
            tasks.create_task(self.host.tick_forever(self._tick_hz), name=f"{name}: tick")
            tasks.create_task(self.host.send_forever(self._send), name=f"{name}: tm")

    async def _keep_line(self) -> None:
        opened_before = said_lost = False
        while True:
            try:
                async with self._open_line() as line:
                    log.info("rover %s (emulator) on serial %s", self.rover.id, line.name)
                    opened_before, said_lost = True, False
                    self.deframer.buffer = b""  # a frame cut short by the loss is gone
                    self._line = line
                    try:
                        await self._receive(line)  # until the line is lost
                    finally:
                        self._line = None
            except SerialPortError as exc:
                if not opened_before:
                    raise
                if not said_lost:
                    log.warning("%s; trying again every %g s", exc, REOPEN_S)
                    said_lost = True
            await asyncio.sleep(REOPEN_S)

    async def _receive(self, line: SerialLine) -> None:
        while True:
            chunk = await line.read()
            bad_before = self.deframer.resyncs
            for packet in self.deframer.feed(chunk):
                self.host.on_tc(packet)
            if self.deframer.resyncs != bad_before:
                log.warning("serial %s: dropped %d bad frame(s) (%s)", line.name,
                            self.deframer.resyncs - bad_before, self.deframer.errors)

    async def _send(self, tm: Telemetry) -> None:
        line = self._line
        if line is None:
            return  # no line: lost, as on a pulled cable
        with contextlib.suppress(SerialPortError):  # the receiving side sees the loss too
            await line.write(frame(tm.pack()))
