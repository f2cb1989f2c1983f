"""Seeded hazards on an endless plain: rocks, slopes and soft soil at deterministic places.

The plain is cut into square cells; each cell's hazards come from a generator seeded by
(seed, cell), so any stretch of ground is the same whenever and in whatever order it is
visited. Nothing lies within ``CLEAR_RADIUS_M`` of the landing site, so short drives from
the origin always succeed.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

HazardKind = Literal["rock", "slope", "soft_soil"]

CELL_M = 50.0
CLEAR_RADIUS_M = 15.0
# Zhurong is about 2.6 m wide and 3.3 m long (240 kg); the hazard cameras stop it when its
# footprint, taken as a circle of this radius, would touch a hazard's edge.
ROVER_RADIUS_M = 1.5
# About 1.2 hazards per 50 m cell (~480 per km^2): a 100 m drive meets one roughly a time in
# three, so hazards are common enough to be seen and rare enough not to stop everything.
_KINDS: tuple[tuple[HazardKind, float, float, float], ...] = (
    # kind, weight, radius range (m): rocks above Zhurong's 0.3 m step limit, slopes over
    # its 20 deg climbing limit, soft soil patches like Spirit's "Troy".
    ("rock", 0.6, 0.3, 0.8),
    ("slope", 0.15, 3.0, 8.0),
    ("soft_soil", 0.25, 2.0, 6.0),
)
_MAX_REACH_M = max(k[3] for k in _KINDS) + ROVER_RADIUS_M


@dataclass(frozen=True, slots=True)
class Hazard:
    x: float
    y: float
    radius: float
    kind: HazardKind

    @property
    def reach(self) -> float:
        """Distance from the hazard's centre at which the rover's centre must stop."""
        return self.radius + ROVER_RADIUS_M


@dataclass(frozen=True, slots=True)
class Contact:
    distance: float  # along the path, from its start, where the rover must stop
    hazard: Hazard


class Terrain:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._cell = lru_cache(maxsize=4096)(self._generate)

    def hazards_near(self, x: float, y: float, radius: float) -> list[Hazard]:
        """Every hazard whose centre is within ``radius`` (plus a cell's slack) of (x, y)."""
        found: list[Hazard] = []
        for cx in range(math.floor((x - radius) / CELL_M), math.floor((x + radius) / CELL_M) + 1):
            for cy in range(math.floor((y - radius) / CELL_M),
                            math.floor((y + radius) / CELL_M) + 1):
                found.extend(self._cell(cx, cy))
        return found

    def contact(self, x: float, y: float, dx: float, dy: float, length: float) -> Contact | None:
        """The first hazard met moving ``length`` m from (x, y) along the unit vector (dx, dy).

        A rover already inside a hazard's reach may back away from it, not go deeper.
        """
        if length <= 0:
            return None
        mid_x, mid_y = x + dx * length / 2, y + dy * length / 2
        best: Contact | None = None
        for hazard in self.hazards_near(mid_x, mid_y, length / 2 + _MAX_REACH_M):
            hit = _entry(x - hazard.x, y - hazard.y, dx, dy, hazard.reach)
            if hit is not None and hit <= length and (best is None or hit < best.distance):
                best = Contact(hit, hazard)
        return best

    def _generate(self, cx: int, cy: int) -> tuple[Hazard, ...]:
        rng = random.Random(f"terrain:{self.seed}:{cx}:{cy}")
        hazards: list[Hazard] = []
        for _ in range(rng.choice((0, 1, 1, 1, 2, 2))):
            kind, _w, lo, hi = rng.choices(_KINDS, weights=[k[1] for k in _KINDS])[0]
            hx = (cx + rng.random()) * CELL_M
            hy = (cy + rng.random()) * CELL_M
            hazard = Hazard(hx, hy, rng.uniform(lo, hi), kind)
            if math.hypot(hx, hy) - hazard.reach >= CLEAR_RADIUS_M:
                hazards.append(hazard)
        return tuple(hazards)


def _entry(rx: float, ry: float, dx: float, dy: float, reach: float) -> float | None:
    """Path parameter at which |r + t d| first equals ``reach`` going forward, if ever."""
    b = rx * dx + ry * dy
    c = rx * rx + ry * ry - reach * reach
    if c <= 0:  # inside already: stuck unless moving away
        return 0.0 if b < 0 else None
    disc = b * b - c
    if disc < 0:
        return None
    t = -b - math.sqrt(disc)
    return t if t >= 0 else None
