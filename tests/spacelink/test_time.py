"""Light-time, Mars-time and mission-clock vectors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from spacelink.clock import MissionClock, iso, parse_iso
from spacelink.errors import ClockError, LightTimeError
from spacelink.lighttime import EphemerisLightTime, FixedLightTime, parse_light_time
from spacelink.marstime import hms, mars_time
from spacelink.rovers import ZHURONG


def test_owlt_at_opposition_2020_and_conjunction_2021() -> None:
    model = EphemerisLightTime()
    assert model.owlt(datetime(2020, 10, 6, tzinfo=UTC)) == pytest.approx(207, abs=2)
    assert model.owlt(datetime(2021, 10, 8, tzinfo=UTC)) == pytest.approx(1312, abs=2)


def test_interpolation_matches_within_a_millisecond() -> None:
    model = EphemerisLightTime()
    a = model.owlt(datetime(2021, 10, 8, 0, 0, 0, tzinfo=UTC))
    b = model.owlt(datetime(2021, 10, 8, 0, 10, 0, tzinfo=UTC))
    mid = model.owlt(datetime(2021, 10, 8, 0, 5, 0, tzinfo=UTC))
    assert abs(mid - (a + b) / 2) < 1e-3


def test_light_time_specs() -> None:
    assert parse_light_time("fixed:12.5").owlt(datetime.now(UTC)) == 12.5
    assert parse_light_time("ephemeris").name == "ephemeris"
    for bad in ("fixed:", "fixed:abc", "fixed:-1", "sometimes"):
        with pytest.raises(LightTimeError):
            parse_light_time(bad)
    with pytest.raises(LightTimeError):
        FixedLightTime(float("inf"))


def test_outside_de421_is_refused() -> None:
    with pytest.raises(LightTimeError, match="outside DE421"):
        EphemerisLightTime().owlt(datetime(2060, 1, 1, tzinfo=UTC))


def test_mars24_vector() -> None:
    assert mars_time(datetime(2000, 1, 6, tzinfo=UTC)).msd == pytest.approx(44795.9998, abs=1e-4)


def test_lmst_at_zhurong() -> None:
    mt = mars_time(datetime(2000, 1, 6, tzinfo=UTC))
    # LMST = MTC + east longitude / 15 h
    assert hms(mt.lmst_h(109.925)) == hms((mt.mtc_h + 109.925 / 15) % 24)
    assert hms(mt.lmst_h(0.0)) == "23:59:39"  # Mars24 worked example: MTC 23:59:39


def test_sun_is_high_at_local_noon_and_below_at_midnight() -> None:
    start = datetime(2021, 6, 1, tzinfo=UTC)
    samples = [mars_time(start + timedelta(minutes=10 * k)) for k in range(6 * 25)]  # > a sol
    by_elevation = sorted(samples, key=lambda m: m.solar_elevation_deg(109.925, 25.066))
    lowest, highest = by_elevation[0], by_elevation[-1]
    assert abs(highest.ltst_h(109.925) - 12) < 0.2  # the sun culminates at true noon
    assert min(abs(lowest.ltst_h(109.925) - 24), lowest.ltst_h(109.925)) < 0.2
    assert highest.solar_elevation_deg(109.925, 25.066) > 40
    assert lowest.solar_elevation_deg(109.925, 25.066) < -40


def test_sols_count_from_local_midnight_at_the_site() -> None:
    landed = mars_time(ZHURONG.landed)
    assert mars_time(ZHURONG.landed).sol(landed, ZHURONG.lon_e_deg) == 0
    one_sol_later = ZHURONG.landed + timedelta(seconds=88_775.244)  # a mean solar day
    assert mars_time(one_sol_later).sol(landed, ZHURONG.lon_e_deg) == 1
    # Just before and after the site's own midnight: the sol changes there, not at MTC 00:00.
    lmst = landed.lmst_h(ZHURONG.lon_e_deg)
    to_midnight = (24 - lmst) * 3600 * 1.0274912517  # Mars hours in Earth seconds
    before = mars_time(ZHURONG.landed + timedelta(seconds=to_midnight - 60))
    after = mars_time(ZHURONG.landed + timedelta(seconds=to_midnight + 60))
    assert (before.sol(landed, ZHURONG.lon_e_deg), after.sol(landed, ZHURONG.lon_e_deg)) == (0, 1)


def test_mission_clock_scales_and_round_trips() -> None:
    clock = MissionClock(datetime(2021, 5, 22, tzinfo=UTC), anchor=1000.0, scale=60)
    assert clock.mission(1010.0) == datetime(2021, 5, 22, 0, 10, tzinfo=UTC)
    assert clock.wall(clock.mission(1234.5)) == pytest.approx(1234.5)
    assert MissionClock.from_json(clock.to_json()) == clock
    with pytest.raises(ClockError):
        MissionClock.from_json(b"{}")
    with pytest.raises(ClockError):
        MissionClock(datetime(2021, 1, 1, tzinfo=UTC), 0, scale=0)


def test_iso_has_z_and_milliseconds() -> None:
    t = datetime(2021, 5, 22, 1, 2, 3, 456789, tzinfo=UTC)
    assert iso(t) == "2021-05-22T01:02:03.456Z"
    assert parse_iso(iso(t)) == t.replace(microsecond=456000)
