"""The HTTP API v1 contract: every body the API answers, as pydantic models.

Routes return the JSON their records make (``to_json``); FastAPI validates it against the
route's model and writes it out, so ``/openapi.json`` (and ``/docs``) shows every body exactly.
The models add nothing and change nothing: fields in the order the records write them, no
defaults filled in, and strict (``extra="forbid"``, no coercion), so a field a record adds or
drops, or a value of another type, is a server error a test sees, never a silent change of the
JSON. Numbers that may be whole or not (``Number``) keep their form (``5`` stays ``5``), and
every time is an ISO-8601 UTC string with milliseconds and ``Z`` (``IsoTime``).

The request body of ``POST /commands`` is documented from the dictionary
(:func:`command_request_schema`): one schema per command with its arguments' types, ranges and
choices, so a request the schema allows is one the ground accepts.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from ground.lifecycle import State
from spacelink import dictionary as tables
from spacelink.dictionary import ArgType, CommandKind, Moves, Severity

ISO_TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$"

IsoTime = Annotated[str, Field(pattern=ISO_TIME_PATTERN, examples=["2031-05-01T12:00:00.000Z"],
                               json_schema_extra={"format": "date-time"})]
"""A moment, ISO-8601 UTC with milliseconds and ``Z``: every time the API writes."""

Number = Annotated[int | float, WithJsonSchema({"type": "number"})]
"""A number, written as it is held: a whole one without a decimal point."""

Value = Annotated[bool | int | float | str, WithJsonSchema(
    {"anyOf": [{"type": "number"}, {"type": "boolean"}, {"type": "string"}]})]
"""A typed value of the dictionary: a number, a boolean, or an enum's choice."""


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


# ------------------------------------------------------------------ errors


class Message(_Body):
    """An error said in words: 401, 404, 405, 409."""

    detail: str = Field(examples=["unknown rover 'yutu2'"])


class Issue(_Body):
    """One thing wrong with a request; ``loc`` names where (``["body", "args", "speed_mps"]``)."""

    loc: list[str | int]
    msg: str
    type: str = Field(description="`missing`, `invalid_argument`, `unknown_command`, "
                                  "`too_large`, ... (FastAPI's and the dictionary's kinds)")
    input: Any = Field(default=None, description="What was sent there, when FastAPI says")
    ctx: dict[str, Any] | None = Field(default=None, description="The violated constraint")


class ValidationErrors(_Body):
    """422: what the request got wrong, each naming its field (FastAPI's validation shape)."""

    detail: list[Issue]


# ------------------------------------------------------------------ system


class Health(_Body):
    status: Literal["ok"]
    broker: Literal["connected", "disconnected"]


class Link(_Body):
    """The deep-space link now: its light-time model and the mission clock."""

    state: Literal["open", "closed"] = Field(
        description="`open` while the DSN says it listens: commands are radiated only then")
    light_time: str = Field(description="The model's spec: `ephemeris` or `fixed:SECONDS`")
    model: str = Field(description="The model's name: `ephemeris` or `fixed`")
    owlt_s: Number = Field(description="One-way light time now, mission seconds")
    time_scale: Number = Field(description="Mission seconds per wall second")
    now: IsoTime = Field(description="Mission time now")
    distance_km: int = Field(description="Earth-Mars distance the light time implies")
    in_flight: int | None = Field(description="Packets the DSN holds now; null before it spoke")
    closed_because: str | None = Field(description="Why nothing may be radiated; null if open")


class Site(_Body):
    name: str
    lon_e_deg: Number
    lat_deg: Number


class MarsTime(_Body):
    """Mars time at the rover's site (Mars24)."""

    msd: Number = Field(description="Mars Sol Date")
    sol: int = Field(description="Sols since landing")
    lmst: str = Field(description="Local mean solar time, HH:MM:SS")
    ltst: str = Field(description="Local true solar time, HH:MM:SS")
    ls_deg: Number = Field(description="Areocentric solar longitude")


class QueueState(_Body):
    held: bool = Field(description="True: new commands stay queued until released")
    length: int = Field(description="Commands waiting to be radiated")


class BridgeCounters(_Body):
    """What the serial bridge counts on its line (``rovers/{id}/mars/bridge``)."""

    frames_up: int = Field(description="TM frames from the board published upstream")
    frames_down: int = Field(description="TC frames written to the board")
    bytes_up: int
    bytes_down: int
    cobs_errors: int
    crc_errors: int
    too_long: int
    too_short: int
    resyncs: int = Field(description="Frames skipped for any of the reasons above")
    reopenings: int = Field(description="Times the port was opened again after losing it")
    queued: int = Field(description="TCs waiting for the board now")
    expired: int = Field(description="TCs answered BOARD_UNREACHABLE")
    screened: int = Field(description="Bytes from mars/tc that are not a TC, answered "
                                      "BAD_CRC/MALFORMED")
    board_online: bool
    port_open: bool


class Downlink(_Body):
    """The ground's accounting of the rover's telemetry (docs/delivery.md)."""

    packets: int = Field(description="Packets applied, late ones included")
    duplicates: int = Field(description="Packets already applied, received again")
    gaps: int = Field(description="Sequence counts skipped and not since filled: lost")
    late: int = Field(description="Packets never seen before that came after newer ones")
    rejected: dict[str, int] = Field(description="Packets refused, by reason")
    last_seq: int | None = Field(description="The newest packet's sequence count")


class Rover(_Body):
    """A rover: who plays it, its site's Mars time, its queue and its downlink."""

    id: str
    apid: int
    site: Site
    online: bool
    played_by: Literal["emulator", "bridge"] | None = Field(
        description="Who plays the rover while it is online")
    since: str | None = Field(description="When the current player came online (its "
                                          "presence's `since`, mission time)")
    supports: list[str] | None = Field(description="The commands the player executes; "
                                                   "null: every command of the dictionary")
    bridge: BridgeCounters | None = Field(description="The bridge's counters, when a board "
                                                      "plays the rover")
    mars: MarsTime
    queue: QueueState
    last_tm_at: IsoTime | None = Field(description="Mission time of the last packet applied")
    downlink: Downlink


# ------------------------------------------------------------------ the dictionary


class FieldSpec(_Body):
    """A typed value on the wire: an event's parameter."""

    name: str
    type: ArgType
    unit: str | None
    description: str
    min: Number | None
    max: Number | None
    choices: list[str] | None = Field(description="An enum's choices, in order")


class ArgSpec(FieldSpec):
    """A command's argument."""

    default: Value | None
    optional: bool


class DurationSpec(_Body):
    """How long a command runs on the rover: ``fixed_s``, plus, when ``amount`` names an
    argument, that argument's magnitude over ``rate``."""

    fixed_s: Number = Field(description="Mission seconds")
    amount: str | None = Field(description="The argument whose magnitude it runs by "
                                           "(a motion's distance or angle)")
    rate: Number | str = Field(description="Amount per mission second, or the argument "
                                           "that holds it")


class CommandSpec(_Body):
    name: str
    description: str
    service: int
    subtype: int
    function_id: int | None = Field(description="ST[08] function id; null for other services")
    kind: CommandKind
    hazardous: bool = Field(description="The console asks for a confirmation")
    expected_duration_s: Number | None = Field(
        description="Mission seconds it runs with its defaults; null when an argument sets it")
    duration: DurationSpec
    moves: Moves | None = Field(
        description="How a motion command moves the rover: `drive` its duration's amount in "
                    "metres along the heading, `turn` that many degrees; null for the others")
    args: list[ArgSpec]


class Limits(_Body):
    red_low: Number | None
    yellow_low: Number | None
    yellow_high: Number | None
    red_high: Number | None


class ChannelSpec(_Body):
    """A telemetry channel."""

    name: str
    type: ArgType
    unit: str | None
    description: str
    choices: list[str] | None
    limits: Limits | None


class EventSpec(_Body):
    name: str
    id: int
    severity: Severity
    description: str
    params: list[FieldSpec]


class HousekeepingSpec(_Body):
    sid: int
    name: str
    period_s: Number = Field(description="Wall seconds of the rover's own clock: period_s x "
                                         "time_scale mission seconds")
    channels: list[str]


class Dictionary(_Body):
    """Every command, telemetry channel, event and housekeeping report."""

    commands: list[CommandSpec]
    telemetry: list[ChannelSpec]
    events: list[EventSpec]
    housekeeping: list[HousekeepingSpec]


# ------------------------------------------------------------------ commands


class HistoryEntry(_Body):
    state: State
    at: IsoTime
    detail: str | None


class Command(_Body):
    """A command and its whole history (docs/delivery.md: predictions, retransmissions)."""

    id: int
    rover: str
    name: str
    args: dict[str, Value] = Field(description="Arguments as checked, defaults filled in")
    state: State
    history: list[HistoryEntry] = Field(description="Every transition and retransmission, "
                                                    "oldest first")
    radiated_at: IsoTime | None = Field(description="The latest radiation")
    predicted_arrival: IsoTime | None = Field(description="When it reaches Mars")
    predicted_ack: IsoTime | None = Field(description="The earliest acknowledgement: two "
                                                      "light times after radiation")
    error: str | None = Field(description="The rover's failure code and reason, or why the "
                                          "ground gave up")
    progress: int | None = Field(description="Percent done, as the rover reports it")
    seq_count: int | None = Field(description="The TC's sequence count, once assigned")
    deadline: IsoTime | None = Field(description="When silence means it is lost")
    retransmissions: int


# ------------------------------------------------------------------ telemetry and events


class ChannelValue(_Body):
    value: Value
    unit: str | None
    rover_time: IsoTime = Field(description="When the rover sampled it (mission time)")
    ground_time: IsoTime = Field(description="When the ground received it (mission time)")


class TelemetrySnapshot(_Body):
    channels: dict[str, ChannelValue] = Field(description="The latest value of each channel "
                                                          "heard from, by name")


class Sample(_Body):
    value: Value
    rover_time: IsoTime
    ground_time: IsoTime


class ChannelHistory(_Body):
    channel: str
    samples: list[Sample] = Field(description="Oldest first")


class RoverEvent(_Body):
    id: int
    rover: str
    name: str
    severity: Severity
    message: str
    params: dict[str, Value]
    rover_time: IsoTime
    ground_time: IsoTime
    seq_count: int | None = Field(description="Of the TM packet that carried it")


# ------------------------------------------------------------------ the command request


def command_request_schemas(dictionary: tables.Dictionary) -> dict[str, dict[str, Any]]:
    """JSON schemas for ``POST /commands``: ``CommandRequest``, one of the commands, each
    ``<Name>Request`` with its arguments as :meth:`spacelink.dictionary.Command.validate`
    checks them (types, ranges, choices, required, nothing else)."""
    names = {c.name: _schema_name(c) for c in dictionary.commands}
    schemas: dict[str, dict[str, Any]] = {
        "CommandRequest": {
            "title": "CommandRequest",
            "description": "A command of the dictionary and its arguments by name. Arguments "
                           "with a default may be left out.",
            "oneOf": [{"$ref": f"#/components/schemas/{n}"} for n in names.values()],
            "discriminator": {"propertyName": "name", "mapping": {
                c: f"#/components/schemas/{n}" for c, n in names.items()}},
        },
    }
    for command in dictionary.commands:
        schemas[names[command.name]] = _command_schema(command)
    return schemas


def _schema_name(command: tables.Command) -> str:
    return "".join(part.capitalize() for part in command.name.split("_")) + "Request"


def _command_schema(command: tables.Command) -> dict[str, Any]:
    required = [a.field.name for a in command.args if a.default is None]
    args: dict[str, Any] = {
        "type": "object", "additionalProperties": False,
        "properties": {a.field.name: _argument_schema(a) for a in command.args},
    }
    if required:
        args["required"] = required
    return {
        "title": _schema_name(command), "description": command.description, "type": "object",
        "additionalProperties": False,
        "properties": {"name": {"type": "string", "const": command.name}, "args": args},
        "required": ["name", "args"] if required else ["name"],
    }


def _argument_schema(argument: tables.Argument) -> dict[str, Any]:
    field = argument.field
    schema: dict[str, Any]
    if field.type == "enum":
        schema = {"type": "string", "enum": list(field.choices or ())}
    elif field.type == "bool":
        schema = {"type": "boolean"}
    else:
        schema = {"type": "number" if field.type == "f32" else "integer"}
        low: float | None = field.min
        high: float | None = field.max
        if field.type != "f32":
            fits_low, fits_high = _integer_range(field)
            low = fits_low if low is None else max(low, fits_low)
            high = fits_high if high is None else min(high, fits_high)
        if low is not None:
            schema["minimum"] = low
        if high is not None:
            schema["maximum"] = high
    description = field.description + (f" ({field.unit})" if field.unit else "")
    schema = {"description": f"{description}; {field.type}", **schema}
    if argument.default is not None:
        schema["default"] = argument.default
    return schema


def _integer_range(field: tables.Field) -> tuple[int, int]:
    """What an integer type holds on the wire (``u16``: 0 to 65535)."""
    bits = 8 * field.size
    if field.type.startswith("u"):
        return 0, 2**bits - 1
    return -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
