"""The flight software on a serial line: on a real pty, framed TCs in, framed TM out, bad frames
counted and dropped, and the link surviving the other side closing and reopening the pty; on
lines of the test's own, a lost line opened again while the rover runs on."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import pytest
import serial

from hil.serialport import PtyPort, open_line, open_pty
from rover_fw_sim.serial_link import SerialRover
from spacelink.errors import SerialPortError
from spacelink.framing import Deframer, frame
from spacelink.packets import EventReport, Telemetry, Verification, parse_tm
from spacelink.rovers import ZHURONG
from spacelink.serial_line import SerialLine
from tests.rover_fw_sim.tctools import kinds, reports, tc
from tests.support.waiting import wait_for


class Peer:
    """The other side of the pty, as a bridge would open it."""

    def __init__(self, path: str) -> None:
        self.port = serial.Serial(path, 115200, timeout=0)
        self.deframer = Deframer()
        self.tms: list[Telemetry] = []

    def send(self, data: bytes) -> None:
        self.port.write(data)

    def pump(self) -> list[Telemetry]:
        self.tms += [parse_tm(p) for p in self.deframer.feed(self.port.read(65536))]
        return self.tms

    def close(self) -> None:
        self.port.close()


@pytest.fixture
async def rover() -> AsyncIterator[tuple[SerialRover, PtyPort]]:
    port = open_pty()  # as `roverops rover --pty` wires it
    link = SerialRover(lambda: open_line(port), ZHURONG, seed=1)
    task = asyncio.create_task(link.run())
    try:
        yield link, port
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def _completed(peer: Peer, seq: int) -> None:
    await wait_for(lambda: Verification.COMPLETION_SUCCESS in kinds(peer.pump(), seq), 5.0,
                   f"completion of TC {seq}")


@pytest.mark.integration
async def test_framed_tc_in_framed_tm_out(rover: tuple[SerialRover, PtyPort]) -> None:
    link, port = rover
    peer = Peer(port.path)
    try:
        await wait_for(lambda: any(tm.service == 3 for tm in peer.pump()), 5.0, "housekeeping")
        peer.send(frame(tc("PING", seq=1)))
        await _completed(peer, 1)
        assert any((tm.service, tm.subtype) == (17, 2) for tm in peer.tms)

        bad_crc = bytearray(tc("PING", seq=2))
        bad_crc[-1] ^= 0x55
        peer.send(frame(bytes(bad_crc)) + b"\x05\x01\x02\x03\x00" + frame(tc("PING", seq=3)))
        await _completed(peer, 3)
        assert link.bad_frames == 2
        assert link.deframer.errors["crc"] == 1
        assert kinds(peer.tms, 2) == []  # dropped by the framing, never seen as a TC
    finally:
        peer.close()


@pytest.mark.integration
async def test_survives_the_other_side_closing_and_reopening(
    rover: tuple[SerialRover, PtyPort],
) -> None:
    link, port = rover
    peer = Peer(port.path)
    peer.send(frame(tc("PING", seq=1)))
    await _completed(peer, 1)
    peer.close()
    await wait_for(lambda: port.hangups >= 1, 5.0, "the rover to notice the hang-up")
    peer = Peer(port.path)
    try:
        peer.send(frame(tc("SYNC_TIME", seq=2, seconds=700_000_000, time_scale=60.0)))
        await _completed(peer, 2)
        assert link.host.clock.clock.scale == 60.0
        peer.send(frame(tc("PING", seq=3)))
        await _completed(peer, 3)
        pong = [tm for tm in peer.tms if (tm.service, tm.subtype) == (17, 2)][-1]
        assert pong.time.year == 2022  # TM runs on the synced clock
    finally:
        peer.close()


class MemoryLine:
    """A line of the test's own: what the rover sent, deframed; :meth:`lose` cuts it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.deframer = Deframer()
        self.tms: list[Telemetry] = []
        self._incoming: asyncio.Queue[bytes | SerialPortError] = asyncio.Queue()

    def send(self, data: bytes) -> None:
        self._incoming.put_nowait(data)

    def lose(self) -> None:
        self._incoming.put_nowait(SerialPortError(self.name, "device vanished"))

    async def read(self) -> bytes:
        item = await self._incoming.get()
        if isinstance(item, SerialPortError):
            self._incoming.put_nowait(item)  # lost for good
            raise item
        return item

    async def write(self, data: bytes) -> None:
        self.tms += [parse_tm(p) for p in self.deframer.feed(data)]


class Device:
    """Opens the lines it is given, in turn; with none left, the device is away."""

    def __init__(self, *lines: MemoryLine | None) -> None:
        self.lines = list(lines)
        self.attempts = 0

    @contextlib.asynccontextmanager
    async def open(self) -> AsyncIterator[SerialLine]:
        self.attempts += 1
        line = self.lines.pop(0) if self.lines else None
        if line is None:
            raise SerialPortError("memory", "no such device")
        yield line


async def test_a_lost_line_is_opened_again_and_the_rover_runs_on() -> None:
    first, second = MemoryLine("first"), MemoryLine("second")
    device = Device(first, None, second)  # away at the first attempt to reopen
    link = SerialRover(device.open, ZHURONG, seed=1)
    task = asyncio.create_task(link.run())
    try:
        first.send(frame(tc("PING", seq=1)))
        await wait_for(lambda: Verification.COMPLETION_SUCCESS in kinds(first.tms, 1), 5.0,
                       "PING on the first line")
        first.lose()
        second.send(frame(tc("PING", seq=2)))
        await wait_for(lambda: Verification.COMPLETION_SUCCESS in kinds(second.tms, 2), 5.0,
                       "PING on the line opened again")
        assert device.attempts == 3
        # The same flight software: no second boot, and its TM numbering runs on.
        assert not [r for r in reports(second.tms) if isinstance(r, EventReport)
                    and r.event.name == "BOOT"]
        assert second.tms[0].seq_count > first.tms[-1].seq_count
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


async def test_a_line_that_cannot_be_opened_at_first_is_an_error() -> None:
    device = Device()
    with pytest.raises(ExceptionGroup) as raised:
        await SerialRover(device.open, ZHURONG).run()
    assert raised.group_contains(SerialPortError, match="no such device")
    assert device.attempts == 1
