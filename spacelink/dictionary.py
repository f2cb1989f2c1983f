"""The command and telemetry dictionary: the one source of truth.

API validation, the web composer, the emulator, the docs and the board firmware's C header are
all derived from the tables at the bottom of this module; nothing restates them by hand.
Types are big-endian on the wire (``struct`` codes below); ``enum`` is one byte indexing
``choices``; ``bool`` is one byte, 0 or 1.

Every command has a ``kind`` that says how the rover treats it (docs/protocol.md):

- ``system``: the link and the vehicle's own care (PING, STOP, SYNC_TIME, REBOOT); never
  forbidden;
- ``motion``: moves the rover (DRIVE, TURN); one at a time, only in ``nominal`` mode;
- ``instrument``: a timed payload or mechanism run that draws power; forbidden in ``sleep``;
- ``configuration``: changes a setting (SET_MODE, SET_HEATER) and completes at once.

What else a command means to the ground is declared here too, once, and read by the ground's
lifecycle (deadlines), the emulator (how long it runs, how it moves) and the console (through
``GET /api/v1/dictionary``): whether it is ``hazardous`` (the console asks for a confirmation),
its :class:`Duration` (fixed, or an expression of its arguments), and for a motion command how
it ``moves`` the rover. Nothing else names a command to learn these.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from spacelink.errors import ArgumentError, UnknownCommandError
from spacelink.rovers import VEHICLE

ArgType = Literal["u8", "u16", "u32", "i16", "i32", "f32", "bool", "enum"]
CommandKind = Literal["system", "motion", "instrument", "configuration"]
COMMAND_KINDS: tuple[CommandKind, ...] = ("system", "motion", "instrument", "configuration")
Moves = Literal["drive", "turn"]
MOVES: tuple[Moves, ...] = ("drive", "turn")
Severity = Literal["info", "low", "medium", "high"]
Value = float | int | bool | str

STRUCT_CODES: Mapping[ArgType, str] = {
    "u8": "B", "u16": "H", "u32": "I", "i16": "h", "i32": "i",
    "f32": "f", "bool": "B", "enum": "B",
}
_INT_RANGES: Mapping[str, tuple[int, int]] = {
    "u8": (0, 0xFF), "u16": (0, 0xFFFF), "u32": (0, 0xFFFF_FFFF),
    "i16": (-0x8000, 0x7FFF), "i32": (-0x8000_0000, 0x7FFF_FFFF),
}


@dataclass(frozen=True, slots=True)
class Field:
    """A typed value on the wire: a command argument, a telemetry channel or an event parameter."""

    name: str
    type: ArgType
    unit: str | None = None
    description: str = ""
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.type not in STRUCT_CODES:
            raise ValueError(f"{self.name}: unknown type {self.type!r}")
        if (self.type == "enum") != (self.choices is not None):
            raise ValueError(f"{self.name}: choices go with type enum, and only with it")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"{self.name}: min above max")

    @property
    def size(self) -> int:
        return struct.calcsize(">" + STRUCT_CODES[self.type])

    def check(self, value: object) -> Value:
        """The value, normalised, or :class:`ArgumentError` naming this field."""
        if self.type == "enum":
            choices = self._choices()
            if not isinstance(value, str) or value not in choices:
                raise ArgumentError(self.name, f"must be one of {', '.join(choices)}")
            return value
        if self.type == "bool":
            if not isinstance(value, bool):
                raise ArgumentError(self.name, "must be true or false")
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ArgumentError(self.name, f"must be a number ({self.type})")
        number: float | int
        if self.type == "f32":
            number = float(value)
            if not math.isfinite(number):
                raise ArgumentError(self.name, "must be finite")
        else:
            if isinstance(value, float) and not value.is_integer():
                raise ArgumentError(self.name, f"must be a whole number ({self.type})")
            number = int(value)
            lo, hi = _INT_RANGES[self.type]
            if not lo <= number <= hi:
                raise ArgumentError(self.name, f"does not fit {self.type}")
        if self.min is not None and number < self.min:
            raise ArgumentError(self.name, f"{number} is below the minimum {self.min:g}")
        if self.max is not None and number > self.max:
            raise ArgumentError(self.name, f"{number} is above the maximum {self.max:g}")
        return number

    def pack(self, value: Value) -> bytes:
        raw: int | float | bool = value if not isinstance(value, str) else self._index(value)
        return struct.pack(">" + STRUCT_CODES[self.type], raw)

    def unpack(self, data: bytes, offset: int) -> Value:
        raw: int | float = struct.unpack_from(">" + STRUCT_CODES[self.type], data, offset)[0]
        if self.type == "enum":
            choices = self._choices()
            if int(raw) >= len(choices):
                raise ArgumentError(self.name, f"enum index {raw} out of range")
            return choices[int(raw)]
        if self.type == "bool":
            if raw not in (0, 1):
                raise ArgumentError(self.name, f"bool byte {int(raw)} is not 0 or 1")
            return bool(raw)
        if self.type == "f32":
            return float(raw)
        return int(raw)

    def _index(self, choice: str) -> int:
        return self._choices().index(choice)

    def _choices(self) -> tuple[str, ...]:
        if self.choices is None:  # __post_init__ rules it out for an enum
            raise TypeError(f"{self.name} is not an enum")
        return self.choices

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name, "type": self.type, "unit": self.unit,
            "description": self.description, "min": self.min, "max": self.max,
            "choices": list(self.choices) if self.choices else None,
        }


@dataclass(frozen=True, slots=True)
class Argument:
    field: Field
    default: Value | None = None

    @property
    def optional(self) -> bool:
        return self.default is not None

    def to_json(self) -> dict[str, object]:
        return {**self.field.to_json(), "default": self.default, "optional": self.optional}


_NUMERIC: frozenset[ArgType] = frozenset({"u8", "u16", "u32", "i16", "i32", "f32"})


@dataclass(frozen=True, slots=True)
class Duration:
    """How long a command runs on the rover, in mission seconds: ``fixed_s``, plus, when
    ``amount`` names an argument, that argument's magnitude over ``rate`` (a number per mission
    second, or the name of the argument that holds it).

    ``Duration(20)``: 20 s. ``Duration(amount="duration_s")``: as long as the argument says.
    ``Duration(amount="distance_m", rate="speed_mps")``: distance over speed. For a motion
    command the amount is also how far it moves the rover (:attr:`Command.moves`) and the rate
    how fast.
    """

    fixed_s: float = 0.0
    amount: str | None = None
    rate: float | str = 1.0

    def __post_init__(self) -> None:
        if not math.isfinite(self.fixed_s) or self.fixed_s < 0:
            raise ValueError(f"duration: fixed_s {self.fixed_s} is not a time")
        if isinstance(self.rate, float | int) and not (math.isfinite(self.rate) and self.rate > 0):
            raise ValueError(f"duration: rate {self.rate} is not positive")

    def to_json(self) -> dict[str, object]:
        return {"fixed_s": self.fixed_s, "amount": self.amount, "rate": self.rate}


@dataclass(frozen=True, slots=True)
class Command:
    """A telecommand. ST[08] functions carry ``function_id``; other services have their own.

    ``duration`` and ``kind`` are declared for every command; ``moves`` for every ``motion``
    command and only for those: ``drive`` goes the duration's amount in metres along the
    heading (negative: backwards), ``turn`` adds it in degrees to the heading (positive:
    counter-clockwise), each at the duration's rate.
    """

    name: str
    description: str
    service: int
    subtype: int
    function_id: int | None = None
    args: tuple[Argument, ...] = ()
    hazardous: bool = False
    duration: Duration = field(kw_only=True)
    kind: CommandKind = field(kw_only=True)
    moves: Moves | None = field(default=None, kw_only=True)

    def __post_init__(self) -> None:
        if (self.service == 8) != (self.function_id is not None):
            raise ValueError(f"{self.name}: a function id goes with ST[08], and only with it")
        if self.kind not in COMMAND_KINDS:
            raise ValueError(f"{self.name}: unknown kind {self.kind!r}")
        if (self.kind == "motion") != (self.moves is not None):
            raise ValueError(f"{self.name}: a motion command says how it moves, and only it")
        if self.moves is not None and self.moves not in MOVES:
            raise ValueError(f"{self.name}: unknown movement {self.moves!r}")
        if self.moves is not None and self.duration.amount is None:
            raise ValueError(f"{self.name}: a motion's duration names the argument it moves by")
        self._check_duration()

    def _check_duration(self) -> None:
        by_name = {a.field.name: a for a in self.args}
        amount, rate = self.duration.amount, self.duration.rate
        if amount is not None:
            arg = by_name.get(amount)
            if arg is None or arg.field.type not in _NUMERIC:
                raise ValueError(f"{self.name}: duration amount {amount!r} is no number argument")
        if isinstance(rate, str):
            arg = by_name.get(rate)
            if arg is None or arg.field.type not in _NUMERIC:
                raise ValueError(f"{self.name}: duration rate {rate!r} is no number argument")
            if arg.field.min is None or arg.field.min <= 0:
                raise ValueError(f"{self.name}: duration rate {rate!r} may not reach zero")
            if amount is None:
                raise ValueError(f"{self.name}: a duration rate without an amount")

    def _number(self, args: Mapping[str, object], name: str) -> float | None:
        """An argument's value, else its default; None when neither is a number."""
        value = args.get(name)
        if value is None:
            value = next((a.default for a in self.args if a.field.name == name), None)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value)

    def amount(self, args: Mapping[str, object]) -> float:
        """The signed amount the duration counts (a motion's distance or angle); 0 if none."""
        name = self.duration.amount
        return 0.0 if name is None else self._number(args, name) or 0.0

    def rate(self, args: Mapping[str, object]) -> float:
        """The duration's rate: amount per mission second (a motion's speed or turn rate)."""
        rate = self.duration.rate
        return float(rate) if not isinstance(rate, str) else self._number(args, rate) or 0.0

    def duration_s(self, args: Mapping[str, object]) -> float:
        """Mission seconds the command runs with ``args`` (defaults fill what is missing)."""
        rate = self.rate(args)
        run = abs(self.amount(args)) / rate if rate > 0 else 0.0
        return self.duration.fixed_s + run

    @property
    def expected_duration_s(self) -> float | None:
        """The duration with the arguments' defaults; None when an argument without a default
        sets it."""
        used = {self.duration.amount, self.duration.rate}
        if any(a.default is None for a in self.args if a.field.name in used):
            return None
        return self.duration_s({})

    def validate(self, args: Mapping[str, object]) -> dict[str, Value]:
        """Arguments checked and completed with defaults, or :class:`ArgumentError`."""
        known = {a.field.name for a in self.args}
        for name in args:
            if name not in known:
                raise ArgumentError(name, f"{self.name} takes no argument {name!r}")
        checked: dict[str, Value] = {}
        for arg in self.args:
            if arg.field.name in args:
                checked[arg.field.name] = arg.field.check(args[arg.field.name])
            elif arg.default is not None:
                checked[arg.field.name] = arg.default
            else:
                raise ArgumentError(arg.field.name, "is required")
        return checked

    def pack_args(self, args: Mapping[str, Value]) -> bytes:
        """Application data of the TC, for arguments already validated."""
        head = b"" if self.function_id is None else struct.pack(">H", self.function_id)
        return head + b"".join(a.field.pack(args[a.field.name]) for a in self.args)

    @property
    def args_size(self) -> int:
        return sum(a.field.size for a in self.args)

    def unpack_args(self, data: bytes) -> dict[str, Value]:
        """Arguments from application data after the function id; checked against the ranges."""
        if len(data) != self.args_size:
            raise ArgumentError(
                "args", f"{self.name} takes {self.args_size} bytes of arguments, got {len(data)}"
            )
        values: dict[str, Value] = {}
        offset = 0
        for arg in self.args:
            values[arg.field.name] = arg.field.check(arg.field.unpack(data, offset))
            offset += arg.field.size
        return values

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name, "description": self.description, "service": self.service,
            "subtype": self.subtype, "function_id": self.function_id, "kind": self.kind,
            "hazardous": self.hazardous, "expected_duration_s": self.expected_duration_s,
            "duration": self.duration.to_json(), "moves": self.moves,
            "args": [a.to_json() for a in self.args],
        }


@dataclass(frozen=True, slots=True)
class Limits:
    red_low: float | None = None
    yellow_low: float | None = None
    yellow_high: float | None = None
    red_high: float | None = None

    def state(self, value: float) -> Literal["nominal", "yellow", "red"]:
        if (self.red_low is not None and value < self.red_low) or (
            self.red_high is not None and value > self.red_high
        ):
            return "red"
        if (self.yellow_low is not None and value < self.yellow_low) or (
            self.yellow_high is not None and value > self.yellow_high
        ):
            return "yellow"
        return "nominal"


@dataclass(frozen=True, slots=True)
class Channel:
    field: Field
    limits: Limits | None = None

    @property
    def name(self) -> str:
        return self.field.name

    def to_json(self) -> dict[str, object]:
        data = self.field.to_json()
        del data["min"], data["max"]
        limits = self.limits
        data["limits"] = None if limits is None else {
            "red_low": limits.red_low, "yellow_low": limits.yellow_low,
            "yellow_high": limits.yellow_high, "red_high": limits.red_high,
        }
        return data


@dataclass(frozen=True, slots=True)
class HousekeepingStructure:
    """An ST[03] report: structure id, then the channels in order.

    ``period_s`` is in wall seconds of the rover's own oscillator: a compressed mission clock
    makes the rover move faster, not chatter faster.
    """

    sid: int
    name: str
    period_s: float
    channels: tuple[Channel, ...]

    @property
    def size(self) -> int:
        return sum(c.field.size for c in self.channels)

    def pack(self, values: Mapping[str, Value]) -> bytes:
        return struct.pack(">H", self.sid) + b"".join(
            c.field.pack(values[c.name]) for c in self.channels
        )

    def unpack(self, params: bytes) -> dict[str, Value]:
        """Channel values from the report's parameters after the structure id."""
        if len(params) != self.size:
            raise ArgumentError("housekeeping",
                                f"SID {self.sid} is {self.size} bytes, got {len(params)}")
        values: dict[str, Value] = {}
        offset = 0
        for channel in self.channels:
            values[channel.name] = channel.field.unpack(params, offset)
            offset += channel.field.size
        return values


@dataclass(frozen=True, slots=True)
class Event:
    """An ST[05] event report: event id, then the parameters in order."""

    name: str
    event_id: int
    severity: Severity
    description: str
    params: tuple[Field, ...] = ()

    @property
    def subtype(self) -> int:
        """PUS ST[05]: 1 informative, 2 low, 3 medium, 4 high severity."""
        return {"info": 1, "low": 2, "medium": 3, "high": 4}[self.severity]

    def pack(self, values: Mapping[str, Value]) -> bytes:
        packed = b"".join(p.pack(values[p.name]) for p in self.params)
        return struct.pack(">H", self.event_id) + packed

    def unpack(self, params: bytes) -> dict[str, Value]:
        expected = sum(p.size for p in self.params)
        if len(params) != expected:
            raise ArgumentError("event", f"{self.name} is {expected} bytes, got {len(params)}")
        values: dict[str, Value] = {}
        offset = 0
        for p in self.params:
            values[p.name] = p.unpack(params, offset)
            offset += p.size
        return values

    def message(self, values: Mapping[str, Value]) -> str:
        shown = ", ".join(f"{k}={_fmt(v)}" for k, v in values.items())
        return f"{self.description}" + (f" ({shown})" if shown else "")

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name, "id": self.event_id, "severity": self.severity,
            "description": self.description, "params": [p.to_json() for p in self.params],
        }


def _fmt(value: Value) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class Dictionary:
    commands: tuple[Command, ...]
    housekeeping: tuple[HousekeepingStructure, ...]
    events: tuple[Event, ...]
    _by_name: dict[str, Command] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        by_name = {c.name: c for c in self.commands}
        if len(by_name) != len(self.commands):
            raise ValueError("duplicate command names")
        fids = [c.function_id for c in self.commands if c.function_id is not None]
        if len(set(fids)) != len(fids):
            raise ValueError("duplicate function ids")
        names = [c.name for hk in self.housekeeping for c in hk.channels]
        if len(set(names)) != len(names):
            raise ValueError("a channel appears in two housekeeping structures")
        object.__setattr__(self, "_by_name", by_name)

    def command(self, name: str) -> Command:
        try:
            return self._by_name[name]
        except KeyError:
            raise UnknownCommandError(name) from None

    def by_function(self, function_id: int) -> Command | None:
        return next((c for c in self.commands if c.function_id == function_id), None)

    def by_service(self, service: int, subtype: int) -> Command | None:
        return next(
            (c for c in self.commands
             if c.function_id is None and (c.service, c.subtype) == (service, subtype)),
            None,
        )

    def structure(self, sid: int) -> HousekeepingStructure | None:
        return next((s for s in self.housekeeping if s.sid == sid), None)

    def event(self, event_id: int) -> Event | None:
        return next((e for e in self.events if e.event_id == event_id), None)

    def event_named(self, name: str) -> Event:
        return next(e for e in self.events if e.name == name)

    @property
    def channels(self) -> tuple[Channel, ...]:
        return tuple(c for hk in self.housekeeping for c in hk.channels)

    def to_json(self) -> dict[str, object]:
        return {
            "commands": [c.to_json() for c in self.commands],
            "telemetry": [c.to_json() for c in self.channels],
            "events": [e.to_json() for e in self.events],
            "housekeeping": [
                {"sid": s.sid, "name": s.name, "period_s": s.period_s,
                 "channels": [c.name for c in s.channels]}
                for s in self.housekeeping
            ],
        }


# --------------------------------------------------------------------------------------------
# The tables, for the vehicle in spacelink.rovers (Zhurong).

MODES = ("nominal", "safe", "sleep")
CAMERAS = ("natecam", "mscam", "hazcam_front", "hazcam_rear")
HAZARDS = ("rock", "slope", "soft_soil")
HEATER_ZONES = ("battery", "instruments")
MAX_SPEED_MPS = VEHICLE.max_speed_mps
LIBS_SHOTS_PER_S = 0.5  # one laser shot and its spectra readout every 2 s
AT_ONCE = Duration(0)


def _arg(name: str, type_: ArgType, unit: str | None, description: str, *,
         lo: float | None = None, hi: float | None = None,
         choices: tuple[str, ...] | None = None, default: Value | None = None) -> Argument:
    return Argument(Field(name, type_, unit, description, lo, hi, choices), default)


COMMANDS: tuple[Command, ...] = (
    Command("PING", "Are you there? Answered with an ST[17] pong.", 17, 1, duration=AT_ONCE,
            kind="system"),
    Command(
        "DRIVE", "Drive straight ahead (negative: reverse); stops at a detected hazard.", 8, 1, 1,
        (
            _arg("distance_m", "f32", "m", "Distance to drive", lo=-20, hi=100),
            _arg("speed_mps", "f32", "m/s", "Wheel speed", lo=0.005, hi=MAX_SPEED_MPS,
                 default=0.05),
        ),
        duration=Duration(amount="distance_m", rate="speed_mps"), kind="motion", moves="drive",
    ),
    Command("TURN", "Turn in place (positive: to the left).", 8, 1, 2,
            (_arg("angle_deg", "f32", "deg", "Angle to turn", lo=-180, hi=180),),
            duration=Duration(amount="angle_deg", rate=VEHICLE.turn_rate_deg_s), kind="motion",
            moves="turn"),
    Command("STOP", "Stop any motion now.", 8, 1, 3, duration=AT_ONCE, kind="system"),
    Command("SET_MODE", "Change the rover's operating mode.", 8, 1, 4,
            (_arg("mode", "enum", None, "Operating mode", choices=MODES),),
            hazardous=True, duration=Duration(1), kind="configuration"),
    Command("TAKE_IMAGE", "Acquire an image.", 8, 1, 5,
            (_arg("camera", "enum", None, "Camera", choices=CAMERAS),),
            duration=Duration(20), kind="instrument"),
    Command("RADAR_SOUNDING", "Subsurface radar (RoPeR) sounding.", 8, 1, 6,
            (_arg("duration_s", "u16", "s", "Sounding duration", lo=10, hi=3600),
             _arg("channel", "enum", None, "Low (deep) or high (shallow) frequency channel",
                  choices=("low", "high"), default="low")),
            duration=Duration(amount="duration_s"), kind="instrument"),
    Command("LIBS_SHOT", "MarSCoDe laser-induced breakdown spectroscopy on a target.", 8, 1, 7,
            (_arg("target_distance_m", "f32", "m", "Distance to the target", lo=1.6, hi=7),
             _arg("shots", "u8", None, "Laser shots", lo=1, hi=60, default=30)),
            hazardous=True, duration=Duration(amount="shots", rate=LIBS_SHOTS_PER_S),
            kind="instrument"),
    Command("CLIMATE_SAMPLE", "Mars Climate Station sampling run.", 8, 1, 8,
            (_arg("duration_s", "u16", "s", "Sampling duration", lo=10, hi=3600),),
            duration=Duration(amount="duration_s"), kind="instrument"),
    Command("MAG_SAMPLE", "RoMAG magnetometer sampling run.", 8, 1, 9,
            (_arg("duration_s", "u16", "s", "Sampling duration", lo=10, hi=3600),),
            duration=Duration(amount="duration_s"), kind="instrument"),
    Command("SET_HEATER", "Switch a survival heater zone.", 8, 1, 10,
            (_arg("zone", "enum", None, "Heater zone", choices=HEATER_ZONES),
             _arg("on", "bool", None, "Heater on")),
            duration=AT_ONCE, kind="configuration"),
    Command("SHAKE_SOLAR_ARRAYS", "Tilt and shake the solar arrays to shed dust.", 8, 1, 11,
            duration=Duration(30), kind="instrument"),
    Command("SYNC_TIME", "Set the on-board mission clock and its rate.", 9, 128,
            args=(_arg("seconds", "u32", "s", "Mission time, whole seconds since 2000-01-01Z"),
                  _arg("time_scale", "f32", None, "Mission seconds per wall second",
                       lo=0.001, hi=100_000, default=1.0)),
            duration=AT_ONCE, kind="system"),
    Command("REBOOT", "Restart the flight software; what is in non-volatile memory survives.",
            8, 1, 12, hazardous=True, duration=AT_ONCE, kind="system"),
)


def _ch(name: str, type_: ArgType, unit: str | None, description: str,
        limits: Limits | None = None, choices: tuple[str, ...] | None = None) -> Channel:
    return Channel(Field(name, type_, unit, description, choices=choices), limits)


HOUSEKEEPING: tuple[HousekeepingStructure, ...] = (
    HousekeepingStructure(1, "essential", 1.0, (
        _ch("position_x_m", "f32", "m", "Position east of the landing site"),
        _ch("position_y_m", "f32", "m", "Position north of the landing site"),
        _ch("heading_deg", "f32", "deg", "Heading, counter-clockwise from east"),
        _ch("odometer_m", "f32", "m", "Distance driven since landing"),
        _ch("speed_mps", "f32", "m/s", "Ground speed", Limits(yellow_high=0.06)),
        _ch("battery_soc_pct", "f32", "%", "Battery state of charge",
            Limits(red_low=15, yellow_low=30)),
        _ch("mode", "enum", None, "Operating mode", choices=MODES),
        _ch("cmd_accepted", "u16", None, "Telecommands accepted"),
        _ch("cmd_rejected", "u16", None, "Telecommands rejected"),
        _ch("cmd_executed", "u16", None, "Telecommands executed to completion"),
    )),
    HousekeepingStructure(2, "power_thermal", 5.0, (
        _ch("solar_power_w", "f32", "W", "Solar array output"),
        _ch("load_power_w", "f32", "W", "Total load"),
        _ch("battery_voltage_v", "f32", "V", "Battery voltage", Limits(red_low=22, yellow_low=24)),
        _ch("battery_temp_c", "f32", "degC", "Battery temperature",
            Limits(red_low=-20, yellow_low=-10, yellow_high=35, red_high=45)),
        _ch("electronics_temp_c", "f32", "degC", "Electronics box temperature",
            Limits(red_low=-40, yellow_low=-30, yellow_high=50, red_high=60)),
        _ch("ambient_temp_c", "f32", "degC", "Air temperature (Mars Climate Station)"),
        _ch("dust_factor", "f32", None, "Solar array dust transmission (1 = clean)",
            Limits(red_low=0.5, yellow_low=0.7)),
    )),
)

EVENTS: tuple[Event, ...] = (
    Event("BOOT", 1, "info", "Flight software started"),
    Event("MODE_CHANGED", 2, "low", "Operating mode changed",
          (Field("from_mode", "enum", choices=MODES), Field("to_mode", "enum", choices=MODES))),
    Event("HAZARD_DETECTED", 3, "medium", "Hazard detected, motion stopped",
          (Field("x_m", "f32", "m"), Field("y_m", "f32", "m"),
           Field("kind", "enum", choices=HAZARDS))),
    Event("LOW_BATTERY", 4, "high", "Battery low",
          (Field("battery_soc_pct", "f32", "%"),)),
    Event("IMAGE_ACQUIRED", 5, "info", "Image acquired",
          (Field("camera", "enum", choices=CAMERAS), Field("image_id", "u16"))),
    Event("INSTRUMENT_DONE", 6, "info", "Instrument run finished",
          (Field("function_id", "u16"), Field("samples", "u16"))),
)

DICTIONARY = Dictionary(COMMANDS, HOUSEKEEPING, EVENTS)
