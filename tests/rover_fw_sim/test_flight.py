"""The flight software on pure calls: verification paths, execute-once, modes, motion,
instruments, time, housekeeping and TM numbering."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from rover_fw_sim.flight import FlightSoftware, TimeSync
from rover_fw_sim.terrain import CLEAR_RADIUS_M, Terrain
from spacelink.dictionary import DICTIONARY
from spacelink.packets import (
    FailureCode,
    HousekeepingReport,
    PongReport,
    Verification,
    parse_tm,
)
from spacelink.rovers import VEHICLE, ZHURONG
from tests.rover_fw_sim.tctools import T0, events, failure, kinds, reports, tc, verifications

V = Verification


@pytest.fixture
def fsw() -> FlightSoftware:
    return FlightSoftware(ZHURONG, T0, seed=1)


def at(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


def test_boot_event_then_housekeeping(fsw: FlightSoftware) -> None:
    tms = fsw.tick(T0, 0.0)
    assert events(tms)[0][0] == "BOOT"
    hk = [r for r in reports(tms) if isinstance(r, HousekeepingReport)]
    assert [r.structure.sid for r in hk] == [1, 2]
    assert hk[0].values["mode"] == "nominal"
    assert hk[0].values["heading_deg"] == 270.0


def test_housekeeping_periods_follow_the_wall_clock(fsw: FlightSoftware) -> None:
    sids: list[int] = []
    for i in range(101):  # 10 wall seconds at 10 Hz, mission clock 60 times faster
        tms = fsw.tick(T0 + at(6 * i), i / 10)
        sids += [r.structure.sid for r in reports(tms) if isinstance(r, HousekeepingReport)]
    assert sids.count(1) == 11
    assert sids.count(2) == 3


def test_ping_answers_between_start_and_completion(fsw: FlightSoftware) -> None:
    tms = fsw.handle_tc(tc("PING", seq=3), T0)
    seen = [type(r).__name__ if not hasattr(r, "kind") else r.kind.name for r in reports(tms)
            if not hasattr(r, "event")]
    assert seen == ["ACCEPTANCE_SUCCESS", "START_SUCCESS", "PongReport", "COMPLETION_SUCCESS"]
    assert any(isinstance(r, PongReport) for r in reports(tms))
    assert (fsw.counters.accepted, fsw.counters.executed) == (1, 1)


def test_tm_numbering(fsw: FlightSoftware) -> None:
    tms = fsw.handle_tc(tc("PING", seq=1), T0) + fsw.handle_tc(tc("PING", seq=2), T0)
    packets = [parse_tm(tm.pack()) for tm in tms]
    assert [p.seq_count for p in packets] == list(range(len(packets)))
    acceptances = [p for p in packets if (p.service, p.subtype) == (1, 1)]
    assert [p.message_counter for p in acceptances] == [0, 1]
    fsw._tm.seq_count = 16383
    assert [tm.seq_count for tm in fsw.handle_tc(tc("PING", seq=3), T0)[:2]] == [16383, 0]


def test_duplicate_is_acknowledged_and_replayed_never_executed(fsw: FlightSoftware) -> None:
    fsw.handle_tc(tc("DRIVE", seq=7, distance_m=1.0), T0)
    tms = fsw.tick(T0 + at(100), 1.0)
    assert kinds(tms, 7)[-1] == V.COMPLETION_SUCCESS
    again = fsw.handle_tc(tc("DRIVE", seq=7, distance_m=1.0), T0 + at(100))
    assert kinds(again, 7) == [V.ACCEPTANCE_SUCCESS, V.COMPLETION_SUCCESS]
    assert fsw.physics.motion is None
    assert fsw.physics.pose.odometer_m == pytest.approx(1.0)
    assert (fsw.counters.accepted, fsw.counters.executed) == (1, 1)


def test_duplicate_while_running_gets_acceptance_only(fsw: FlightSoftware) -> None:
    fsw.handle_tc(tc("TAKE_IMAGE", seq=8, camera="natecam"), T0)
    assert kinds(fsw.handle_tc(tc("TAKE_IMAGE", seq=8, camera="natecam"), T0)) == [
        V.ACCEPTANCE_SUCCESS]
    assert len(fsw.instruments) == 1


def test_duplicate_of_a_start_failure_replays_it(fsw: FlightSoftware) -> None:
    fsw.handle_tc(tc("SET_MODE", seq=1, mode="safe"), T0)
    fsw.handle_tc(tc("TURN", seq=2, angle_deg=10.0), T0)
    again = fsw.handle_tc(tc("TURN", seq=2, angle_deg=10.0), T0)
    assert kinds(again) == [V.ACCEPTANCE_SUCCESS, V.START_FAILURE]


def test_memory_keeps_the_last_64(fsw: FlightSoftware) -> None:
    for seq in range(1, 66):
        fsw.handle_tc(tc("PING", seq=seq), T0)
    assert fsw.counters.executed == 65
    fsw.handle_tc(tc("PING", seq=1), T0)  # forgotten: executed again
    fsw.handle_tc(tc("PING", seq=65), T0)  # remembered: not
    assert fsw.counters.executed == 66


def test_drive_reports_progress_and_moves_south(fsw: FlightSoftware) -> None:
    tms = fsw.handle_tc(tc("DRIVE", seq=1, distance_m=10.0, speed_mps=0.05), T0)
    for i in range(1, 21):
        tms += fsw.tick(T0 + at(10 * i), i)
    steps = [r.step for r in verifications(tms, 1) if r.kind == V.PROGRESS_SUCCESS]
    every = VEHICLE.motion_progress_pct  # the board's RO_MOTION_PROGRESS_PCT, 10
    assert steps == list(range(every, 100, every)) == [10, 20, 30, 40, 50, 60, 70, 80, 90]
    assert kinds(tms, 1)[-1] == V.COMPLETION_SUCCESS
    pose = fsw.physics.pose
    assert (pose.x, pose.y, pose.odometer_m) == pytest.approx((0.0, -10.0, 10.0), abs=1e-6)
    assert pose.speed_mps == 0.0


def test_the_world_starts_as_the_vehicle_says(fsw: FlightSoftware) -> None:
    values = fsw.housekeeping_values()
    assert values["heading_deg"] == VEHICLE.start_heading_deg == 270.0  # south, off the ramp
    assert values["battery_soc_pct"] == VEHICLE.start_soc_pct


@pytest.mark.parametrize(("name", "args"), [
    ("TURN", {"angle_deg": -90.0}),
    ("DRIVE", {"distance_m": 2.0, "speed_mps": 0.02}),
    ("LIBS_SHOT", {"target_distance_m": 3.0, "shots": 10}),
    ("MAG_SAMPLE", {"duration_s": 40}),
    ("TAKE_IMAGE", {"camera": "natecam"}),
])
def test_a_command_runs_as_long_as_the_dictionary_declares(
        fsw: FlightSoftware, name: str, args: dict[str, object]) -> None:
    run_s = DICTIONARY.command(name).duration_s(args)
    fsw.handle_tc(tc(name, 1, ZHURONG.apid, **args), T0)
    assert V.COMPLETION_SUCCESS not in kinds(fsw.tick(T0 + at(run_s - 0.5), 1.0), 1)
    assert kinds(fsw.tick(T0 + at(run_s + 0.5), 2.0), 1)[-1] == V.COMPLETION_SUCCESS


def test_speed_is_reported_while_driving(fsw: FlightSoftware) -> None:
    fsw.handle_tc(tc("DRIVE", seq=1, distance_m=10.0, speed_mps=0.04), T0)
    fsw.tick(T0 + at(10), 1.0)
    assert fsw.housekeeping_values()["speed_mps"] == pytest.approx(0.04)


def test_turn_then_reverse(fsw: FlightSoftware) -> None:
    fsw.handle_tc(tc("TURN", seq=1, angle_deg=90.0), T0)  # 270 -> 0: facing east
    tms = fsw.tick(T0 + at(60), 1.0)
    assert kinds(tms, 1)[-1] == V.COMPLETION_SUCCESS
    assert fsw.physics.pose.heading_deg == pytest.approx(0.0, abs=1e-9)
    fsw.handle_tc(tc("DRIVE", seq=2, distance_m=-5.0), T0 + at(60))
    fsw.tick(T0 + at(200), 2.0)
    assert fsw.physics.pose.x == pytest.approx(-5.0)
    assert fsw.physics.pose.odometer_m == pytest.approx(5.0)


def test_new_motion_interrupts_the_running_one(fsw: FlightSoftware) -> None:
    fsw.handle_tc(tc("DRIVE", seq=1, distance_m=10.0), T0)
    tms = fsw.handle_tc(tc("TURN", seq=2, angle_deg=45.0), T0 + at(20))
    assert failure(tms, 1)[0] == FailureCode.INTERRUPTED
    assert kinds(tms, 2) == [V.ACCEPTANCE_SUCCESS, V.START_SUCCESS]
    assert fsw.physics.pose.odometer_m == pytest.approx(1.0)


def test_stop_interrupts_and_completes_at_once(fsw: FlightSoftware) -> None:
    fsw.handle_tc(tc("DRIVE", seq=1, distance_m=10.0), T0)
    tms = fsw.handle_tc(tc("STOP", seq=2), T0 + at(40))
    assert [(r.request_id.seq_count, r.kind) for r in verifications(tms)][-4:] == [
        (2, V.ACCEPTANCE_SUCCESS), (1, V.COMPLETION_FAILURE), (2, V.START_SUCCESS),
        (2, V.COMPLETION_SUCCESS)]
    fsw.tick(T0 + at(400), 1.0)
    assert fsw.physics.pose.odometer_m == pytest.approx(2.0)
    assert kinds(fsw.handle_tc(tc("STOP", seq=3), T0 + at(400)))[-1] == V.COMPLETION_SUCCESS


def test_modes_forbid_motion_and_instruments(fsw: FlightSoftware) -> None:
    tms = fsw.handle_tc(tc("SET_MODE", seq=1, mode="safe"), T0)
    assert ("MODE_CHANGED", {"from_mode": "nominal", "to_mode": "safe"}) in events(tms)
    code, reason = failure(fsw.handle_tc(tc("DRIVE", seq=2, distance_m=1.0), T0))
    assert (code, reason) == (FailureCode.FORBIDDEN_IN_MODE, "DRIVE forbidden in safe mode")
    assert kinds(fsw.handle_tc(tc("TAKE_IMAGE", seq=3, camera="mscam"), T0))[-1] == V.START_SUCCESS
    fsw.handle_tc(tc("SET_MODE", seq=4, mode="sleep"), T0)
    code, _ = failure(fsw.handle_tc(tc("LIBS_SHOT", seq=5, target_distance_m=3.0), T0))
    assert code == FailureCode.FORBIDDEN_IN_MODE
    assert kinds(fsw.handle_tc(tc("PING", seq=6), T0))[-1] == V.COMPLETION_SUCCESS
    assert fsw.housekeeping_values()["mode"] == "sleep"
    assert events(fsw.handle_tc(tc("SET_MODE", seq=7, mode="sleep"), T0)) == []  # no change


def test_entering_safe_interrupts_motion_and_sleep_instruments(fsw: FlightSoftware) -> None:
    fsw.handle_tc(tc("DRIVE", seq=1, distance_m=10.0), T0)
    fsw.handle_tc(tc("MAG_SAMPLE", seq=2, duration_s=600), T0)
    tms = fsw.handle_tc(tc("SET_MODE", seq=3, mode="safe"), T0 + at(10))
    assert failure(tms, 1)[0] == FailureCode.INTERRUPTED
    assert len(fsw.instruments) == 1
    tms = fsw.handle_tc(tc("SET_MODE", seq=4, mode="sleep"), T0 + at(20))
    assert failure(tms, 2) == (FailureCode.INTERRUPTED, "MAG_SAMPLE: mode sleep")


def test_instruments_take_mission_time_and_report(fsw: FlightSoftware) -> None:
    tms = fsw.handle_tc(tc("TAKE_IMAGE", seq=1, camera="hazcam_front"), T0)
    tms += fsw.handle_tc(tc("LIBS_SHOT", seq=2, target_distance_m=2.5, shots=10), T0)
    tms += fsw.handle_tc(tc("RADAR_SOUNDING", seq=3, duration_s=100), T0)
    tms += fsw.handle_tc(tc("CLIMATE_SAMPLE", seq=4, duration_s=30), T0)
    tms += fsw.handle_tc(tc("MAG_SAMPLE", seq=5, duration_s=10), T0)
    tms += fsw.tick(T0 + at(15), 1.0)
    assert V.COMPLETION_SUCCESS not in kinds(tms, 1)  # an image takes 20 s
    for i in range(2, 12):
        tms += fsw.tick(T0 + at(10 * i), i)
    for seq in range(1, 6):
        assert kinds(tms, seq)[-1] == V.COMPLETION_SUCCESS
    assert [r.step for r in verifications(tms, 3) if r.kind == V.PROGRESS_SUCCESS] == [
        25, 50, 75]
    found = events(tms)
    assert ("IMAGE_ACQUIRED", {"camera": "hazcam_front", "image_id": 1}) in found
    assert ("INSTRUMENT_DONE", {"function_id": 7, "samples": 10}) in found
    assert ("INSTRUMENT_DONE", {"function_id": 6, "samples": 100}) in found
    assert ("INSTRUMENT_DONE", {"function_id": 9, "samples": 320}) in found


def test_heater_draws_power(fsw: FlightSoftware) -> None:
    fsw.tick(T0 + at(1), 0.0)
    before = fsw.physics.load_w
    assert kinds(fsw.handle_tc(tc("SET_HEATER", seq=1, zone="battery", on=True), T0 + at(1)))[
        -1] == V.COMPLETION_SUCCESS
    fsw.tick(T0 + at(2), 1.0)
    assert fsw.physics.load_w == pytest.approx(before + 20.0)


def test_shaking_the_arrays_restores_the_dust_factor(fsw: FlightSoftware) -> None:
    fsw.physics.dust_factor = 0.6
    fsw.handle_tc(tc("SHAKE_SOLAR_ARRAYS", seq=1), T0)
    tms = fsw.tick(T0 + at(31), 1.0)
    assert kinds(tms, 1)[-1] == V.COMPLETION_SUCCESS
    assert fsw.housekeeping_values()["dust_factor"] == pytest.approx(0.96, abs=1e-3)


def test_sync_time_is_reported_to_the_shell() -> None:
    synced: list[TimeSync] = []
    fsw = FlightSoftware(ZHURONG, T0, on_time_sync=synced.append)
    tms = fsw.handle_tc(tc("SYNC_TIME", seq=1, seconds=700_000_000, time_scale=60.0), T0)
    assert kinds(tms)[-1] == V.COMPLETION_SUCCESS
    assert synced == [fsw.last_sync]
    assert synced[0].scale == 60.0
    assert synced[0].mission.isoformat() == "2022-03-07T20:26:40+00:00"
    # The clock jumps: no time is integrated across the jump.
    fsw.tick(synced[0].mission, 1.0)
    assert fsw.physics.pose.odometer_m == 0.0


def test_drive_stops_at_a_hazard() -> None:
    fsw = FlightSoftware(ZHURONG, T0, seed=3)
    terrain = Terrain(3)
    target = min(terrain.hazards_near(0, 0, 80), key=lambda h: math.hypot(h.x, h.y))
    bearing = math.degrees(math.atan2(target.y, target.x))
    turn = (bearing - 270.0 + 180.0) % 360.0 - 180.0
    fsw.handle_tc(tc("TURN", seq=1, angle_deg=turn), T0)
    fsw.tick(T0 + at(100), 1.0)
    distance = min(100.0, math.hypot(target.x, target.y) + 1.0)
    fsw.handle_tc(tc("DRIVE", seq=2, distance_m=distance), T0 + at(100))
    tms = fsw.tick(T0 + at(3000), 2.0)
    code, reason = failure(tms, 2)
    assert code == FailureCode.HAZARD
    (_name, values), = [e for e in events(tms) if e[0] == "HAZARD_DETECTED"]
    assert reason.startswith(str(values["kind"]))
    pose = fsw.physics.pose
    assert (values["x_m"], values["y_m"]) == pytest.approx((pose.x, pose.y), abs=1e-3)
    assert math.hypot(pose.x, pose.y) >= CLEAR_RADIUS_M
    assert pose.odometer_m < distance
    assert pose.speed_mps == 0.0


def test_short_drives_from_the_origin_are_clear() -> None:
    for seed in range(20):
        terrain = Terrain(seed)
        for deg in range(0, 360, 15):
            dx, dy = math.cos(math.radians(deg)), math.sin(math.radians(deg))
            assert terrain.contact(0.0, 0.0, dx, dy, CLEAR_RADIUS_M) is None


def test_low_battery_event_and_low_power(fsw: FlightSoftware) -> None:
    fsw.handle_tc(tc("DRIVE", seq=1, distance_m=50.0), T0)
    fsw.physics.battery.soc_pct = 20.05
    tms = fsw.tick(T0 + at(60), 1.0)  # night: the drive drains the battery below 20 %
    assert [e[0] for e in events(tms)].count("LOW_BATTERY") == 1
    assert fsw.motion is not None
    fsw.physics.battery.soc_pct = 10.01
    tms = fsw.tick(T0 + at(120), 2.0)
    assert failure(tms, 1)[0] == FailureCode.LOW_POWER
    assert ("MODE_CHANGED", {"from_mode": "nominal", "to_mode": "safe"}) in events(tms)
    assert [e[0] for e in events(tms)].count("LOW_BATTERY") == 0  # once per crossing
    code, _ = failure(fsw.handle_tc(tc("TAKE_IMAGE", seq=2, camera="natecam"), T0 + at(120)))
    assert code == FailureCode.LOW_POWER


def test_counters_in_housekeeping(fsw: FlightSoftware) -> None:
    fsw.handle_tc(tc("PING", seq=1), T0)
    fsw.handle_tc(tc("PING", seq=1), T0)
    fsw.handle_tc(b"junk", T0)
    values = fsw.housekeeping_values()
    assert (values["cmd_accepted"], values["cmd_rejected"], values["cmd_executed"]) == (1, 1, 1)


def test_same_seed_same_inputs_same_bytes() -> None:
    def session(seed: int) -> list[bytes]:
        fsw = FlightSoftware(ZHURONG, T0, seed=seed)
        out = fsw.tick(T0, 0.0) + fsw.handle_tc(tc("TURN", seq=1, angle_deg=37.0), T0)
        out += fsw.tick(T0 + at(30), 1.0)
        out += fsw.handle_tc(tc("DRIVE", seq=2, distance_m=100.0), T0 + at(30))
        for i in range(2, 40):
            out += fsw.tick(T0 + at(100 * i), float(i))
        return [tm.pack() for tm in out]

    assert session(11) == session(11)
    assert DICTIONARY.command("DRIVE").function_id == 1
