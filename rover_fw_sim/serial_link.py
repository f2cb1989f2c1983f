"""The flight software on a serial line, as a stand-in board: COBS frames of CCSDS packets,
each ended by 0x00, and no MQTT (the bridge on the other side does that).

A reader thread blocks on the port and hands bytes to the asyncio side, which feeds the pure
:class:`spacelink.framing.Deframer` (bad frames are counted and dropped; the stream
resynchronises on the next 0x00). Until the bridge sends SYNC_TIME, mission time is wall
time at scale 1.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time

from rover_fw_sim.host import TICK_HZ, FlightHost, Wall
from rover_fw_sim.nvm import NonVolatile
from rover_fw_sim.ports import Port, PtyPort, SerialDevicePort, open_pty
from spacelink.clock import MissionClock
from spacelink.framing import Deframer, frame
from spacelink.packets import Telemetry
from spacelink.rovers import Rover

__all__ = ["Port", "PtyPort", "SerialDevicePort", "SerialRover", "open_pty"]

log = logging.getLogger(__name__)

READ_TIMEOUT_S = 0.1  # how soon the reader thread notices it should stop
_Chunk = bytes | BaseException


class SerialRover:
    def __init__(self, port: Port, rover: Rover, *, seed: int = 0, tick_hz: float = TICK_HZ,
                 wall: Wall = time.time, nvm: NonVolatile | None = None) -> None:
        self.port = port
        self.rover = rover
        self.deframer = Deframer()
        self.host = FlightHost(rover, MissionClock.starting_now(wall()), seed=seed, wall=wall,
                               nvm=nvm)
        self._tick_hz = tick_hz

    @property
    def bad_frames(self) -> int:
        return self.deframer.resyncs

    async def run(self) -> None:
        """Serve until cancelled; the port stays open (the caller owns it)."""
        loop = asyncio.get_running_loop()
        chunks: asyncio.Queue[_Chunk] = asyncio.Queue()
        stop = threading.Event()
        reader = threading.Thread(target=self._read, args=(loop, chunks, stop),
                                  name=f"serial-read {self.port.name}", daemon=True)
        reader.start()
        log.info("rover %s (emulator) on serial %s", self.rover.id, self.port.name)
        try:
            async with asyncio.TaskGroup() as tasks:
                name = f"serial {self.port.name}"
                tasks.create_task(self._receive(chunks), name=f"{name}: tc")
                tasks.create_task(self.host.tick_forever(self._tick_hz), name=f"{name}: tick")
                tasks.create_task(self.host.send_forever(self._send), name=f"{name}: tm")
        finally:
            stop.set()
            await asyncio.to_thread(reader.join, 5 * READ_TIMEOUT_S)

    async def _receive(self, chunks: asyncio.Queue[_Chunk]) -> None:
        while True:
            chunk = await chunks.get()
            if isinstance(chunk, BaseException):
                raise chunk
            bad_before = self.deframer.resyncs
            for packet in self.deframer.feed(chunk):
                self.host.on_tc(packet)
            if self.deframer.resyncs != bad_before:
                log.warning("serial %s: dropped %d bad frame(s) (%s)", self.port.name,
                            self.deframer.resyncs - bad_before, self.deframer.errors)

    async def _send(self, tm: Telemetry) -> None:
        await asyncio.to_thread(self.port.write, frame(tm.pack()))

    def _read(self, loop: asyncio.AbstractEventLoop, chunks: asyncio.Queue[_Chunk],
              stop: threading.Event) -> None:
        """The reader thread: blocking reads, handed over to the event loop."""
        try:
            while not stop.is_set():
                data = self.port.read(READ_TIMEOUT_S)
                if data:
                    loop.call_soon_threadsafe(chunks.put_nowait, data)
        except Exception as exc:  # handed to the loop, where _receive raises it
            if not stop.is_set():
                loop.call_soon_threadsafe(chunks.put_nowait, exc)
