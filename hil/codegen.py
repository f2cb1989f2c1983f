"""The board firmware's C header, generated from the dictionary (never written by hand).

:func:`generate_header` is pure: a :class:`~spacelink.dictionary.Dictionary` and a rover in,
the text of ``dictionary.h`` out. It spells the APID, packet sizes, verification subtypes and
failure codes, the numbers the board shares with the emulator (:func:`shared_constants`: the
vehicle's rates, start pose and progress steps, the execute-once depth, the serial line's
speed, the longest failure reason), every command's service/subtype/function id, kind
(``RO_KIND_*``: system, motion, instrument, configuration) and argument layout (offset, type,
range, default, enum values), the housekeeping structures with channel offsets, the events, a
fingerprint of the command table (``RO_COMMANDS_ID``), and, under
``#ifdef RO_DICTIONARY_TABLES``, tables the firmware validates arguments from and the
commands' names.

``python -m hil.codegen OUTPUT`` writes the header (only when its text changed, so ``make``
does not rebuild the firmware for nothing).
"""

from __future__ import annotations

import dataclasses
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from spacelink import packets
from spacelink.dictionary import (
    COMMAND_KINDS,
    DICTIONARY,
    ArgType,
    Command,
    Dictionary,
    Event,
    Field,
    HousekeepingStructure,
)
from spacelink.rovers import EXECUTE_ONCE_DEPTH, SERIAL_BAUD, VEHICLE, ZHURONG, Rover, Vehicle

TYPE_CODES: dict[ArgType, int] = {
    "u8": 0, "u16": 1, "u32": 2, "i16": 3, "i32": 4, "f32": 5, "bool": 6, "enum": 7,
}
NO_FUNCTION = 0xFFFF


def c_name(*parts: str) -> str:
    """An upper-case C identifier fragment from dictionary names."""
    return "_".join(re.sub(r"[^A-Za-z0-9]+", "_", p).strip("_").upper() for p in parts)


def c_float(value: float) -> str:
    text = repr(float(value))
    if "." not in text and "e" not in text and "inf" not in text:
        text += ".0"
    return f"({text}f)"


def _define(name: str, value: str, comment: str = "") -> str:
    line = f"#define {name:<44} {value}"
    return f"{line}  /* {comment} */" if comment else line


def _comment(text: str) -> str:
    return "/* " + text.replace("*/", "* /") + " */"


def shared_constants(vehicle: Vehicle = VEHICLE) -> dict[str, int | float]:
    """The numbers the board firmware shares with the emulator, by C name, from where they
    live in Python (spacelink.rovers, spacelink.packets)."""
    found: dict[str, int | float] = {
        f"RO_{c_name(f.name)}": getattr(vehicle, f.name) for f in dataclasses.fields(vehicle)
    }
    found["RO_EXECUTE_ONCE_DEPTH"] = EXECUTE_ONCE_DEPTH
    found["RO_SERIAL_BAUD"] = SERIAL_BAUD
    found["RO_REASON_MAX"] = packets.REASON_MAX
    return found


def _shared_lines(vehicle: Vehicle) -> list[str]:
    lines = [_comment("Numbers shared with the emulator (spacelink/rovers.py, "
                      "spacelink/packets.py); rates per mission second.")]
    for name, value in shared_constants(vehicle).items():
        if isinstance(value, float):
            literal = c_float(value)
        else:
            literal = f"{value}UL" if value > 0xFFFF else f"{value}u"  # AVR's int is 16 bits
        lines.append(_define(name, literal))
    return [*lines, ""]


def _header_lines(rover: Rover) -> list[str]:
    return [
        _comment(f"Rover {rover.id}: one APID per rover."),
        f'#define RO_ROVER_ID "{rover.id}"',
        _define("RO_APID", f"0x{rover.apid:03X}u"),
        _define("RO_PUS_VERSION", "2u"),
        _define("RO_TC_HEADER_SIZE", f"{packets.TC_HEADER_SIZE}u", "primary 6 + PUS-C TC 5"),
        _define("RO_TM_HEADER_SIZE", f"{packets.TM_HEADER_SIZE}u", "primary 6 + PUS-C TM 7 + CUC"),
        _define("RO_CUC_SIZE", f"{packets.CUC_SIZE}u", "4 coarse + 2 fine octets"),
        _define("RO_CRC_SIZE", "2u", "CRC-16/CCITT-FALSE"),
        _define("RO_MAX_PACKET_SIZE", f"{packets.MAX_PACKET_SIZE}u"),
        _define("RO_MAX_TC_SIZE", f"{packets.MAX_TC_SIZE}u", "longer: MALFORMED"),
        _define("RO_SEQ_COUNT_MODULO", f"{packets.SEQ_COUNT_MODULO}u"),
        _define("RO_NO_FUNCTION", f"0x{NO_FUNCTION:04X}u", "a command outside ST[08]"),
        "",
        _comment("Argument and channel types (big-endian on the wire)."),
        *(_define(f"RO_T_{t.upper()}", f"{code}u") for t, code in TYPE_CODES.items()),
        "",
        _comment("ST[01] verification report subtypes."),
        *(_define(f"RO_VER_{v.name}", f"{v.value}u") for v in packets.Verification),
        "",
        _comment("Command kinds: how the rover treats a command (spacelink/dictionary.py)."),
        *(_define(f"RO_KIND_{c_name(k)}", f"{i}u") for i, k in enumerate(COMMAND_KINDS)),
        "",
        _comment("Failure codes carried in ST[01] failure notices."),
        *(_define(f"RO_FAIL_{f.name}", f"{f.value}u") for f in packets.FailureCode),
        _define("RO_FAIL_COUNT", f"{max(packets.FailureCode) + 1}u"),
        "",
    ]


def _range_lines(prefix: str, f: Field, default: object = None) -> list[str]:
    lines = [
        _define(f"{prefix}_TYPE", f"RO_T_{f.type.upper()}", f.unit or ""),
        _define(f"{prefix}_SIZE", f"{f.size}u"),
    ]
    if f.min is not None:
        lines.append(_define(f"{prefix}_MIN", c_float(f.min)))
    if f.max is not None:
        lines.append(_define(f"{prefix}_MAX", c_float(f.max)))
    if f.choices is not None:
        lines.append(_define(f"{prefix}_CHOICES", f"{len(f.choices)}u"))
    if isinstance(default, bool):
        lines.append(_define(f"{prefix}_DEFAULT", "1u" if default else "0u"))
    elif isinstance(default, int | float):
        lines.append(_define(f"{prefix}_DEFAULT", c_float(default) if f.type == "f32"
                             else f"{int(default)}"))
    elif isinstance(default, str) and f.choices is not None:
        lines.append(_define(f"{prefix}_DEFAULT", f"{f.choices.index(default)}u"))
    return lines


def _command_lines(index: int, command: Command) -> list[str]:
    name = c_name(command.name)
    lines = [
        _comment(f"{command.name}: {command.description}"),
        _define(f"RO_CMD_{name}_INDEX", f"{index}u", "in ro_commands"),
        _define(f"RO_CMD_{name}_SERVICE", f"{command.service}u"),
        _define(f"RO_CMD_{name}_SUBTYPE", f"{command.subtype}u"),
        _define(f"RO_CMD_{name}_ARGS_SIZE", f"{command.args_size}u"),
        _define(f"RO_CMD_{name}_KIND", f"RO_KIND_{c_name(command.kind)}"),
        _define(f"RO_CMD_{name}_HAZARDOUS", "1u" if command.hazardous else "0u"),
    ]
    if command.function_id is not None:
        lines.append(_define(f"RO_FID_{name}", f"{command.function_id}u"))
    offset = 0
    for arg in command.args:
        prefix = f"RO_ARG_{name}_{c_name(arg.field.name)}"
        lines.append(_define(f"{prefix}_OFFSET", f"{offset}u"))
        lines.extend(_range_lines(prefix, arg.field, arg.default))
        offset += arg.field.size
    lines.append("")
    return lines


def _enum_lines(fields: Iterable[Field]) -> list[str]:
    seen: dict[str, tuple[str, ...]] = {}
    lines = [_comment("Enumerations: one byte indexing the choices.")]
    for f in fields:
        if f.choices is None:
            continue
        known = seen.get(f.name)
        if known is not None:
            if known != f.choices:
                raise ValueError(f"enum {f.name!r} has two different sets of choices")
            continue
        seen[f.name] = f.choices
        for index, choice in enumerate(f.choices):
            lines.append(_define(f"RO_ENUM_{c_name(f.name, choice)}", f"{index}u"))
        lines.append(_define(f"RO_ENUM_{c_name(f.name)}_COUNT", f"{len(f.choices)}u"))
    lines.append("")
    return lines


def _housekeeping_lines(structure: HousekeepingStructure) -> list[str]:
    p = f"RO_HK{structure.sid}"
    lines = [
        _comment(f"ST[03,25] SID {structure.sid} {structure.name}: SID (u16), then the "
                 "channels; offsets are from the first channel."),
        _define(f"{p}_SID", f"{structure.sid}u"),
        f'#define {p}_NAME "{structure.name}"',
        _define(f"{p}_PERIOD_MS", f"{round(structure.period_s * 1000)}u"),
        _define(f"{p}_SIZE", f"{structure.size}u", "channel bytes after the SID"),
        _define(f"{p}_CHANNELS", f"{len(structure.channels)}u"),
    ]
    offset = 0
    for channel in structure.channels:
        prefix = f"{p}_{c_name(channel.name)}"
        lines.append(_define(f"{prefix}_OFFSET", f"{offset}u"))
        lines.extend(_range_lines(prefix, channel.field))
        offset += channel.field.size
    lines.append("")
    return lines


def _event_lines(event: Event) -> list[str]:
    p = f"RO_EVT_{c_name(event.name)}"
    lines = [
        _comment(f"ST[05] event {event.name} ({event.severity}): {event.description}"),
        _define(f"{p}_ID", f"{event.event_id}u"),
        _define(f"{p}_SUBTYPE", f"{event.subtype}u"),
        _define(f"{p}_SIZE", f"{sum(f.size for f in event.params)}u",
                "parameter bytes after the id"),
    ]
    offset = 0
    for param in event.params:
        lines.append(_define(f"{p}_{c_name(param.name)}_OFFSET", f"{offset}u"))
        offset += param.size
    lines.append("")
    return lines


def commands_id(dictionary: Dictionary) -> int:
    """A fingerprint of the command table: while it is unchanged, a command's index (which
    the board keeps in EEPROM) names the same command."""
    text = ";".join(f"{c.name}:{c.service}:{c.subtype}:{c.function_id}"
                    for c in dictionary.commands)
    return packets.crc16_ccitt_false(text.encode("ascii"))


def _table_lines(dictionary: Dictionary) -> list[str]:
    all_args = [(c, a) for c in dictionary.commands for a in c.args]
    name_size = max((len(a.field.name) for _, a in all_args), default=0) + 1
    command_name_size = max((len(c.name) for c in dictionary.commands), default=0) + 1
    lines = [
        _comment("Tables for generic TC validation; define RO_DICTIONARY_TABLES in exactly one "
                 "translation unit. On AVR they live in flash (read with pgm_read_*)."),
        "#ifdef __AVR__",
        "#include <avr/pgmspace.h>",
        "#define RO_FLASH PROGMEM",
        "#else",
        "#define RO_FLASH",
        "#endif",
        "",
        _define("RO_ARG_NAME_SIZE", f"{name_size}u"),
        _define("RO_COMMAND_NAME_SIZE", f"{command_name_size}u"),
        _define("RO_COMMAND_COUNT", f"{len(dictionary.commands)}u"),
        _define("RO_COMMANDS_ID", f"0x{commands_id(dictionary):04X}u",
                "changes with any command's name, service, subtype or function id, or order"),
        _define("RO_ARG_COUNT", f"{len(all_args)}u"),
        "",
        "typedef struct {",
        "    uint8_t service;",
        "    uint8_t subtype;",
        "    uint16_t function_id;  /* RO_NO_FUNCTION outside ST[08] */",
        "    uint8_t first_arg;     /* index into ro_args */",
        "    uint8_t n_args;",
        "    uint8_t args_size;     /* bytes after the function id */",
        "    uint8_t kind;          /* RO_KIND_* */",
        "} ro_command_t;",
        "",
        "typedef struct {",
        "    char name[RO_ARG_NAME_SIZE];",
        "    uint8_t type;          /* RO_T_* */",
        "    uint8_t offset;",
        "    uint8_t choices;       /* enum: number of choices, else 0 */",
        "    uint8_t has_min;",
        "    uint8_t has_max;",
        "    float min;",
        "    float max;",
        "} ro_arg_t;",
        "",
        "#ifdef RO_DICTIONARY_TABLES",
        "const ro_command_t ro_commands[RO_COMMAND_COUNT] RO_FLASH = {",
    ]
    index = 0
    for command in dictionary.commands:
        fid = NO_FUNCTION if command.function_id is None else command.function_id
        lines.append(f"    {{{command.service}u, {command.subtype}u, 0x{fid:04X}u, {index}u, "
                     f"{len(command.args)}u, {command.args_size}u, "
                     f"RO_KIND_{c_name(command.kind)}}},  /* {command.name} */")
        index += len(command.args)
    lines += ["};", "", "const ro_arg_t ro_args[RO_ARG_COUNT] RO_FLASH = {"]
    for command in dictionary.commands:
        offset = 0
        for arg in command.args:
            f = arg.field
            lines.append(
                f'    {{"{f.name}", RO_T_{f.type.upper()}, {offset}u, '
                f"{len(f.choices) if f.choices else 0}u, {int(f.min is not None)}u, "
                f"{int(f.max is not None)}u, {c_float(f.min or 0.0)}, {c_float(f.max or 0.0)}}},"
                f"  /* {command.name} */"
            )
            offset += f.size
    lines += ["};", "",
              "const char ro_command_names[RO_COMMAND_COUNT][RO_COMMAND_NAME_SIZE] RO_FLASH = {",
              *(f'    "{c.name}",' for c in dictionary.commands),
              "};", "#else",
              "extern const ro_command_t ro_commands[RO_COMMAND_COUNT] RO_FLASH;",
              "extern const ro_arg_t ro_args[RO_ARG_COUNT] RO_FLASH;",
              "extern const char ro_command_names[RO_COMMAND_COUNT][RO_COMMAND_NAME_SIZE]"
              " RO_FLASH;",
              "#endif", ""]
    return lines


def generate_header(dictionary: Dictionary = DICTIONARY, rover: Rover = ZHURONG) -> str:
    """The text of ``dictionary.h`` for ``rover``, derived from ``dictionary`` and the shared
    numbers of :func:`shared_constants`."""
    fields = [a.field for c in dictionary.commands for a in c.args]
    fields += [ch.field for hk in dictionary.housekeeping for ch in hk.channels]
    fields += [p for e in dictionary.events for p in e.params]
    lines = [
        "/* Generated by hil/codegen.py from spacelink/dictionary.py and spacelink/rovers.py. "
        "DO NOT EDIT. */",
        "#ifndef ROVEROPS_DICTIONARY_H",
        "#define ROVEROPS_DICTIONARY_H",
        "",
        "#include <stdint.h>",
        "",
        *_header_lines(rover),
        *_shared_lines(VEHICLE),
        *(line for i, c in enumerate(dictionary.commands) for line in _command_lines(i, c)),
        *_enum_lines(fields),
        *(line for hk in dictionary.housekeeping for line in _housekeeping_lines(hk)),
        *(line for e in dictionary.events for line in _event_lines(e)),
        *_table_lines(dictionary),
        "#endif  /* ROVEROPS_DICTIONARY_H */",
        "",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        print("usage: python -m hil.codegen OUTPUT.h", file=sys.stderr)
        return 2
    out = Path(args[0])
    text = generate_header()
    if not out.exists() or out.read_text() != text:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
