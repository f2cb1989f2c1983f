"""Temperatures over the sol: the air, and two boxes that lag it.

The air follows local true solar time: coldest before dawn, warmest mid-afternoon, a swing
of about 70 K at Utopia Planitia in northern summer (Zhurong's Mars Climate Station and
Viking 2 saw roughly -90 to -20 degC). The battery and the electronics sit in an insulated
warm box (Zhurong also stores daytime heat in n-undecane phase-change collectors), so each
relaxes toward an equilibrium set by the air, its own dissipation and its heater, with a
time constant of hours.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from spacelink.marstime import mars_time
from spacelink.rovers import Rover

AIR_MEAN_C = -55.0
AIR_SWING_C = 35.0  # half the daily range
AIR_PEAK_LTST_H = 14.5
BATTERY_TAU_S = 4 * 3600.0
ELECTRONICS_TAU_S = 3 * 3600.0
HEATER_GAIN_C = 15.0  # equilibrium rise with the zone's heater on


def air_temp_c(rover: Rover, t: datetime) -> float:
    ltst = mars_time(t).ltst_h(rover.lon_e_deg)
    return AIR_MEAN_C + AIR_SWING_C * math.cos((ltst - AIR_PEAK_LTST_H) / 24 * 2 * math.pi)


def battery_equilibrium_c(air_c: float, heater: bool) -> float:
    return 5.0 + 0.25 * (air_c - AIR_MEAN_C) + (HEATER_GAIN_C if heater else 0.0)


def electronics_equilibrium_c(air_c: float, load_w: float, heater: bool) -> float:
    return (10.0 + 0.2 * (air_c - AIR_MEAN_C) + 0.15 * load_w
            + (HEATER_GAIN_C if heater else 0.0))


@dataclass(slots=True)
class Thermal:
    air_c: float
    battery_c: float
    electronics_c: float

    @classmethod
    def settled(cls, rover: Rover, t: datetime, load_w: float) -> Thermal:
        """Temperatures as they would be after a quiet while at time ``t``."""
        air = air_temp_c(rover, t)
        return cls(air, battery_equilibrium_c(air, False),
                   electronics_equilibrium_c(air, load_w, False))

    def step(self, rover: Rover, t: datetime, dt: float, load_w: float,
             battery_heater: bool, instruments_heater: bool) -> None:
        self.air_c = air_temp_c(rover, t)
        self.battery_c = _relax(self.battery_c, battery_equilibrium_c(self.air_c, battery_heater),
                                dt, BATTERY_TAU_S)
        self.electronics_c = _relax(
            self.electronics_c,
            electronics_equilibrium_c(self.air_c, load_w, instruments_heater),
            dt, ELECTRONICS_TAU_S,
        )


def _relax(value: float, target: float, dt: float, tau: float) -> float:
    return target + (value - target) * math.exp(-dt / tau)
