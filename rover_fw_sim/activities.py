"""What runs after a TC started: a motion (one at a time) or instrument runs (any number).

Which commands are motions and which instruments is the dictionary's ``Command.kind``; how
long each runs is its ``Command.duration`` (mission seconds), and how often it reports
progress the vehicle's (``spacelink.rovers.VEHICLE``). Loads, in watts drawn from the bus while
an instrument runs, and what it reports when done are the emulator's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from spacelink.dictionary import Command, Value
from spacelink.packets import RequestId

# Assumed draws (W): NaTeCam/MSCam on the mast, hazard cameras on the body; RoPeR's two
# channels; MarSCoDe's laser and spectrometers; the MCS sensors; RoMAG; the array actuators.
CAMERA_LOAD_W: Final = {"natecam": 10.0, "mscam": 12.0, "hazcam_front": 6.0, "hazcam_rear": 6.0}
LOAD_W: Final = {
    "RADAR_SOUNDING": 30.0, "LIBS_SHOT": 45.0, "CLIMATE_SAMPLE": 8.0, "MAG_SAMPLE": 6.0,
    "SHAKE_SOLAR_ARRAYS": 35.0,
}
MAG_RATE_HZ = 32  # assumed RoMAG output rate
SAMPLE_RATE_HZ: Final = {"RADAR_SOUNDING": 1, "CLIMATE_SAMPLE": 1, "MAG_SAMPLE": MAG_RATE_HZ}


@dataclass(slots=True)
class MotionRun:
    request_id: RequestId
    command: Command
    reported_pct: int = 0


@dataclass(slots=True)
class InstrumentRun:
    request_id: RequestId
    command: Command
    args: dict[str, Value]
    duration_s: float
    load_w: float
    elapsed_s: float = 0.0
    reported_pct: int = 0

    @property
    def fraction(self) -> float:
        return 1.0 if self.duration_s <= 0 else min(1.0, self.elapsed_s / self.duration_s)

    @property
    def done(self) -> bool:
        return self.elapsed_s >= self.duration_s


def instrument_run(request_id: RequestId, command: Command,
                   args: dict[str, Value]) -> InstrumentRun:
    if command.name == "TAKE_IMAGE":
        load = CAMERA_LOAD_W[str(args["camera"])]
    else:
        load = LOAD_W[command.name]
    return InstrumentRun(request_id, command, args, command.duration_s(args), load)


def samples(run: InstrumentRun) -> int:
    """What an INSTRUMENT_DONE event reports: spectra, radar traces or sensor samples."""
    if run.command.name == "LIBS_SHOT":
        return int(run.args["shots"])
    rate = SAMPLE_RATE_HZ.get(run.command.name, 1)
    return min(0xFFFF, round(run.duration_s * rate))


def progress_step(fraction: float, every_pct: int) -> int:
    """The last multiple of ``every_pct`` reached, below 100 (completion reports 100)."""
    pct = int(fraction * 100 + 1e-9)
    return min(100 - every_pct, pct // every_pct * every_pct)
