"""The rovers we know (id, APID, landing site), the vehicle they all are, and the numbers
every rover implementation shares.

:data:`VEHICLE`, :data:`EXECUTE_ONCE_DEPTH` and :data:`SERIAL_BAUD` are read by the dictionary
(rates and limits of its commands), by the emulator (``rover_fw_sim``) and by the serial bridge,
and ``hil/codegen.py`` spells each of them in the board firmware's C header (``RO_*``): nothing
restates them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final


@dataclass(frozen=True, slots=True)
class Vehicle:
    """The machine every rover here is: numbers the emulator and the board firmware both use.

    Rates are per mission second. The C header has each field as ``RO_<FIELD>``.
    """

    max_speed_mps: float  # wheel speed limit: DRIVE's speed_mps maximum
    turn_rate_deg_s: float  # turning in place
    start_heading_deg: float  # counter-clockwise from east, when the software starts afresh
    start_soc_pct: float  # battery state of charge when the rover's world starts
    motion_progress_pct: int  # a motion reports TM[1,5] progress at each multiple of this
    instrument_progress_pct: int  # an instrument run, likewise

    def __post_init__(self) -> None:
        if self.max_speed_mps <= 0 or self.turn_rate_deg_s <= 0:
            raise ValueError("speeds and rates must be positive")
        if not 0 <= self.start_heading_deg < 360 or not 0 <= self.start_soc_pct <= 100:
            raise ValueError("start heading in [0, 360), state of charge in [0, 100]")
        for step in (self.motion_progress_pct, self.instrument_progress_pct):
            if not 0 < step < 100:
                raise ValueError(f"a progress step of {step} % reports nothing")


# Zhurong (Tianwen-1): six wheels, active suspension, up to about 200 m/h; turning in place
# on its steering motors is slow, to spare the wheels; it rolled down the lander's ramp to the
# south (heading 270 deg) on 2021-05-22.
VEHICLE: Final = Vehicle(
    max_speed_mps=0.0556,
    turn_rate_deg_s=2.0,
    start_heading_deg=270.0,
    start_soc_pct=80.0,
    motion_progress_pct=10,
    instrument_progress_pct=25,
)

EXECUTE_ONCE_DEPTH: Final = 64
"""Request ids every rover remembers, across its resets, to execute a TC delivered twice only
once (docs/protocol.md, "Every TC", step 2): enough to cover any retransmission window of a
ground that numbers its TCs one by one, and far shorter than the 16,384 sequence-count wrap, so
a fresh TC is never mistaken for an old one."""

SERIAL_BAUD: Final = 115200
"""The serial line between a board and the bridge (8N1): the reference firmware's speed and the
bridge's default."""


@dataclass(frozen=True, slots=True)
class Rover:
    id: str
    apid: int
    site_name: str
    lon_e_deg: float
    lat_deg: float
    landed: datetime  # its sols count from the sol it landed on (sol 0)

    def __post_init__(self) -> None:
        if not 0 < self.apid < 0x7FF:
            raise ValueError(f"APID {self.apid} outside 1..2046")
        if not self.id.isidentifier() or not self.id.islower():
            raise ValueError(f"rover id {self.id!r} must be a lower-case identifier")

    def to_json(self) -> dict[str, object]:
        return {"name": self.site_name, "lon_e_deg": self.lon_e_deg, "lat_deg": self.lat_deg}


ZHURONG = Rover("zhurong", 0x0C8, "Utopia Planitia", 109.925, 25.066,
                landed=datetime(2021, 5, 14, 23, 18, tzinfo=UTC))
ROVERS: dict[str, Rover] = {r.id: r for r in (ZHURONG,)}
