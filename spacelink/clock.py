"""The mission clock: ``mission_time = epoch + (wall - anchor) * scale``.

Light time, rover motion, power and the sol all run on it. It travels as retained JSON on
``roverops/clock`` so every process agrees on one clock.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from spacelink.errors import ClockError

CLOCK_VERSION = 1


@dataclass(frozen=True, slots=True)
class MissionClock:
    epoch: datetime  # mission time at the anchor
    anchor: float  # wall time (Unix seconds) at which mission time was ``epoch``
    scale: float = 1.0

    def __post_init__(self) -> None:
        if self.epoch.tzinfo is None:
            raise ClockError("the epoch must be timezone-aware")
        if not 0 < self.scale <= 100_000:
            raise ClockError(f"time scale {self.scale} outside (0, 100000]")

    @classmethod
    def starting_now(cls, wall: float, scale: float = 1.0) -> MissionClock:
        """A clock whose mission time equals wall time now."""
        return cls(datetime.fromtimestamp(wall, UTC), wall, scale)

    def mission(self, wall: float) -> datetime:
        return self.epoch + timedelta(seconds=(wall - self.anchor) * self.scale)

    def wall(self, mission: datetime) -> float:
        return self.anchor + (mission - self.epoch).total_seconds() / self.scale

    def wall_seconds(self, mission_seconds: float) -> float:
        """A mission duration in wall seconds."""
        return mission_seconds / self.scale

    def to_json(self) -> bytes:
        return json.dumps({"v": CLOCK_VERSION, "epoch": iso(self.epoch),
                           "anchor": self.anchor, "scale": self.scale}).encode()

    @classmethod
    def from_json(cls, payload: bytes) -> MissionClock:
        try:
            data = json.loads(payload)
            version = data.get("v", CLOCK_VERSION)  # none: the first contract's, the same
            if version != CLOCK_VERSION:
                raise ClockError(f"mission clock version {version!r}, expected {CLOCK_VERSION}")
            return cls(parse_iso(data["epoch"]), float(data["anchor"]), float(data["scale"]))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise ClockError(f"not a mission clock: {payload[:80]!r}") from exc


ClockSource = Callable[[], MissionClock]
"""The mission clock now: a part is handed one, and never knows who keeps it."""


def iso(t: datetime) -> str:
    """ISO-8601 UTC with ``Z`` and milliseconds, the form of every time in the API."""
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def parse_iso(text: str) -> datetime:
    t = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if t.tzinfo is None:
        raise ValueError(f"{text!r} has no time zone")
    return t.astimezone(UTC)
