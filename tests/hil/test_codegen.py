"""The C header is derived from the dictionary alone, and says what the dictionary says."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from hil.codegen import c_float, commands_id, generate_header
from spacelink.dictionary import DICTIONARY, Dictionary
from spacelink.packets import MAX_TC_SIZE, FailureCode
from spacelink.rovers import ZHURONG


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
