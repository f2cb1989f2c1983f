"""The world the flight software acts on: pose, terrain, power, thermal and dust together.

Pure and deterministic: the same seed, start time and sequence of steps give the same rover.
The flight software starts and stops motions and says what its avionics and instruments draw;
this module adds the wheels and heaters, and integrates everything over a step of mission time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from rover_fw_sim.kinematics import Drive, Motion, MotionStep, Pose
from rover_fw_sim.power import Battery, dust_after, solar_power_w
from rover_fw_sim.terrain import Terrain
from rover_fw_sim.thermal import Thermal
from spacelink.rovers import VEHICLE, Rover

HeaterZone = Literal["battery", "instruments"]

DRIVE_LOAD_W = 60.0  # six wheel motors on soft ground
TURN_LOAD_W = 45.0  # steering and wheels, in place
HEATER_LOAD_W: dict[HeaterZone, float] = {"battery": 20.0, "instruments": 15.0}
START_DUST_FACTOR = 0.95  # some sols of dust since the arrays were last shaken
SHAKE_RESIDUE = 0.1  # share of the dust loss that shaking leaves on the arrays


@dataclass(slots=True)
class RoverPhysics:
    rover: Rover
    terrain: Terrain
    thermal: Thermal
    pose: Pose = field(default_factory=Pose)
    battery: Battery = field(default_factory=lambda: Battery(VEHICLE.start_soc_pct))
    dust_factor: float = START_DUST_FACTOR
    heaters: dict[HeaterZone, bool] = field(
        default_factory=lambda: {"battery": False, "instruments": False}
    )
    motion: Motion | None = None
    solar_w: float = 0.0
    load_w: float = 0.0

    @classmethod
    def create(cls, rover: Rover, seed: int, start: datetime, idle_load_w: float) -> RoverPhysics:
        physics = cls(rover, Terrain(seed), Thermal.settled(rover, start, idle_load_w))
        physics.solar_w = solar_power_w(rover, start, physics.dust_factor)
        physics.load_w = idle_load_w
        return physics

    def start_motion(self, motion: Motion) -> None:
        self.motion = motion

    def stop_motion(self) -> None:
        self.motion = None
        self.pose.speed_mps = 0.0

    def shake_arrays(self) -> None:
        self.dust_factor = 1.0 - (1.0 - self.dust_factor) * SHAKE_RESIDUE

    def step(self, t: datetime, dt: float, avionics_w: float) -> MotionStep | None:
        """Advance ``dt`` mission seconds ending at ``t``; the motion's step if one ran."""
        result: MotionStep | None = None
        load = avionics_w + sum(HEATER_LOAD_W[z] for z, on in self.heaters.items() if on)
        if self.motion is not None:
            load += DRIVE_LOAD_W if isinstance(self.motion, Drive) else TURN_LOAD_W
            result = self.motion.advance(self.pose, dt, self.terrain)
            if result.done:
                self.stop_motion()
        self.solar_w = solar_power_w(self.rover, t, self.dust_factor)
        self.load_w = load
        self.battery.step(self.solar_w - load, dt)
        self.thermal.step(self.rover, t, dt, load, self.heaters["battery"],
                          self.heaters["instruments"])
        self.dust_factor = dust_after(self.dust_factor, dt)
        return result
