"""The C header is derived from the dictionary alone, and says what the dictionary says."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from hil.bridge import BridgeConfig
from hil.codegen import c_float, commands_id, generate_header, shared_constants
from rover_fw_sim.flight import FlightSoftware
from rover_fw_sim.kinematics import Turn
from rover_fw_sim.physics import RoverPhysics
from rover_fw_sim.requests import MEMORY
from spacelink.dictionary import DICTIONARY, Dictionary
from spacelink.packets import MAX_TC_SIZE, REASON_MAX, FailureCode, Verification
from spacelink.rovers import ZHURONG
from tests.rover_fw_sim.tctools import T0, tc, verifications


def defines(text: str) -> dict[str, str]:
    return dict(re.findall(r"^#define (\w+)\s+(\S+)", text, flags=re.MULTILINE))


def test_header_is_deterministic() -> None:
    assert generate_header() == generate_header()


def test_header_spells_apid_functions_and_failures() -> None:
    d = defines(generate_header())
    assert d["RO_APID"] == f"0x{ZHURONG.apid:03X}u"
    for command in DICTIONARY.commands:
        if command.function_id is not None:
            assert d[f"RO_FID_{command.name}"] == f"{command.function_id}u"
        assert d[f"RO_CMD_{command.name}_ARGS_SIZE"] == f"{command.args_size}u"
    for code in FailureCode:
        assert d[f"RO_FAIL_{code.name}"] == f"{code.value}u"
    assert d["RO_ARG_DRIVE_SPEED_MPS_MAX"] == "(0.0556f)"
    assert d["RO_ENUM_MODE_SLEEP"] == "2u"


def test_housekeeping_offsets_follow_the_structure() -> None:
    d = defines(generate_header())
    structure = DICTIONARY.structure(1)
    assert structure is not None
    offset = 0
    for channel in structure.channels:
        assert d[f"RO_HK1_{channel.name.upper()}_OFFSET"] == f"{offset}u"
        offset += channel.field.size
    assert d["RO_HK1_SIZE"] == f"{offset}u"
    assert d["RO_HK1_PERIOD_MS"] == "1000u"


def test_c_float_is_a_c_literal() -> None:
    assert c_float(100) == "(100.0f)"
    assert c_float(-20.5) == "(-20.5f)"


@pytest.mark.skipif(shutil.which("cc") is None, reason="no host C compiler")
def test_header_compiles_with_its_tables(tmp_path: Path) -> None:
    (tmp_path / "dictionary.h").write_text(generate_header())
    source = tmp_path / "t.c"
    source.write_text('#define RO_DICTIONARY_TABLES\n#include "dictionary.h"\n'
                      "int main(void) {\n"
                      "    return ro_commands[RO_CMD_DRIVE_INDEX].n_args == 2 ? 0 : 1;\n}\n")
    subprocess.run(["cc", "-std=c11", "-Wall", "-Werror", str(source), "-o", str(tmp_path / "t")],
                   check=True)
    assert subprocess.run([str(tmp_path / "t")], check=False).returncode == 0


def test_header_spells_each_command_kind() -> None:
    d = defines(generate_header())
    for command in DICTIONARY.commands:
        assert d[f"RO_CMD_{command.name}_KIND"] == f"RO_KIND_{command.kind.upper()}"
    assert {d[f"RO_KIND_{k.upper()}"] for k in ("system", "motion", "instrument",
                                                 "configuration")} == {"0u", "1u", "2u", "3u"}
    assert d["RO_MAX_TC_SIZE"] == f"{MAX_TC_SIZE}u"


def test_firmware_executes_every_command_but_instruments() -> None:
    """The board supports every kind but instrument (rover_supports, from the table), so
    rover_execute needs a case for each such command; a new one in the dictionary fails here
    until the firmware has it."""
    source = (Path(__file__).resolve().parents[2] / "hil" / "firmware" / "rover.c").read_text()
    for command in DICTIONARY.commands:
        case = f"case RO_CMD_{command.name}_INDEX:"
        assert (case in source) == (command.kind != "instrument"), command.name


def test_command_table_id_and_names() -> None:
    """The board keeps command indices in EEPROM under RO_COMMANDS_ID: any change to the
    table that could make an index mean another command changes the id."""
    text = generate_header()
    assert defines(text)["RO_COMMANDS_ID"] == f"0x{commands_id(DICTIONARY):04X}u"
    for command in DICTIONARY.commands:
        assert f'    "{command.name}",' in text
    commands = DICTIONARY.commands
    swapped = Dictionary((commands[1], commands[0], *commands[2:]), DICTIONARY.housekeeping,
                         DICTIONARY.events)
    fewer = Dictionary(commands[:-1], DICTIONARY.housekeeping, DICTIONARY.events)
    assert len({commands_id(d) for d in (DICTIONARY, swapped, fewer)}) == 3


def _c_number(literal: str) -> float:
    """The value of a generated C literal: ``(2.0f)``, ``64u``, ``115200UL``."""
    return float(re.sub(r"^\((.*)f\)$|[uUlL]+$", r"\1", literal))


def test_header_has_the_numbers_the_emulator_runs_with() -> None:
    """The board's shared numbers are what the emulator actually does (its start pose and
    battery, turn rate, progress step, execute-once depth) and what the bridge and the
    packets use (baud, reason length)."""
    d = defines(generate_header())
    world = RoverPhysics.create(ZHURONG, 0, T0, 45.0)
    rover = FlightSoftware(ZHURONG, T0)
    rover.handle_tc(tc("DRIVE", seq=1, distance_m=10.0, speed_mps=0.05), T0)
    tms = rover.tick(T0 + timedelta(seconds=55), 1.0)  # 27.5 % of the way, in one step
    steps = [r.step for r in verifications(tms, 1) if r.kind == Verification.PROGRESS_SUCCESS]
    step_pct = _c_number(d["RO_MOTION_PROGRESS_PCT"])
    assert steps == [27.5 // step_pct * step_pct]  # the last multiple of the step reached
    running = {
        "RO_START_HEADING_DEG": world.pose.heading_deg,
        "RO_START_SOC_PCT": world.battery.soc_pct,
        "RO_TURN_RATE_DEG_S": Turn(90.0).rate_deg_s,
        "RO_MAX_SPEED_MPS": DICTIONARY.command("DRIVE").args[1].field.max,
        "RO_EXECUTE_ONCE_DEPTH": MEMORY,
        "RO_SERIAL_BAUD": next(f.default for f in dataclasses.fields(BridgeConfig)
                               if f.name == "baud"),
        "RO_REASON_MAX": REASON_MAX,
    }
    for name, value in running.items():
        assert _c_number(d[name]) == pytest.approx(value), name
    for name, value in shared_constants().items():  # every one spelled, none rounded
        assert _c_number(d[name]) == value, name


def test_the_firmware_defines_only_its_own_numbers() -> None:
    """A number the emulator also has comes from the generated header: the hand-written
    firmware defines only the board's own (a new one joins this list, or the header)."""
    own = {"F_CPU", "BAUD", "UART_RX_SIZE", "FRAME_MAX", "TM_MAX", "BATTERY_DRAIN_PCT_PER_M",
           "DEDUP_SIZE", "DEDUP_LAYOUT", "ORDER_EMPTY", "ORDER_MODULO", "DEDUP_RUNNING",
           "DEDUP_NO_COMMAND", "MOTION_NONE", "MOTION_DRIVE", "MOTION_TURN", "DEG2RAD",
           "BAUD_TOL",
           # mirrors the literal 8 in spacelink/framing.py, which has no name to generate from
           "LINK_MIN_PACKET"}
    firmware = Path(__file__).resolve().parents[2] / "hil" / "firmware"
    found: dict[str, str] = {}
    for source in [*firmware.glob("*.c"), *firmware.glob("*.h")]:
        for name, value in re.findall(r"^\s*#define (\w+)[ \t]+(\S+)", source.read_text(),
                                      flags=re.MULTILINE):
            if not name.startswith("RO_"):
                found[name] = value
    assert set(found) <= own, set(found) - own
    assert found["BAUD"] == "RO_SERIAL_BAUD" and found["DEDUP_SIZE"] == "RO_EXECUTE_ONCE_DEPTH"


def test_a_built_header_is_the_generated_one() -> None:
    """`make firmware` writes it; one left behind by an older dictionary or rover fails."""
    built = Path(__file__).resolve().parents[2] / "hil" / "firmware" / "generated" / "dictionary.h"
    if not built.exists():
        pytest.skip("no firmware header built (make firmware-header)")
    assert built.read_text() == generate_header()
