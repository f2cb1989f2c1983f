"""The rovers we know: id, APID and landing site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime


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
