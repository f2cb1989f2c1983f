"""The bus's control messages: everything on it that is not a space packet, as typed values.

Each is a frozen value with ``to_json``/``from_json``, one format per topic, versioned by a
``v`` field so a reader can refuse what it does not understand rather than misread it:

============================  ==================  =============================================
topic                         value               published by
============================  ==================  =============================================
``roverops/clock``            MissionClock        the ground (spacelink.clock), retained
``roverops/link``             :class:`LinkState`  the deep-space link, retained; will: closed
``rovers/{id}/mars/status``   :class:`Presence`   whoever plays the rover, retained; will:
                                                  offline
``rovers/{id}/mars/bridge``   BridgeCounters      the serial bridge, retained
============================  ==================  =============================================

``from_json`` raises :class:`~spacelink.errors.ControlMessageError` naming what is wrong; it
never guesses. docs/protocol.md states each format.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from typing import Literal, Self, TypeVar, cast

from spacelink.clock import MissionClock, iso
from spacelink.errors import ControlMessageError
from spacelink.lighttime import SPEED_OF_LIGHT_KM_S, LightTimeModel

VERSION = 1
LINK_STATE_PERIOD_S = 1.0
"""The relay restates the link this often (wall seconds); silent for three periods, it is
taken for closed even before its last will arrives."""

LinkOpen = Literal["open", "closed"]
PresenceState = Literal["online", "offline"]
PlayerKind = Literal["emulator", "bridge"]
LINK_STATES: tuple[LinkOpen, ...] = ("open", "closed")
PRESENCE_STATES: tuple[PresenceState, ...] = ("online", "offline")
PLAYER_KINDS: tuple[PlayerKind, ...] = ("emulator", "bridge")
_T = TypeVar("_T")
_S = TypeVar("_S", bound=str)
_MISSING = object()


def _object(payload: bytes, kind: str) -> dict[str, object]:
    try:
        data = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ControlMessageError(kind, f"not JSON: {payload[:60]!r}") from exc
    if not isinstance(data, dict):
        raise ControlMessageError(kind, f"not a JSON object: {payload[:60]!r}")
    if data.get("v", VERSION) != VERSION:
        raise ControlMessageError(kind, f"version {data.get('v')!r}, expected {VERSION}")
    return data


def _get(data: dict[str, object], kind: str, name: str, types: type[_T],
         default: object = _MISSING) -> _T:
    """Field ``name`` of type ``types`` (a bool is not taken for a number); ``default`` when
    absent or null, or an error if there is none."""
    value = data.get(name)
    if value is None:
        if default is _MISSING:
            raise ControlMessageError(kind, f"missing field {name!r}")
        return cast(_T, default)
    if isinstance(value, bool) and types is not bool:
        raise ControlMessageError(kind, f"field {name!r} is a boolean, not a {types.__name__}")
    if types is float and isinstance(value, int):
        value = float(value)
    if not isinstance(value, types):
        raise ControlMessageError(kind, f"field {name!r} is not a {types.__name__}: {value!r}")
    return value


def _choice(data: dict[str, object], kind: str, name: str, choices: tuple[_S, ...]) -> _S:
    value = _get(data, kind, name, str)
    for choice in choices:
        if value == choice:
            return choice
    raise ControlMessageError(kind, f"field {name!r} is {value!r}, not one of {choices}")


def _dump(value: LinkState | Presence | BridgeCounters) -> bytes:
    return json.dumps({"v": VERSION, **asdict(value)}, sort_keys=True).encode()


@dataclass(frozen=True, slots=True)
class LinkState:
    """The deep-space link as its relay states it, about once a second while it runs.

    ``closed`` alone (the relay's last will, or a clean stop) carries no measurement.
    """

    state: LinkOpen
    light_time: str | None = None  # the model's spec, e.g. "ephemeris" or "fixed:600"
    model: str | None = None  # the model's name
    owlt_s: float | None = None  # one-way light time now, mission seconds
    time_scale: float | None = None
    now: str | None = None  # mission time of the statement, ISO-8601 UTC
    distance_km: int | None = None
    in_flight: int | None = None  # packets the relay holds now

    @classmethod
    def measure(cls, model: LightTimeModel, spec: str, clock: MissionClock, wall: float,
                in_flight: int | None = None) -> Self:
        """An open link's state at ``wall``: the light time and distance of that moment."""
        now = clock.mission(wall)
        owlt = model.owlt(now)
        return cls("open", spec, model.name, round(owlt, 3), clock.scale, iso(now),
                   round(owlt * SPEED_OF_LIGHT_KM_S), in_flight)

    @classmethod
    def closed(cls) -> Self:
        return cls("closed")

    def to_json(self) -> bytes:
        return _dump(self)

    @classmethod
    def from_json(cls, payload: bytes) -> Self:
        kind = "link state"
        data = _object(payload, kind)
        state = _choice(data, kind, "state", LINK_STATES)
        if state == "closed":
            return cls.closed()
        return cls(state, _get(data, kind, "light_time", str), _get(data, kind, "model", str),
                   _get(data, kind, "owlt_s", float), _get(data, kind, "time_scale", float),
                   _get(data, kind, "now", str), _get(data, kind, "distance_km", int),
                   _get(data, kind, "in_flight", int, None))


OFFLINE_WILL = b"offline"
"""The bare last will DESIGN's v1 names for a rover's status topic; read as offline."""


@dataclass(frozen=True, slots=True)
class Presence:
    """Who plays a rover, and whether it answers: an emulator, or a board behind a bridge."""

    state: PresenceState
    rover: str | None = None
    kind: PlayerKind | None = None
    since: str | None = None  # mission time it came online, ISO-8601 UTC
    device: str | None = None  # the bridge's serial device
    supports: tuple[str, ...] | None = None  # command names it executes; None: the dictionary's

    @classmethod
    def offline(cls, rover: str, kind: PlayerKind, device: str | None = None) -> Self:
        """What a player says when it stops, or leaves as its last will."""
        return cls("offline", rover, kind, device=device)

    @property
    def online(self) -> bool:
        return self.state == "online"

    def to_json(self) -> bytes:
        return _dump(self)

    @classmethod
    def from_json(cls, payload: bytes) -> Self:
        if payload == OFFLINE_WILL:
            return cls("offline")
        kind = "presence"
        data = _object(payload, kind)
        supports = _get(data, kind, "supports", list, None)
        if supports is not None and not all(isinstance(s, str) for s in supports):
            raise ControlMessageError(kind, "field 'supports' must list command names")
        return cls(_choice(data, kind, "state", PRESENCE_STATES),
                   _get(data, kind, "rover", str, None),
                   _choice(data, kind, "kind", PLAYER_KINDS) if "kind" in data
                   else None,
                   _get(data, kind, "since", str, None), _get(data, kind, "device", str, None),
                   tuple(supports) if supports is not None else None)


@dataclass(slots=True)
class BridgeCounters:
    """What the serial bridge counts on its line, retained on ``rovers/{id}/mars/bridge``.

    Not frozen: the bridge keeps one and counts in it; what it publishes is a snapshot."""

    frames_up: int = 0  # TM frames from the board published upstream
    frames_down: int = 0  # TC frames written to the board
    bytes_up: int = 0
    bytes_down: int = 0
    cobs_errors: int = 0
    crc_errors: int = 0
    too_long: int = 0
    too_short: int = 0
    resyncs: int = 0  # frames skipped for any of the reasons above
    reopenings: int = 0  # times the port was opened again after losing it
    queued: int = 0  # TCs waiting for the board now
    expired: int = 0  # TCs answered BOARD_UNREACHABLE
    screened: int = 0  # bytes from mars/tc that are not a TC, answered BAD_CRC/MALFORMED
    board_online: bool = False
    port_open: bool = False

    def to_json(self) -> bytes:
        return _dump(self)

    def snapshot(self) -> dict[str, int | bool]:
        return asdict(self)

    @classmethod
    def from_json(cls, payload: bytes) -> Self:
        kind = "bridge counters"
        data = _object(payload, kind)
        counters = cls()
        for f in fields(cls):
            wanted: type[object] = bool if f.type in (bool, "bool") else int
            setattr(counters, f.name, _get(data, kind, f.name, wanted, f.default))
        return counters
