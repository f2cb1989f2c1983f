"""Solar arrays and battery, with the Sun where it really is over the landing site.

Figures (Zhurong, Tianwen-1): the butterfly-wing arrays carry over 1,000 cells on about
4 m^2 (CAST, as reported in May 2021); the rover wakes from hibernation only above 140 W
and a battery warmer than -15 degC (Zhang Rongqiao, CNSA, 2023). The rest are assumptions
in the range of rovers of its class (Spirit/Opportunity: 1.3 m^2, 140 W peak, two 8 Ah
Li-ion batteries; 28 V bus):

- triple-junction GaAs cells, 28 % efficient; 590 W/m^2 at Mars' mean distance scaled by
  the true heliocentric distance from Ls; atmospheric optical depth 0.5 with diffuse light;
- a 7-cell Li-ion battery of 40 Ah (about 1 kWh), 21 V empty to 28.7 V full, 0.1 ohm;
- dust settles at 0.2 % of transmission per sol (Opportunity lost about 0.28 %/sol).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from spacelink.marstime import mars_time
from spacelink.rovers import Rover

ARRAY_AREA_M2 = 4.0
CELL_EFFICIENCY = 0.28
SOLAR_CONSTANT_1AU_W_M2 = 1361.0
MARS_A_AU = 1.5237
MARS_E = 0.0934
PERIHELION_LS_DEG = 251.0
OPTICAL_DEPTH = 0.5
DIFFUSE_SHARE = 0.35  # of the light scattered out of the beam that still reaches the arrays

BATTERY_CELLS = 7
BATTERY_AH = 40.0
BATTERY_WH = BATTERY_AH * 25.2  # nominal 3.6 V per cell
BATTERY_R_OHM = 0.1
DUST_LOSS_PER_SOL = 0.002
SOL_S = 88_775.244


def solar_irradiance_w_m2(ls_deg: float) -> float:
    """Top-of-atmosphere irradiance at Mars for the season (areocentric longitude Ls)."""
    anomaly = math.radians(ls_deg - PERIHELION_LS_DEG)
    r_au = MARS_A_AU * (1 - MARS_E**2) / (1 + MARS_E * math.cos(anomaly))
    return SOLAR_CONSTANT_1AU_W_M2 / r_au**2


def solar_power_w(rover: Rover, t: datetime, dust_factor: float) -> float:
    """Array output at mission time ``t``: zero at night, most near local true noon."""
    mt = mars_time(t)
    elevation = mt.solar_elevation_deg(rover.lon_e_deg, rover.lat_deg)
    if elevation <= 0:
        return 0.0
    sin_el = math.sin(math.radians(elevation))
    direct = math.exp(-OPTICAL_DEPTH / max(sin_el, 0.05))
    transmission = direct + DIFFUSE_SHARE * (1 - direct)
    flux = solar_irradiance_w_m2(mt.ls_deg) * sin_el * transmission
    return flux * ARRAY_AREA_M2 * CELL_EFFICIENCY * dust_factor


def cell_ocv(soc_pct: float) -> float:
    """Open-circuit voltage of one Li-ion cell: steep below 10 %, nearly linear above."""
    s = max(0.0, min(100.0, soc_pct))
    if s < 10:
        return 3.0 + 0.05 * s
    return 3.5 + 0.6 * (s - 10) / 90


@dataclass(slots=True)
class Battery:
    soc_pct: float
    voltage_v: float = field(init=False)  # at rest until the first step

    def __post_init__(self) -> None:
        self.voltage_v = BATTERY_CELLS * cell_ocv(self.soc_pct)

    def step(self, net_w: float, dt: float) -> None:
        """Charge (``net_w`` > 0) or discharge for ``dt`` s; a full battery sheds the excess."""
        self.soc_pct = max(0.0, min(100.0, self.soc_pct + net_w * dt / 3600 / BATTERY_WH * 100))
        ocv = BATTERY_CELLS * cell_ocv(self.soc_pct)
        charging = net_w > 0 and self.soc_pct < 100
        current = net_w / ocv if charging or net_w < 0 else 0.0
        self.voltage_v = ocv + current * BATTERY_R_OHM


def dust_after(dust_factor: float, dt: float) -> float:
    return max(0.0, dust_factor - DUST_LOSS_PER_SOL * dt / SOL_S)
