"""When each ST[03] structure is due, on the rover's own wall clock (``period_s``): a
compressed mission clock makes the rover move faster, not chatter faster."""

from __future__ import annotations

from collections.abc import Iterable

from spacelink.dictionary import HousekeepingStructure


class HousekeepingSchedule:
    def __init__(self) -> None:
        self._due: dict[int, float] = {}

    def due(self, structures: Iterable[HousekeepingStructure],
            wall: float) -> list[HousekeepingStructure]:
        """The structures to report now; each is due at once the first time."""
        found: list[HousekeepingStructure] = []
        for structure in structures:
            period = structure.period_s
            due = self._due.get(structure.sid, wall)
            if 0 < due - wall <= period:  # not yet due (and the wall clock did not jump back)
                continue
            # Keep a steady cadence; after a stall or a jump, restart it from now.
            self._due[structure.sid] = (due if 0 <= wall - due < period else wall) + period
            found.append(structure)
        return found
