"""Kinematics, terrain, power and thermal: pure and deterministic."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import pytest

from rover_fw_sim.kinematics import Drive, Pose, Turn
from rover_fw_sim.physics import RoverPhysics
from rover_fw_sim.power import cell_ocv, solar_irradiance_w_m2, solar_power_w
from rover_fw_sim.terrain import Terrain
from rover_fw_sim.thermal import air_temp_c
from spacelink.marstime import mars_time
from spacelink.rovers import ZHURONG
from tests.rover_fw_sim.tctools import T0


def at_ltst(hour: float, after: datetime = T0) -> datetime:
    """The first mission time after ``after`` when local true solar time is ``hour``."""
    t = after
    for _ in range(1500):  # one-minute steps over a sol
        now, nxt = (mars_time(x).ltst_h(ZHURONG.lon_e_deg) for x in (t, t + timedelta(minutes=1)))
        if (hour - now) % 24 < (nxt - now) % 24:
            return t
        t += timedelta(minutes=1)
    raise AssertionError(f"no LTST {hour} within a sol")


def test_drive_along_the_heading() -> None:
    pose = Pose(heading_deg=30.0)
    drive = Drive(10.0, 0.05)
    step = drive.advance(pose, 100.0, Terrain(1))
    assert step.fraction == pytest.approx(0.5)
    assert not step.done
    assert (pose.x, pose.y) == pytest.approx((5 * math.cos(math.pi / 6), 2.5))
    assert pose.speed_mps == 0.05
    step = drive.advance(pose, 1000.0, Terrain(1))  # never overshoots
    assert step.done
    assert math.hypot(pose.x, pose.y) == pytest.approx(10.0)
    assert pose.odometer_m == pytest.approx(10.0)


def test_turn_wraps_the_heading() -> None:
    pose = Pose(heading_deg=350.0)
    turn = Turn(20.0)
    assert not turn.advance(pose, 5.0, Terrain(1)).done
    assert pose.heading_deg == pytest.approx(0.0)
    assert turn.advance(pose, 100.0, Terrain(1)).done
    assert pose.heading_deg == pytest.approx(10.0)
    Turn(-30.0).advance(pose, 100.0, Terrain(1))
    assert pose.heading_deg == pytest.approx(340.0)


def test_terrain_is_deterministic_by_seed() -> None:
    a = Terrain(5).hazards_near(100, -200, 150)
    assert a == Terrain(5).hazards_near(100, -200, 150)
    assert a != Terrain(6).hazards_near(100, -200, 150)
    assert {h.kind for h in Terrain(5).hazards_near(0, 0, 1000)} == {"rock", "slope", "soft_soil"}


def test_contact_stops_at_the_hazard_edge_and_lets_the_rover_back_off() -> None:
    terrain = Terrain(2)
    hazard = min(terrain.hazards_near(0, 0, 100), key=lambda h: math.hypot(h.x, h.y))
    d = math.hypot(hazard.x, hazard.y)
    ux, uy = hazard.x / d, hazard.y / d
    contact = terrain.contact(0, 0, ux, uy, d)
    assert contact is not None
    assert contact.distance <= d - hazard.reach + 1e-9
    x, y = ux * contact.distance, uy * contact.distance
    assert terrain.contact(x, y, -ux, -uy, 5.0) is None


def test_more_power_at_local_noon_than_at_night() -> None:
    noon, midnight = at_ltst(12.0), at_ltst(0.0)
    assert solar_power_w(ZHURONG, midnight, 1.0) == 0.0
    at_noon = solar_power_w(ZHURONG, noon, 1.0)
    assert 250 < at_noon < 600
    assert solar_power_w(ZHURONG, noon, 0.5) == pytest.approx(at_noon / 2)
    assert solar_power_w(ZHURONG, at_ltst(9.0), 1.0) < at_noon


def test_irradiance_follows_the_orbit() -> None:
    assert solar_irradiance_w_m2(251.0) == pytest.approx(715, abs=5)  # perihelion
    assert solar_irradiance_w_m2(71.0) == pytest.approx(493, abs=5)  # aphelion


def test_battery_drains_at_night_and_charges_by_day() -> None:
    start = at_ltst(21.0)
    physics = RoverPhysics.create(ZHURONG, 1, start, 45.0)
    soc0 = physics.battery.soc_pct
    for i in range(1, 61):
        physics.step(start + timedelta(minutes=i), 60.0, 45.0)
    assert physics.battery.soc_pct == pytest.approx(soc0 - 45 / 1008 * 100, abs=0.01)
    assert physics.battery.voltage_v < 7 * cell_ocv(physics.battery.soc_pct)
    noon = at_ltst(11.0)
    physics = RoverPhysics.create(ZHURONG, 1, noon, 45.0)
    for i in range(1, 61):
        physics.step(noon + timedelta(minutes=i), 60.0, 45.0)
    assert physics.battery.soc_pct > soc0 + 10
    assert physics.solar_w > physics.load_w


def test_temperatures_follow_the_sol() -> None:
    assert air_temp_c(ZHURONG, at_ltst(14.5)) == pytest.approx(-20.0, abs=0.5)
    assert air_temp_c(ZHURONG, at_ltst(2.5)) == pytest.approx(-90.0, abs=0.5)
    start = at_ltst(14.0)
    physics = RoverPhysics.create(ZHURONG, 1, start, 45.0)
    warm = physics.thermal.battery_c
    for i in range(1, 13 * 60):
        physics.step(start + timedelta(minutes=i), 60.0, 45.0)
    assert physics.thermal.battery_c < warm - 5
    assert -20 < physics.thermal.battery_c < 35  # inside its limits without a heater


def test_dust_settles() -> None:
    physics = RoverPhysics.create(ZHURONG, 1, T0, 45.0)
    before = physics.dust_factor
    physics.step(T0 + timedelta(hours=1), 3600.0, 45.0)
    assert physics.dust_factor < before
    physics.shake_arrays()
    assert physics.dust_factor > 0.99
