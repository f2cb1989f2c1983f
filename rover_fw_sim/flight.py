"""The rover's flight software: pure and synchronous, bytes and times in, TM packets out.

It implements docs/protocol.md: TC acceptance and ST[01] verification, execute-once by request
id, the modes, one motion at a time, instruments, housekeeping on the rover's own wall clock,
and events. Physics lives in :mod:`rover_fw_sim.physics`; the I/O shells call
:meth:`FlightSoftware.handle_tc` for every TC and :meth:`FlightSoftware.tick` steadily.

What must outlive a reset (the execute-once memory, the counters, the TM sequence count) is
written through to the :class:`~rover_fw_sim.nvm.NonVolatile` memory it is given, and read back
when it is built: a new instance on the same memory is the same rover after a reset.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from rover_fw_sim.acceptance import Accepted, accept
from rover_fw_sim.activities import (
    InstrumentRun,
    MotionRun,
    instrument_run,
    progress_step,
    samples,
)
from rover_fw_sim.housekeeping import HousekeepingSchedule
from rover_fw_sim.kinematics import Drive, Motion, MotionStep, Turn
from rover_fw_sim.nvm import NonVolatile, RamNvm
from rover_fw_sim.physics import HeaterZone, RoverPhysics
from rover_fw_sim.power import SOL_S
from rover_fw_sim.requests import RequestMemory
from rover_fw_sim.telemetry import TmSequencer
from spacelink.dictionary import DICTIONARY, Dictionary, Value
from spacelink.packets import (
    CUC_EPOCH,
    EventReport,
    FailureCode,
    HousekeepingReport,
    PongReport,
    Report,
    RequestId,
    TcRejection,
    Telemetry,
    Verification,
    VerificationReport,
)
from spacelink.rovers import VEHICLE, Rover

IDLE_LOAD_W = {"nominal": 45.0, "safe": 30.0, "sleep": 8.0}  # avionics, radio, survival
LOW_BATTERY_PCT = 20.0
LOW_BATTERY_REARM_PCT = 22.0  # hysteresis: one event per crossing, not a stream of them
LOW_POWER_PCT = 10.0  # below this, abort what draws power and fall back to safe mode
MAX_SUBSTEP_S = 60.0  # mission seconds per physics step under a compressed clock
_FINAL = (Verification.START_FAILURE, Verification.COMPLETION_SUCCESS,
          Verification.COMPLETION_FAILURE)


@dataclass(frozen=True, slots=True)
class TimeSync:
    """A SYNC_TIME: mission time was ``mission`` on receipt, running at ``scale``."""

    mission: datetime
    scale: float


class FlightSoftware:
    def __init__(self, rover: Rover, start: datetime, *, seed: int = 0,
                 dictionary: Dictionary = DICTIONARY,
                 on_time_sync: Callable[[TimeSync], None] | None = None,
                 nvm: NonVolatile | None = None) -> None:
        self.rover = rover
        self.dictionary = dictionary
        self.mode = "nominal"
        self._nvm: NonVolatile = nvm if nvm is not None else RamNvm()
        saved = self._nvm.recall()
        self.counters = saved.counters
        self.physics = RoverPhysics.create(rover, seed, start, IDLE_LOAD_W["nominal"])
        self.motion: MotionRun | None = None
        self.instruments: list[InstrumentRun] = []
        self.last_sync: TimeSync | None = None
        self._on_time_sync = on_time_sync
        self._tm = TmSequencer(rover.apid, saved.tm_seq_count)
        self._requests = RequestMemory(entries=saved.requests)
        self._time = start
        self._hk = HousekeepingSchedule()
        self._booted = False
        self._low_battery_armed = True
        self._image_id = 0
        self.restart_requested = False
        """A REBOOT started: the I/O shell restarts the flight software on the same memory."""

    # -- the two entry points ---------------------------------------------------------------

    def handle_tc(self, raw: bytes, now: datetime) -> list[Telemetry]:
        out: list[Telemetry] = []
        self._advance(now, out)
        self._handle_tc(raw, now, out)
        return self._numbered(out)

    def tick(self, now: datetime, wall: float) -> list[Telemetry]:
        out: list[Telemetry] = []
        self._advance(now, out)
        for structure in self._hk.due(self.dictionary.housekeeping, wall):
            values = self.housekeeping_values()
            self._emit(out, now, HousekeepingReport(
                structure, {c.name: values[c.name] for c in structure.channels}))
        return self._numbered(out)

    def housekeeping_values(self) -> dict[str, Value]:
        p = self.physics
        return {
            "position_x_m": p.pose.x, "position_y_m": p.pose.y,
            "heading_deg": p.pose.heading_deg, "odometer_m": p.pose.odometer_m,
            "speed_mps": p.pose.speed_mps, "battery_soc_pct": p.battery.soc_pct,
            "mode": self.mode, "cmd_accepted": self.counters.accepted & 0xFFFF,
            "cmd_rejected": self.counters.rejected & 0xFFFF,
            "cmd_executed": self.counters.executed & 0xFFFF,
            "solar_power_w": p.solar_w, "load_power_w": p.load_w,
            "battery_voltage_v": p.battery.voltage_v, "battery_temp_c": p.thermal.battery_c,
            "electronics_temp_c": p.thermal.electronics_c, "ambient_temp_c": p.thermal.air_c,
            "dust_factor": p.dust_factor,
        }

    # -- accepting a TC ---------------------------------------------------------------------

    def _handle_tc(self, raw: bytes, now: datetime, out: list[Telemetry]) -> None:
        verdict = accept(raw, self.rover.apid, self.dictionary)
        if isinstance(verdict, TcRejection):
            self.counters.rejected += 1
            self._nvm.save_counters(self.counters)
            self._verify(out, now, Verification.ACCEPTANCE_FAILURE, verdict.request_id,
                         failure=verdict.code, reason=verdict.reason)
            return
        rid = verdict.tc.request_id
        if rid in self._requests:  # a duplicate: acknowledged again, never executed again
            self._verify(out, now, Verification.ACCEPTANCE_SUCCESS, rid)
            if (final := self._requests.final(rid)) is not None:
                self._emit(out, now, final)
            return
        # Remembered on non-volatile memory before it executes (rover_fw_sim.nvm says why).
        self._requests.remember(rid, verdict.command.name)
        self.counters.accepted += 1
        self._nvm.remember(rid, verdict.command.name, self.counters)
        self._verify(out, now, Verification.ACCEPTANCE_SUCCESS, rid)
        self._execute(verdict, now, out)

    # -- executing an accepted TC -----------------------------------------------------------

    def _execute(self, acc: Accepted, now: datetime, out: list[Telemetry]) -> None:
        name, args, rid = acc.command.name, acc.args, acc.tc.request_id
        kind = acc.command.kind  # what the dictionary says the command is
        forbidden = (kind == "motion" and self.mode != "nominal") or (
            kind == "instrument" and self.mode == "sleep")
        if forbidden:
            self._verify(out, now, Verification.START_FAILURE, rid,
                         failure=FailureCode.FORBIDDEN_IN_MODE,
                         reason=f"{name} forbidden in {self.mode} mode")
            return
        if kind in ("motion", "instrument") and self._low_power():
            self._verify(out, now, Verification.START_FAILURE, rid, failure=FailureCode.LOW_POWER,
                         reason=f"battery_soc_pct {self.physics.battery.soc_pct:.1f} too low")
            return
        if kind == "motion" or name == "STOP":
            self._interrupt_motion(now, out, f"by {name}")
        self._verify(out, now, Verification.START_SUCCESS, rid)
        if name == "REBOOT":  # completed by the software that boots: docs/protocol.md
            self.restart_requested = True
        elif kind == "motion":
            self._start_motion(acc)
        elif kind == "instrument":
            self.instruments.append(instrument_run(rid, acc.command, args))
        else:
            if name == "PING":
                self._emit(out, now, PongReport())
            elif name == "SET_MODE":
                self._set_mode(str(args["mode"]), now, out)
            elif name == "SET_HEATER":
                zone: HeaterZone = "battery" if args["zone"] == "battery" else "instruments"
                self.physics.heaters[zone] = bool(args["on"])
            elif name == "SYNC_TIME":
                self._sync_time(int(args["seconds"]), float(args["time_scale"]))
            self._complete(out, now, rid)

    def _start_motion(self, acc: Accepted) -> None:
        """How it moves, how far and how fast: as the dictionary declares the command."""
        command = acc.command
        amount, rate = command.amount(acc.args), command.rate(acc.args)
        motion: Motion = Drive(amount, rate) if command.moves == "drive" else Turn(amount, rate)
        self.physics.start_motion(motion)
        self.motion = MotionRun(acc.tc.request_id, command)

    def _sync_time(self, seconds: int, scale: float) -> None:
        self.last_sync = TimeSync(CUC_EPOCH + timedelta(seconds=seconds), scale)
        if self._on_time_sync is not None:
            self._on_time_sync(self.last_sync)

    def _set_mode(self, mode: str, t: datetime, out: list[Telemetry]) -> None:
        old = self.mode
        if mode == old:
            return
        if mode != "nominal":
            self._interrupt_motion(t, out, f"mode {mode}")
        if mode == "sleep":
            self._end_instruments(t, out, FailureCode.INTERRUPTED, "mode sleep")
        self.mode = mode
        event = self.dictionary.event_named("MODE_CHANGED")
        self._emit(out, t, EventReport(event, {"from_mode": old, "to_mode": mode}))

    def _interrupt_motion(self, t: datetime, out: list[Telemetry], why: str,
                          code: FailureCode = FailureCode.INTERRUPTED) -> None:
        if self.motion is None:
            return
        run, self.motion = self.motion, None
        self.physics.stop_motion()
        verb = "interrupted " if code == FailureCode.INTERRUPTED else ""
        self._verify(out, t, Verification.COMPLETION_FAILURE, run.request_id, failure=code,
                     reason=f"{run.command.name} {verb}{why}")

    def _end_instruments(self, t: datetime, out: list[Telemetry], code: FailureCode,
                         why: str) -> None:
        runs, self.instruments = self.instruments, []
        for run in runs:
            self._verify(out, t, Verification.COMPLETION_FAILURE, run.request_id, failure=code,
                         reason=f"{run.command.name}: {why}")

    # -- time passing -----------------------------------------------------------------------

    def _advance(self, now: datetime, out: list[Telemetry]) -> None:
        if not self._booted:
            self._booted = True
            self._emit(out, now, EventReport(self.dictionary.event_named("BOOT"), {}))
            self._end_interrupted(now, out)
        gap = (now - self._time).total_seconds()
        if 0 < gap <= SOL_S:  # a longer or backward jump is a clock change, not time passing
            steps = math.ceil(gap / MAX_SUBSTEP_S)
            for i in range(1, steps + 1):
                self._step(self._time + timedelta(seconds=gap * i / steps), gap / steps, out)
        self._time = now

    def _end_interrupted(self, t: datetime, out: list[Telemetry]) -> None:
        """What the last reset cut short gets its final report, once: after BOOT, which says
        why, and before the TC that woke us, which may be a duplicate of one of them and must
        then replay this answer."""
        for rid, command in self._requests.unfinished():
            if command == "REBOOT":  # it asked for a restart, and one happened
                self._complete(out, t, rid)
                continue
            self._verify(out, t, Verification.COMPLETION_FAILURE, rid, failure=FailureCode.RESET,
                         reason=f"{command} interrupted by reset")

    def _step(self, t: datetime, dt: float, out: list[Telemetry]) -> None:
        avionics = IDLE_LOAD_W[self.mode] + sum(run.load_w for run in self.instruments)
        motion_step = self.physics.step(t, dt, avionics)
        if self.motion is not None and motion_step is not None:
            self._follow_motion(self.motion, motion_step, t, out)
        for run in list(self.instruments):
            run.elapsed_s += dt
            if run.done:
                self.instruments.remove(run)
                self._finish_instrument(run, t, out)
            else:
                run.reported_pct = self._progress(out, t, run.request_id, run.fraction,
                                                  VEHICLE.instrument_progress_pct,
                                                  run.reported_pct)
        self._watch_battery(t, out)

    def _follow_motion(self, run: MotionRun, step: MotionStep, t: datetime,
                       out: list[Telemetry]) -> None:
        if step.hazard is not None:
            self.motion = None
            pose = self.physics.pose
            event = self.dictionary.event_named("HAZARD_DETECTED")
            self._emit(out, t, EventReport(
                event, {"x_m": pose.x, "y_m": pose.y, "kind": step.hazard.kind}))
            self._verify(out, t, Verification.COMPLETION_FAILURE, run.request_id,
                         failure=FailureCode.HAZARD,
                         reason=f"{step.hazard.kind} at {pose.x:.1f},{pose.y:.1f}")
        elif step.done:
            self.motion = None
            self._complete(out, t, run.request_id)
        else:
            run.reported_pct = self._progress(out, t, run.request_id, step.fraction,
                                              VEHICLE.motion_progress_pct, run.reported_pct)

    def _finish_instrument(self, run: InstrumentRun, t: datetime, out: list[Telemetry]) -> None:
        name = run.command.name
        if name == "TAKE_IMAGE":
            self._image_id = (self._image_id + 1) & 0xFFFF
            self._emit(out, t, EventReport(self.dictionary.event_named("IMAGE_ACQUIRED"),
                                           {"camera": run.args["camera"],
                                            "image_id": self._image_id}))
        elif name == "SHAKE_SOLAR_ARRAYS":
            self.physics.shake_arrays()
        else:
            self._emit(out, t, EventReport(self.dictionary.event_named("INSTRUMENT_DONE"), {
                "function_id": run.command.function_id or 0, "samples": samples(run)}))
        self._complete(out, t, run.request_id)

    def _watch_battery(self, t: datetime, out: list[Telemetry]) -> None:
        soc = self.physics.battery.soc_pct
        if soc >= LOW_BATTERY_REARM_PCT:
            self._low_battery_armed = True
        elif soc < LOW_BATTERY_PCT and self._low_battery_armed:
            self._low_battery_armed = False
            self._emit(out, t, EventReport(self.dictionary.event_named("LOW_BATTERY"),
                                           {"battery_soc_pct": soc}))
        if self._low_power():
            why = f"battery_soc_pct {soc:.1f}"
            self._interrupt_motion(t, out, why, FailureCode.LOW_POWER)
            self._end_instruments(t, out, FailureCode.LOW_POWER, why)
            if self.mode == "nominal":
                self._set_mode("safe", t, out)

    def _low_power(self) -> bool:
        return self.physics.battery.soc_pct < LOW_POWER_PCT

    # -- reports ----------------------------------------------------------------------------

    def _progress(self, out: list[Telemetry], t: datetime, rid: RequestId, fraction: float,
                  every_pct: int, reported: int) -> int:
        step = progress_step(fraction, every_pct)
        if step > reported:
            self._verify(out, t, Verification.PROGRESS_SUCCESS, rid, step=step)
        return max(step, reported)

    def _complete(self, out: list[Telemetry], t: datetime, rid: RequestId) -> None:
        self.counters.executed += 1
        self._verify(out, t, Verification.COMPLETION_SUCCESS, rid)

    def _verify(self, out: list[Telemetry], t: datetime, kind: Verification, rid: RequestId, *,
                step: int | None = None, failure: FailureCode | None = None,
                reason: str = "") -> None:
        report = VerificationReport(kind, rid, step, failure, reason)
        if kind in _FINAL:
            self._requests.finish(report)
            self._nvm.finish(report, self.counters)
        self._emit(out, t, report)

    def _emit(self, out: list[Telemetry], t: datetime, report: Report) -> None:
        out.append(self._tm.packet(report, t))

    def _numbered(self, out: list[Telemetry]) -> list[Telemetry]:
        """``out``, once the sequence count past it is saved: none of it has left yet."""
        if out:
            self._nvm.save_tm_seq_count(self._tm.seq_count)
        return out
