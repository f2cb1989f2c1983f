from __future__ import annotations

import math

import pytest

from spacelink.dictionary import DICTIONARY, Limits
from spacelink.errors import ArgumentError, UnknownCommandError


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
    from spacelink.dictionary import Command

    with pytest.raises(ValueError, match="kind"):
        Command("X", "x", 17, 1, kind="weather")  # type: ignore[arg-type]


@pytest.mark.parametrize("byte", [2, 0xFF])
def test_bool_byte_past_one_is_out_of_range(byte: int) -> None:
    command = DICTIONARY.command("SET_HEATER")
    with pytest.raises(ArgumentError) as caught:
        command.unpack_args(bytes([0, byte]))
    assert caught.value.field == "on"


def test_bool_bytes_zero_and_one() -> None:
    command = DICTIONARY.command("SET_HEATER")
    assert command.unpack_args(b"\x01\x01") == {"zone": "instruments", "on": True}
    assert command.unpack_args(b"\x00\x00") == {"zone": "battery", "on": False}
