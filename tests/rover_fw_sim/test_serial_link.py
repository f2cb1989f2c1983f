"""The flight software on a real pty: framed TCs in, framed TM out, bad frames counted and
dropped, and the link surviving the other side closing and reopening the pty."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import serial

from rover_fw_sim.serial_link import PtyPort, SerialRover, open_pty
from spacelink.framing import Deframer, frame
from spacelink.packets import Telemetry, Verification, parse_tm
from spacelink.rovers import ZHURONG
from tests.rover_fw_sim.tctools import kinds, tc
from tests.support.waiting import wait_for

pytestmark = pytest.mark.integration


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
    port = open_pty()
    link = SerialRover(port, ZHURONG, seed=1)
    task = asyncio.create_task(link.run())
    try:
        yield link, port
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        port.close()


async def _completed(peer: Peer, seq: int) -> None:
    await wait_for(lambda: Verification.COMPLETION_SUCCESS in kinds(peer.pump(), seq), 5.0,
                   f"completion of TC {seq}")


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
