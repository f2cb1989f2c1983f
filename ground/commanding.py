"""The command queue: accept, hold, cancel, radiate, and track each command to its end.

Radiation is at-least-once and execution exactly-once: a command gets its sequence count
(committed) before it is published, and keeps it. If the ground dies between the publication
and the commit of ``radiated``, the restarted ground radiates it again with the same count and
the rover, which remembers recent request ids, executes it only once. A command left silent is
radiated again the same way, within a window that keeps it in the rover's memory
(:mod:`ground.delivery`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from ground.delivery import Move, next_move, window_allows
from ground.errors import (
    CommandNotFoundError,
    IdempotencyConflictError,
    NotCancellableError,
    UnknownRoverError,
)
from ground.idempotency import request_digest
from ground.lifecycle import (
    ACTIVE,
    TERMINAL,
    apply_report,
    can_cancel,
    revived_deadline,
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

SILENCE_CHECK_PERIOD_S = 0.25


@dataclass(frozen=True, slots=True)
class Submission:
    record: CommandRecord
    created: bool  # False: a repeat of a request already taken under its idempotency key


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
        self._radiation = {r: asyncio.Lock() for r in rovers}
        self._silence_check = asyncio.Lock()

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
        return self._queued(self._store.add_command(rover, name, checked, self._now()))

    def submit_once(self, rover: str, name: str, args: dict[str, object], key: str
                    ) -> Submission:
        """Queue a command once per idempotency key (:mod:`ground.idempotency`): a repeat of
        the request gets the command the key created; the key with another request raises
        IdempotencyConflictError."""
        self.rover(rover)
        digest = request_digest(name, args)
        with self._store.transaction(synced=True):
            found = self._store.command_for_key(rover, key)
            if found is None:
                checked = self._dictionary.command(name).validate(args)
                record = self._store.add_command(rover, name, checked, self._now(),
                                                 (key, digest))
                return Submission(self._queued(record), created=True)
            record, known = found
        if known != digest:
            raise IdempotencyConflictError(key, record.id)
        return Submission(record, created=False)

    def _queued(self, record: CommandRecord) -> CommandRecord:
        self._announce(record)
        self._store.after_commit(self._kick[record.rover].set)
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
        if record.state == "timed_out" and step.state in ACTIVE:
            columns["deadline"] = revived_deadline(ground_time.timestamp(),
                                                   self._owlt(ground_time), self._run_s(record))
        updated = self._store.transition(record.id, step.state, ground_time, detail, **columns)
        self._announce(updated)
        if updated.state in TERMINAL:  # a place in the radiation window is free
            self._store.after_commit(self._kick[rover].set)

    # ------------------------------------------------------------------ background work

    async def run(self) -> None:
        async with asyncio.TaskGroup() as tasks:
            for rover in self._rovers:
                tasks.create_task(self._radiate_loop(rover), name=f"radiate-{rover}")
            tasks.create_task(self._watch_silence(), name="command-silence")

    async def _radiate_loop(self, rover: str) -> None:
        kick = self._kick[rover]
        kick.set()  # commands left queued by a previous run go first
        while True:
            # Waiting for a closed link or a full window needs no polling: link_opened() and
            # a command's end kick us.
            await kick.wait()
            kick.clear()
            await self.radiate_ready(rover)

    async def radiate_ready(self, rover: str) -> None:
        """Radiate, oldest first, what may go now: link open, queue released, window not full."""
        async with self._radiation[rover]:
            while (self._link_open() and not self._held(rover)
                   and (record := self._store.next_queued(rover)) is not None
                   and self._in_window(record)):
                await self._radiate(record)

    def _in_window(self, record: CommandRecord) -> bool:
        seq = record.seq_count
        if seq is None:
            seq = int(self._store.setting(f"seq:{record.rover}") or 0)
        return window_allows(seq, self._store.in_flight_seqs(record.rover))

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
            owlt, predictions = self._predictions(record, at)
            updated = self._store.transition(record.id, "radiated", at,
                                             f"seq {seq}, OWLT {owlt:.1f} s", seq_count=seq,
                                             **predictions)
        finally:
            self._radiating[rover.id] = None
        self._announce(updated)

    def _predictions(self, record: CommandRecord, at: datetime) -> tuple[float, dict[str, float]]:
        """The light time now, and when a command radiated ``at`` should arrive and answer."""
        owlt = self._owlt(at)
        return owlt, {
            "radiated_at": at.timestamp(),
            "predicted_arrival": (at + timedelta(seconds=owlt)).timestamp(),
            "predicted_ack": (at + timedelta(seconds=2 * owlt)).timestamp(),
            "deadline": silence_deadline(at.timestamp(), owlt, self._run_s(record)),
        }

    def _run_s(self, record: CommandRecord) -> float:
        return self._dictionary.command(record.name).duration_s(record.args)

    async def _watch_silence(self) -> None:
        while True:
            await self.check_silence()
            await asyncio.sleep(SILENCE_CHECK_PERIOD_S)

    async def check_silence(self) -> None:
        """Radiate again, or give up, each command the rover has left unanswered too long."""
        async with self._silence_check:
            for stale in self._store.active():
                # Read again: reports may have come in while an earlier one was radiated.
                record = self._store.command(stale.id)
                if record is None or record.rover not in self._rovers:
                    continue
                move = next_move(record, self._now().timestamp(), self._link_open())
                if move is None:
                    continue
                if move.action == "retransmit":
                    await self._retransmit(record, move)
                else:
                    log.warning("%s: command %d timed out: %s", record.rover, record.id,
                                move.detail)
                    self._announce(self._store.transition(record.id, "timed_out", self._now(),
                                                          move.detail, error=move.detail))
                    self._kick[record.rover].set()

    async def _retransmit(self, record: CommandRecord, move: Move) -> None:
        """The same TC again, same sequence count, same bytes: the rover executes it once."""
        if record.seq_count is None:  # radiated without a count: cannot be (see _radiate)
            return
        rover = self._rovers[record.rover]
        tc = build_tc(self._dictionary, rover.apid, record.seq_count, record.name, record.args)
        await self._bus.publish(topics.earth_tc(rover.id), tc.pack(), qos=1)
        at = self._now()
        owlt, predictions = self._predictions(record, at)
        log.info("%s: command %d %s", rover.id, record.id, move.detail)
        self._announce(self._store.retransmitted(record.id, at, f"{move.detail}; OWLT "
                                                 f"{owlt:.1f} s", **predictions))

    def _announce(self, record: CommandRecord) -> None:
        """To every console once committed (at once outside a transaction)."""
        self._store.after_commit(
            lambda: self._hub.publish("command", record.rover, record.to_json()))
