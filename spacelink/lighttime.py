"""One-way light time between Earth and Mars, in mission seconds.

``ephemeris``: Skyfield with the DE421 file that ``skyfield-data`` ships (offline, covers 1900
to 2053); the Earth-Mars light time at the moment of radiation. Evaluating Skyfield costs
about a millisecond, so it is sampled on a grid and interpolated linearly: the light time's
second derivative is tiny, and the interpolation error stays far below a millisecond.
``fixed:SECONDS``: a constant, for tests and benches.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, Protocol

from spacelink.errors import LightTimeError

SPEED_OF_LIGHT_KM_S = 299_792.458
_GRID_S = 600.0


class LightTimeModel(Protocol):
    @property
    def name(self) -> str: ...

    def owlt(self, t: datetime) -> float:
        """One-way light time in mission seconds for a packet radiated at mission time t."""
        ...


@dataclass(frozen=True, slots=True)
class FixedLightTime:
    seconds: float
    name: str = "fixed"

    def __post_init__(self) -> None:
        if not (math.isfinite(self.seconds) and 0 <= self.seconds <= 3600):
            raise LightTimeError(f"fixed light time {self.seconds} s outside 0..3600")

    def owlt(self, t: datetime) -> float:
        return self.seconds


@dataclass(frozen=True)
class EphemerisLightTime:
    name: str = "ephemeris"
    _bodies: tuple[Any, Any, Any] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_bodies", _load_de421())

    def owlt(self, t: datetime) -> float:
        seconds = t.timestamp()
        k = math.floor(seconds / _GRID_S)
        lo, hi = self._sample(k), self._sample(k + 1)
        frac = seconds / _GRID_S - k
        return lo + (hi - lo) * frac

    def _sample(self, k: int) -> float:
        return _sample(self._bodies, k)


@lru_cache(maxsize=4096)
def _sample(bodies: tuple[Any, Any, Any], k: int) -> float:
    timescale, earth, mars = bodies
    t = datetime.fromtimestamp(k * _GRID_S, UTC)
    if not 1900 < t.year < 2053:
        raise LightTimeError(f"{t:%Y-%m-%d} is outside DE421 (1900 to 2053)")
    days = earth.at(timescale.from_datetime(t)).observe(mars).light_time
    return float(days) * 86_400.0


@lru_cache(maxsize=1)
def _load_de421() -> tuple[Any, Any, Any]:
    import skyfield_data
    from skyfield.api import Loader

    with warnings.catch_warnings():
        # skyfield-data warns that its bundled finals2000A.all is stale; we do not use it.
        warnings.filterwarnings("ignore", message=".*finals2000A.all has expired.*")
        path = skyfield_data.get_skyfield_data_path()
    load = Loader(path, expire=False, verbose=False)
    ephemeris = load("de421.bsp")
    return load.timescale(builtin=True), ephemeris["earth"], ephemeris["mars"]


def parse_light_time(spec: str) -> LightTimeModel:
    """``ephemeris`` or ``fixed:SECONDS``, as given to ``--light-time``."""
    if spec == "ephemeris":
        return EphemerisLightTime()
    kind, _, value = spec.partition(":")
    if kind == "fixed" and value:
        try:
            return FixedLightTime(float(value))
        except ValueError as exc:
            raise LightTimeError(f"fixed light time {value!r} is not a number") from exc
    raise LightTimeError(f"light time {spec!r}: expected 'ephemeris' or 'fixed:SECONDS'")
