"""Non-volatile memory: what the flight software finds again after a reset, SIGKILL included.

It keeps the execute-once memory (request id → command name and final report, or still
executing; in acceptance order, :data:`~rover_fw_sim.requests.MEMORY` deep), the command
counters and the next TM sequence count. The flight software works from RAM, writes through
to this memory, and reads it back once, at boot.

The order of the writes is the promise. A request id is written *before* its TC executes
(remember, then execute): a reset between the two then leaves a remembered request without a
final report, which the next boot answers with a completion failure ``RESET``; a redelivered
copy of the TC gets that answer and never runs. The other order would run a TC whose id died
with the RAM, and run it again when it is redelivered: a drive made twice. So a reset can cost
an execution, never duplicate one, and every accepted TC gets a final answer. The final report
is written when it is emitted, before it can leave the rover, so a duplicate after any reset
replays what the ground may already have heard. The TM sequence count is written before the
packets that used it leave, so numbering resumes past anything sent.

Every write is durable when the call returns. :class:`RamNvm` is the in-RAM one, for tests (two
flight-software instances on one are a reset without a disk); ``rover_fw_sim.nvm_sqlite``
keeps it in a file.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Protocol

from rover_fw_sim.requests import MEMORY, Remembered, RequestMemory
from spacelink.packets import RequestId, VerificationReport


@dataclass(slots=True)
class Counters:
    accepted: int = 0
    rejected: int = 0
    executed: int = 0


@dataclass(frozen=True, slots=True)
class Saved:
    """The memory's content, as read back at boot."""

    requests: list[tuple[RequestId, Remembered]]  # oldest accepted first
    counters: Counters
    tm_seq_count: int  # the next TM's


class NonVolatile(Protocol):
    def recall(self) -> Saved: ...

    def remember(self, request_id: RequestId, command: str, counters: Counters) -> None:
        """A TC accepted, before it executes: its id, still executing, and the counters."""

    def finish(self, report: VerificationReport, counters: Counters) -> None:
        """A final report as it is emitted (ignored for a request no longer remembered)."""

    def save_counters(self, counters: Counters) -> None:
        """Counters that moved with no request to remember (a rejected TC)."""

    def save_tm_seq_count(self, next_seq_count: int) -> None: ...


class RamNvm:
    """Non-volatile as long as this object lives: a reset in a unit test."""

    def __init__(self, depth: int = MEMORY) -> None:
        self._requests = RequestMemory(depth)
        self._counters = Counters()
        self._tm_seq_count = 0

    def recall(self) -> Saved:
        return Saved(self._requests.entries(), dataclasses.replace(self._counters),
                     self._tm_seq_count)

    def remember(self, request_id: RequestId, command: str, counters: Counters) -> None:
        self._requests.remember(request_id, command)
        self.save_counters(counters)

    def finish(self, report: VerificationReport, counters: Counters) -> None:
        self._requests.finish(report)
        self.save_counters(counters)

    def save_counters(self, counters: Counters) -> None:
        self._counters = dataclasses.replace(counters)

    def save_tm_seq_count(self, next_seq_count: int) -> None:
        self._tm_seq_count = next_seq_count
