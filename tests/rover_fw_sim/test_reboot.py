"""REBOOT on the emulator: the flight software restarts on its non-volatile memory, in the
sequence docs/protocol.md states; the world it drives carries on."""

from __future__ import annotations

import asyncio

from rover_fw_sim.host import FlightHost
from spacelink.clock import MissionClock
from spacelink.packets import FailureCode, Telemetry, Verification
from spacelink.rovers import ZHURONG
from tests.rover_fw_sim.tctools import T0, events, kinds, reports, tc, verifications

V = Verification
WALL = 1_000_000.0


def drain(host: FlightHost) -> list[Telemetry]:
    queue: asyncio.Queue[Telemetry] = host._outbox
    out = []
    while not queue.empty():
        out.append(queue.get_nowait())
    return out


def test_reboot_cuts_a_drive_and_completes_after_the_restart() -> None:
    wall = [WALL]
    host = FlightHost(ZHURONG, MissionClock(T0, WALL, 1.0), wall=lambda: wall[0])
    host.on_tc(tc("DRIVE", seq=1, distance_m=5.0, speed_mps=0.05))
    wall[0] += 20.0
    host.on_tick()
    before = drain(host)
    assert V.START_SUCCESS in kinds(before, 1)
    moved = host.fsw.physics.pose.odometer_m
    assert moved > 0.5
    old_software = host.fsw

    host.on_tc(tc("REBOOT", seq=2))
    assert kinds(drain(host), 2) == [V.ACCEPTANCE_SUCCESS, V.START_SUCCESS]
    assert host.fsw is not old_software  # restarted at once: nothing else was sent
    wall[0] += 1.0
    host.on_tick()
    booted = drain(host)
    assert [name for name, _ in events(booted)][:1] == ["BOOT"]
    finals = [(r.request_id.seq_count, r.kind, r.failure) for r in verifications(booted)]
    assert finals == [(1, V.COMPLETION_FAILURE, FailureCode.RESET),
                      (2, V.COMPLETION_SUCCESS, None)]
    assert host.fsw.physics.pose.odometer_m >= moved  # the world did not reboot
    assert host.fsw.motion is None
    assert host.fsw.housekeeping_values()["speed_mps"] == 0.0  # and the wheels stopped

    host.on_tc(tc("REBOOT", seq=2))  # a duplicate: answered, no second restart
    replay = drain(host)
    assert kinds(replay, 2) == [V.ACCEPTANCE_SUCCESS, V.COMPLETION_SUCCESS]
    assert not host.fsw.restart_requested and not events(replay)
    host.on_tc(tc("DRIVE", seq=1, distance_m=5.0, speed_mps=0.05))  # and one of the drive
    assert kinds(drain(host), 1) == [V.ACCEPTANCE_SUCCESS, V.COMPLETION_FAILURE]
    assert host.fsw.motion is None


def test_a_clock_set_to_the_end_of_cuc_time_keeps_the_rover_reporting() -> None:
    """SYNC_TIME to the last second a CUC 4+2 field holds: the rover keeps running and its
    TM times roll over rather than stopping it (a crash once ended `roverops up`)."""
    wall = [WALL]
    host = FlightHost(ZHURONG, MissionClock(T0, WALL, 1.0), wall=lambda: wall[0])
    host.on_tc(tc("SYNC_TIME", seq=1, seconds=2**32 - 1, time_scale=1.0))
    for _ in range(3):
        wall[0] += 1.0
        host.on_tick()
    out = drain(host)
    assert V.COMPLETION_SUCCESS in kinds(out, 1)
    assert any(type(r).__name__ == "HousekeepingReport" for r in reports(out))
