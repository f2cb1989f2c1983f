"""Faults on the line: bits flipped in both directions between the bridge and the board.

No corrupted packet is ever accepted (every TM reaching the ground parses, CRC included: the
ground client fails the test otherwise), nothing is lost that the fault did not destroy, and
what was destroyed shows up (a failure report, or a counted bad frame and a timeout).
"""

from __future__ import annotations

import time

import pytest

from hil.bridge import BridgeConfig
from hil.faults import FaultyLine
from spacelink.packets import RequestId
from spacelink.rovers import ZHURONG
from tests.hil.boards import SimavrBoard
from tests.hil.bridging import bridged
from tests.support.mosquitto import Mosquitto

PINGS = 40
WAIT_S = 3.0


@pytest.mark.hil
async def test_bit_flips_are_caught_not_accepted(mosquitto: Mosquitto,
                                                 simavr_board: SimavrBoard) -> None:
    line = FaultyLine(str(simavr_board.path), flip_rate=0.003, seed=11).start()
    try:
        config = BridgeConfig(line.path, ZHURONG, silence_s=5.0)
        async with bridged(mosquitto.url, config) as (bridge, ground):
            await ground.until(lambda: ground.state == "online", "presence online")
            completed = failed = silent = 0
            for _ in range(PINGS):
                rid = await ground.send(ground.tc("PING"))
                deadline = time.monotonic() + WAIT_S

                def final(rid: RequestId = rid) -> bool:
                    return "COMPLETION_SUCCESS" in ground.reports(rid) or bool(
                        ground.failures(rid))

                try:
                    await ground.until(final, "a final report", within=WAIT_S)
                except AssertionError:
                    assert time.monotonic() >= deadline - 0.1
                if "COMPLETION_SUCCESS" in ground.reports(rid):
                    completed += 1
                elif ground.failures(rid):
                    failed += 1  # e.g. BAD_CRC: the board saw the damage and said so
                else:
                    silent += 1  # a timeout for the ground
            up, down = line.flips_in("up"), line.flips_in("down")
            bad_up = (bridge.counters.crc_errors + bridge.counters.cobs_errors
                      + bridge.counters.too_short + bridge.counters.too_long)
    finally:
        line.stop()
    assert up or down, "the line flipped nothing: raise the rate"
    assert completed + failed + silent == PINGS
    # Every silent exchange had a frame destroyed on the way, in one direction or the other.
    assert silent <= len(up) + len(down)
    # Damage coming up is seen and counted by the bridge, never passed on. A flip can make
    # two bad frames of one (a byte turned 0x00 splits it), and the port's opening may cut
    # one frame short.
    if up:
        assert 1 <= bad_up <= 2 * len(up) + 1
    assert completed >= PINGS // 2
