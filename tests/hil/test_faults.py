"""Faults on the line: bits flipped in both directions between the bridge and the board, and
the bridge's pty closed and opened again during traffic.

No corrupted packet is ever accepted (every TM reaching the ground parses, CRC included: the
ground client fails the test otherwise), nothing is lost that the fault did not destroy, and
what was destroyed shows up (a failure report, or a counted bad frame and a timeout).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

import pytest

from hil.bridge import BridgeConfig
from hil.faults import FaultyLine
from spacelink.packets import FailureCode, RequestId, VerificationReport
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


QUEUE_BOUND_S = 2.0
PING_PERIOD_S = 0.1  # the traffic's pace, not a wait for a condition
IN_FLIGHT_S = 1.0    # a TC sent this close before the pull may die with it
COMPLETE = ["ACCEPTANCE_SUCCESS", "START_SUCCESS", "COMPLETION_SUCCESS"]


@pytest.mark.hil
async def test_pty_closed_and_reopened_during_traffic(mosquitto: Mosquitto,
                                                      simavr_board: SimavrBoard,
                                                      tmp_path: Path) -> None:
    """The bridge's pty is closed under it and a new one opened under the same name, while
    PINGs flow at 10 Hz; the board itself runs on (its state and execute-once memory kept).

    Presence goes offline then online; every TM the bridge published reaches the ground;
    a TC sent while the pty was away is delivered once when it returns, or, once it waited
    past the queue bound, answered BOARD_UNREACHABLE; only a TC in flight at the very moment
    of the pull may go unanswered (the ground times it out), and none is executed twice.
    """
    line = FaultyLine(str(simavr_board.path), link=str(tmp_path / "line")).start()
    sent: list[tuple[RequestId, float]] = []
    try:
        config = BridgeConfig(line.path, ZHURONG, queue_bound_s=QUEUE_BOUND_S)
        async with bridged(mosquitto.url, config) as (bridge, ground):
            await ground.until(lambda: ground.state == "online", "presence online")
            stop = asyncio.Event()

            async def traffic() -> None:
                while not stop.is_set():
                    sent.append((await ground.send(ground.tc("PING")), time.monotonic()))
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), PING_PERIOD_S)

            pinging = asyncio.create_task(traffic(), name="test: traffic")
            await ground.until(lambda: ground.pongs() >= 5, "traffic flowing")
            pulled = time.monotonic()
            line.unplug()
            await ground.until(lambda: ground.state == "offline", "presence offline")
            offline = time.monotonic()
            await ground.until(lambda: bridge.counters.expired >= 3,
                               "TCs waiting past the bound answered", within=15)
            line.replug()
            await ground.until(lambda: ground.state == "online", "presence online again",
                               within=15)
            back = time.monotonic()
            pongs = ground.pongs()
            await ground.until(lambda: ground.pongs() >= pongs + 10, "traffic again")
            stop.set()
            await pinging

            def settled() -> bool:
                # Final answers only: a TC still mid-exchange is not yet an outcome.
                final = {"completed", "unreachable"}
                return all(_outcome(ground.reports(rid), ground.failures(rid)) in final
                           for rid, at in sent if at >= offline)

            await ground.until(settled, "a final answer for every TC sent after the pull")
            await ground.until(lambda: len(ground.tms) == bridge.counters.frames_up
                               + bridge.counters.expired, "every published TM at the ground")
            outcomes = [(at, _outcome(ground.reports(rid), ground.failures(rid)))
                        for rid, at in sent]
            states = [s["state"] for s in ground.status]
            reopenings = bridge.counters.reopenings
    finally:
        line.stop()
    assert line.unplugs == 1
    assert line.lost["up"] > 0, "the board's TM during the outage should have been lost"
    assert _in_order(states, ["online", "offline", "online"]), states
    assert reopenings >= 1
    assert all(o in ("completed", "unreachable", "partial", "silent") for _, o in outcomes), \
        outcomes
    # Before the pull: answered in full; at the pull: anything but a second execution.
    assert all(o == "completed" for at, o in outcomes if at < pulled - IN_FLIGHT_S)
    lost = [o for at, o in outcomes if o in ("partial", "silent")]
    assert len(lost) <= 3, outcomes
    hurt = [(round(at - pulled, 2), o) for at, o in outcomes if o in ("partial", "silent")]
    assert all(pulled - IN_FLIGHT_S <= at < offline for at, o in outcomes
               if o in ("partial", "silent")), \
        f"hurt (s after the pull): {hurt}; offline at {offline - pulled:.2f} s, " \
        f"back at {back - pulled:.2f} s"
    # While away: queued and delivered once, or answered BOARD_UNREACHABLE; never silence.
    away = [o for at, o in outcomes if offline <= at < back]
    assert set(away) <= {"completed", "unreachable"}, away
    assert "unreachable" in away and "completed" in away, away
    assert all(o == "completed" for at, o in outcomes if at >= back)


def _outcome(reports: list[str], failures: list[VerificationReport]) -> str:
    if reports == COMPLETE:
        return "completed"  # exactly once: a second delivery would add an acceptance
    if reports == ["ACCEPTANCE_FAILURE"] and \
            [f.failure for f in failures] == [FailureCode.BOARD_UNREACHABLE]:
        return "unreachable"
    if not reports:
        return "silent"
    if len(reports) < len(COMPLETE) and COMPLETE[:len(reports)] == reports:
        return "partial"  # its later reports died with the cable
    return f"wrong: {reports}"


def _in_order(seen: list[object], expected: list[object]) -> bool:
    it = iter(seen)
    return all(any(s == e for s in it) for e in expected)
