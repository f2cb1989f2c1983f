from __future__ import annotations

import math
from typing import Any

import pytest

from spacelink.dictionary import DICTIONARY, Argument, Command, Duration, Field, Limits
from spacelink.errors import ArgumentError, UnknownCommandError
from spacelink.rovers import VEHICLE


def test_every_rover_has_the_design_commands_and_channels() -> None:
    names = {c.name for c in DICTIONARY.commands}
    assert {"PING", "DRIVE", "TURN", "STOP", "SET_MODE", "TAKE_IMAGE"} <= names
    channels = {c.name for c in DICTIONARY.channels}
    assert {"position_x_m", "position_y_m", "heading_deg", "odometer_m", "battery_soc_pct",
            "mode"} <= channels


def test_defaults_fill_optional_arguments() -> None:
    assert DICTIONARY.command("DRIVE").validate({"distance_m": 3}) == {
        "distance_m": 3.0, "speed_mps": 0.05}


@pytest.mark.parametrize(("name", "args", "field"), [
    ("DRIVE", {}, "distance_m"),
    ("DRIVE", {"distance_m": 101}, "distance_m"),
    ("DRIVE", {"distance_m": "far"}, "distance_m"),
    ("DRIVE", {"distance_m": True}, "distance_m"),
    ("DRIVE", {"distance_m": math.nan}, "distance_m"),
    ("DRIVE", {"distance_m": 1, "speed_mps": 1.0}, "speed_mps"),
    ("DRIVE", {"distance_m": 1, "warp": 9}, "warp"),
    ("SET_MODE", {"mode": "turbo"}, "mode"),
    ("LIBS_SHOT", {"target_distance_m": 2, "shots": 2.5}, "shots"),
    ("SET_HEATER", {"zone": "battery", "on": 1}, "on"),
])
def test_bad_arguments_name_the_field(name: str, args: dict[str, object], field: str) -> None:
    with pytest.raises(ArgumentError) as info:
        DICTIONARY.command(name).validate(args)
    assert info.value.field == field


def test_unknown_command() -> None:
    with pytest.raises(UnknownCommandError):
        DICTIONARY.command("SELF_DESTRUCT")


def test_limits() -> None:
    limits = Limits(red_low=15, yellow_low=30)
    assert [limits.state(v) for v in (10, 20, 50)] == ["red", "yellow", "nominal"]


def test_json_view_is_complete() -> None:
    data = DICTIONARY.to_json()
    drive = next(c for c in data["commands"] if c["name"] == "DRIVE")  # type: ignore[attr-defined]
    assert drive["args"][0]["unit"] == "m"
    assert drive["args"][1]["optional"] is True
    soc = next(c for c in data["telemetry"] if c["name"] == "battery_soc_pct")  # type: ignore[attr-defined]
    assert soc["limits"]["red_low"] == 15


def test_every_command_has_a_kind_in_its_json() -> None:
    kinds = {c.name: c.kind for c in DICTIONARY.commands}
    assert kinds["DRIVE"] == kinds["TURN"] == "motion"
    assert kinds["TAKE_IMAGE"] == "instrument"
    assert kinds["SET_MODE"] == "configuration"
    assert kinds["PING"] == kinds["STOP"] == "system"
    assert all(c.to_json()["kind"] == c.kind for c in DICTIONARY.commands)


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind"):
        Command("X", "x", 17, 1, duration=Duration(), kind="weather")  # type: ignore[arg-type]


@pytest.mark.parametrize(("name", "args", "seconds"), [
    ("DRIVE", {"distance_m": -10.0, "speed_mps": 0.05}, 200.0),  # distance over speed, reverse
    ("DRIVE", {"distance_m": 3.0}, 60.0),  # the default speed, 0.05 m/s
    ("TURN", {"angle_deg": -90.0}, 90.0 / VEHICLE.turn_rate_deg_s),
    ("LIBS_SHOT", {"target_distance_m": 2.0, "shots": 10}, 20.0),  # 2 s a shot
    ("LIBS_SHOT", {"target_distance_m": 2.0}, 60.0),  # 30 shots by default
    ("RADAR_SOUNDING", {"duration_s": 600}, 600.0),  # as long as the argument says
    ("MAG_SAMPLE", {"duration_s": 10}, 10.0),
    ("TAKE_IMAGE", {"camera": "mscam"}, 20.0),
    ("SET_MODE", {"mode": "safe"}, 1.0),
    ("PING", {}, 0.0),
])
def test_each_command_declares_how_long_it_runs(name: str, args: dict[str, object],
                                                seconds: float) -> None:
    assert DICTIONARY.command(name).duration_s(args) == pytest.approx(seconds)


def test_expected_duration_is_the_declared_one_with_defaults() -> None:
    expected = {c.name: c.expected_duration_s for c in DICTIONARY.commands}
    assert expected["TAKE_IMAGE"] == 20 and expected["LIBS_SHOT"] == 60
    assert expected["DRIVE"] is expected["TURN"] is expected["MAG_SAMPLE"] is None


def test_motion_commands_say_how_they_move() -> None:
    moves = {c.name: c.moves for c in DICTIONARY.commands if c.moves is not None}
    assert moves == {"DRIVE": "drive", "TURN": "turn"}
    assert all((c.kind == "motion") == (c.moves is not None) for c in DICTIONARY.commands)
    drive, turn = DICTIONARY.command("DRIVE"), DICTIONARY.command("TURN")
    assert (drive.amount({"distance_m": -4.0}), drive.rate({"distance_m": -4.0})) == (-4.0, 0.05)
    assert (turn.amount({"angle_deg": 30.0}), turn.rate({})) == (30.0, VEHICLE.turn_rate_deg_s)


def test_json_carries_the_semantics() -> None:
    commands = {c["name"]: c for c in DICTIONARY.to_json()["commands"]}  # type: ignore[attr-defined]
    drive, turn, image = commands["DRIVE"], commands["TURN"], commands["TAKE_IMAGE"]
    assert drive["duration"] == {"fixed_s": 0.0, "amount": "distance_m", "rate": "speed_mps"}
    assert turn["duration"]["rate"] == VEHICLE.turn_rate_deg_s
    assert (drive["moves"], turn["moves"], image["moves"]) == ("drive", "turn", None)
    assert (image["duration"]["fixed_s"], image["expected_duration_s"]) == (20, 20)
    assert commands["LIBS_SHOT"]["hazardous"] is True and drive["hazardous"] is False


def _num(name: str, lo: float | None = None) -> Argument:
    return Argument(Field(name, "f32", min=lo))


@pytest.mark.parametrize(("args", "duration", "kind", "moves", "message"), [
    ((), {"amount": "distance_m"}, "instrument", None, "no number argument"),
    ((Argument(Field("mode", "enum", choices=("a",))),), {"amount": "mode"}, "instrument",
     None, "no number argument"),
    ((_num("d"), _num("v", lo=0)), {"amount": "d", "rate": "v"}, "instrument", None,
     "may not reach zero"),
    ((_num("d"),), {"amount": "d", "rate": 0.0}, "instrument", None, "not positive"),
    ((_num("d"),), {"rate": 2.0, "amount": "d"}, "motion", None, "says how it moves"),
    ((_num("d"),), {"amount": "d"}, "instrument", "drive", "says how it moves"),
    ((), {"fixed_s": 3}, "motion", "turn", "names the argument"),
    ((), {"fixed_s": -1}, "system", None, "not a time"),
])
def test_a_duration_or_movement_that_cannot_hold_is_refused(
        args: tuple[Argument, ...], duration: dict[str, Any], kind: str, moves: str | None,
        message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Command("X", "x", 8, 1, 99, args, duration=Duration(**duration),
                kind=kind, moves=moves)  # type: ignore[arg-type]
