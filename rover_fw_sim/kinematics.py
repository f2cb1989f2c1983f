"""Where the rover is and how a drive or a turn moves it, on mission time.

Positions are metres east (x) and north (y) of the landing site; the heading is measured
counter-clockwise from east, in [0, 360). A drive goes straight along the heading (backwards
for a negative distance) and stops short of the first hazard the terrain reports. The start
heading and the turn rate are the vehicle's (``spacelink.rovers.VEHICLE``), as the board's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from rover_fw_sim.terrain import Hazard, Terrain
from spacelink.rovers import VEHICLE


@dataclass(slots=True)
class Pose:
    x: float = 0.0
    y: float = 0.0
    heading_deg: float = VEHICLE.start_heading_deg
    odometer_m: float = 0.0
    speed_mps: float = 0.0


@dataclass(frozen=True, slots=True)
class MotionStep:
    fraction: float  # of the whole motion done so far, 0..1
    done: bool
    hazard: Hazard | None = None


@dataclass(slots=True)
class Drive:
    distance_m: float
    speed_mps: float
    travelled_m: float = 0.0

    def advance(self, pose: Pose, dt: float, terrain: Terrain) -> MotionStep:
        total = abs(self.distance_m)
        if total == 0:
            pose.speed_mps = 0.0
            return MotionStep(1.0, True)
        step = min(self.speed_mps * dt, total - self.travelled_m)
        sign = 1.0 if self.distance_m > 0 else -1.0
        heading = math.radians(pose.heading_deg)
        dx, dy = sign * math.cos(heading), sign * math.sin(heading)
        contact = terrain.contact(pose.x, pose.y, dx, dy, step)
        moved = step if contact is None else contact.distance
        pose.x += dx * moved
        pose.y += dy * moved
        pose.odometer_m += moved
        self.travelled_m += moved
        fraction = min(1.0, self.travelled_m / total)
        if contact is not None:
            pose.speed_mps = 0.0
            return MotionStep(fraction, True, contact.hazard)
        done = self.travelled_m >= total - 1e-9
        pose.speed_mps = 0.0 if done else self.speed_mps
        return MotionStep(fraction, done)


@dataclass(slots=True)
class Turn:
    angle_deg: float
    rate_deg_s: float = VEHICLE.turn_rate_deg_s
    turned_deg: float = 0.0

    def advance(self, pose: Pose, dt: float, terrain: Terrain) -> MotionStep:
        del terrain  # turning in place meets no new ground
        pose.speed_mps = 0.0
        total = abs(self.angle_deg)
        if total == 0:
            return MotionStep(1.0, True)
        step = min(self.rate_deg_s * dt, total - self.turned_deg)
        self.turned_deg += step
        pose.heading_deg = (pose.heading_deg + math.copysign(step, self.angle_deg)) % 360.0
        done = self.turned_deg >= total - 1e-9
        return MotionStep(min(1.0, self.turned_deg / total), done)


Motion = Drive | Turn
