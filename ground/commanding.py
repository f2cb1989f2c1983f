"""The command queue: accept, hold, cancel, radiate, and track each command to its end.

Radiation is at-least-once and execution exactly-once: a command gets its sequence count
(committed) before it is published, and keeps it. If the ground dies between the publication
and the commit of ``radiated``, the restarted ground radiates it again with the same count and
the rover, which remembers recent request ids, executes it only once.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ground.errors import CommandNotFoundError, NotCancellableError, UnknownRoverError
from ground.lifecycle import (
    TIMEOUT_GRACE_FRACTION,
    TIMEOUT_GRACE_S,
    apply_report,
    can_cancel,
    duration_estimate_s,
    silence_deadline,
)
from ground.store import CommandRecord, Store
from ground.stream import Hub
from spacelink import topics
from spacelink.bus import Bus
from spacelink.clock import iso
from spacelink.dictionary import Dictionary
from spacelink.packets import SEQ_COUNT_MODULO, VerificationReport, build_tc
from spacelink.rovers import Rover

log = logging.getLogger(__name__)

TIMEOUT_CHECK_PERIOD_S = 0.25


@dataclass(frozen=True, slots=True)
class QueueState:
    held: bool
    length: int

    def to_json(self) -> dict[str, object]:
        return {"held": self.held, "length": self.length}


class Commanding:
    def __init__(self, store: Store, bus: Bus, dictionary: Dictionary, rovers: dict[str, Rover],
                 hub: Hub, now: Callable[[], datetime], owlt: Callable[[datetime], float],
                 link_open: Callable[[], bool]) -> None:
        self._store = store
        self._bus = bus
        self._dictionary = dictionary
        self._rovers = rovers
        self._hub = hub
        self._now = now
        self._owlt = owlt
        self._link_open = link_open
        self._kick = {r: asyncio.Event() for r in rovers}
        self._radiating: dict[str, int | None] = dict.fromkeys(rovers)

    # ------------------------------------------------------------------ operator requests

    def rover(self, rover: str) -> Rover:
        try:
            return self._rovers[rover]
        except KeyError:
            raise UnknownRoverError(rover) from None

    def submit(self, rover: str, name: str, args: dict[str, object]) -> CommandRecord:
        """Validate and queue; on disk when this returns. Raises DictionaryError naming the
        field, or UnknownRoverError."""
        self.rover(rover)
        checked = self._dictionary.command(name).validate(args)
        record = self._store.add_command(rover, name, checked, self._now())
        self._announce(record)
        self._kick[rover].set()
        return record

    def get(self, rover: str, command_id: int) -> CommandRecord:
        self.rover(rover)
        record = self._store.command(command_id)
        if record is None or record.rover != rover:
            raise CommandNotFoundError(rover, command_id)
        return record

    def cancel(self, rover: str, command_id: int) -> CommandRecord:
        record = self.get(rover, command_id)
        if not can_cancel(record.state) or self._radiating[rover] == command_id:
            raise NotCancellableError(command_id, record.state if record.state != "queued"
                                      else "being radiated")
        record = self._store.transition(command_id, "cancelled", self._now(), "by operator")
        self._announce(record)
        return record

    def queue_state(self, rover: str) -> QueueState:
        self.rover(rover)
        return QueueState(self._held(rover), self._store.count_queued(rover))

    def set_held(self, rover: str, held: bool) -> QueueState:
        self.rover(rover)
        self._store.put_setting(f"held:{rover}", "1" if held else "0")
        if not held:
            self._kick[rover].set()
        return self.queue_state(rover)

    def _held(self, rover: str) -> bool:
        return self._store.setting(f"held:{rover}") == "1"

    def link_opened(self) -> None:
        """Commands that waited for the link go now."""
        for kick in self._kick.values():
            kick.set()

    # ------------------------------------------------------------------ the rover's word

    def on_verification(self, rover: str, report: VerificationReport, rover_time: datetime,
                        ground_time: datetime) -> None:
        if report.request_id.apid != self._rovers[rover].apid:
            log.warning("%s: verification for foreign APID %#x", rover, report.request_id.apid)
            return
        record = self._store.by_request(rover, report.request_id.seq_count)
        if record is None:
            log.warning("%s: verification for unknown request %s", rover, report.request_id)
            return
        step = apply_report(record.state, report.kind, report.step)
        if step is None:
            return
        if not step.is_transition:
            self._announce(self._store.update(record.id, progress=step.progress))
            return
        failure = (f"{report.failure.name}: {report.reason}"
                   if report.failure is not None else None)
        detail = failure or f"rover time {iso(rover_time)}"
        columns: dict[str, float | int | str | None] = {"progress": step.progress}
        if failure is not None:
            columns["error"] = failure
        elif step.state == "completed":
            columns["progress"] = 100
        self._announce(self._store.transition(record.id, step.state, ground_time, detail,
                                              **columns))

    # ------------------------------------------------------------------ background work

    async def run(self) -> None:
        async with asyncio.TaskGroup() as tasks:
            for rover in self._rovers:
                tasks.create_task(self._radiate_loop(rover), name=f"radiate-{rover}")
            tasks.create_task(self._watch_timeouts(), name="command-timeouts")

    async def _radiate_loop(self, rover: str) -> None:
        kick = self._kick[rover]
        kick.set()  # commands left queued by a previous run go first
        while True:
            await kick.wait()
            kick.clear()
            # Waiting for a closed link needs no polling: link_opened() kicks us.
            while (self._link_open() and not self._held(rover)
                   and (queued := self._store.queued(rover))):
                await self._radiate(queued[0])

    async def _radiate(self, record: CommandRecord) -> None:
        rover = self._rovers[record.rover]
        self._radiating[rover.id] = record.id
        try:
            seq = record.seq_count
            if seq is None:
                key = f"seq:{rover.id}"
                seq = int(self._store.setting(key) or 0)
                self._store.assign_seq(record.id, seq, key, (seq + 1) % SEQ_COUNT_MODULO)
            tc = build_tc(self._dictionary, rover.apid, seq, record.name, record.args)
            await self._bus.publish(topics.earth_tc(rover.id), tc.pack(), qos=1)
            at = self._now()
            owlt = self._owlt(at)
            run_s = duration_estimate_s(self._dictionary.command(record.name), record.args)
            updated = self._store.transition(
                record.id, "radiated", at, f"seq {seq}, OWLT {owlt:.1f} s",
                seq_count=seq, radiated_at=at.timestamp(),
                predicted_arrival=(at + timedelta(seconds=owlt)).timestamp(),
                predicted_ack=(at + timedelta(seconds=2 * owlt)).timestamp(),
                deadline=silence_deadline(at.timestamp(), owlt, run_s),
            )
        finally:
            self._radiating[rover.id] = None
        self._announce(updated)

    async def _watch_timeouts(self) -> None:
        while True:
            now = self._now()
            for record in self._store.active():
                reason = _silence(record, now.timestamp())
                if reason is not None:
                    self._announce(self._store.transition(record.id, "timed_out", now, reason,
                                                          error=reason))
            await asyncio.sleep(TIMEOUT_CHECK_PERIOD_S)

    def _announce(self, record: CommandRecord) -> None:
        self._hub.publish("command", record.rover, record.to_json())


def _silence(record: CommandRecord, now: float) -> str | None:
    """Why a radiated command is given up for lost, or None while it may still answer."""
    if record.predicted_ack is None or record.radiated_at is None or record.deadline is None:
        return None
    if record.state == "radiated":
        round_trip = record.predicted_ack - record.radiated_at
        grace = max(TIMEOUT_GRACE_S, TIMEOUT_GRACE_FRACTION * round_trip)
        if now > record.predicted_ack + grace:
            return f"no acceptance {grace:.0f} s after the predicted acknowledgement"
    elif now > record.deadline:
        return "no completion report by the deadline"
    return None
