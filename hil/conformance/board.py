"""A board on a serial port, seen from the suite: send TCs, wait for what comes back.

Everything received is kept in arrival order with its arrival time; a check takes a
:meth:`Board.mark` before sending and waits on what arrived after it. Waiting is on a
condition with a deadline, never a fixed sleep.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Self, TypeVar

from hil.serialport import PortReader, open_port
from spacelink.dictionary import DICTIONARY, Value
from spacelink.errors import PacketError, SerialPortError
from spacelink.framing import Deframer, SkipReason, frame
from spacelink.packets import (
    SEQ_COUNT_MODULO,
    HousekeepingReport,
    Report,
    RequestId,
    Telecommand,
    Telemetry,
    Verification,
    VerificationReport,
    build_tc,
    decode_report,
    parse_tm,
)
from spacelink.rovers import Rover

T = TypeVar("T")

FINAL_KINDS = frozenset({
    Verification.ACCEPTANCE_FAILURE, Verification.START_FAILURE,
    Verification.COMPLETION_SUCCESS, Verification.COMPLETION_FAILURE,
})


class CheckFailed(Exception):
    """A check's verdict: what was expected and what the board did instead."""


@dataclass(frozen=True, slots=True)
class Received:
    at: float  # time.monotonic() on arrival
    tm: Telemetry
    report: Report


class Board:
    def __init__(self, device: str, baud: int, rover: Rover) -> None:
        self.device = device
        self.baud = baud
        self.rover = rover
        self.deframer = Deframer()
        self.items: list[Received] = []
        self.problems: list[str] = []  # TMs that do not parse, decode, or carry our APID
        self._cond = threading.Condition()
        self._seq = secrets.randbelow(SEQ_COUNT_MODULO)  # a fresh range per run
        self._closed: SerialPortError | None = None
        self.startup_errors: dict[SkipReason, int] | None = None  # partial frame at open: expected
        self._reader: PortReader | None = None

    def __enter__(self) -> Self:
        port = open_port(self.device, self.baud)
        self._reader = PortReader(port, self.device, self._on_bytes, self._on_closed)
        self._reader.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._reader is not None:
            self._reader.stop()

    # -- receiving (reader thread) -------------------------------------------------------

    def _on_bytes(self, data: bytes) -> None:
        now = time.monotonic()
        packets = self.deframer.feed(data)
        if packets and self.startup_errors is None:
            self.startup_errors = dict(self.deframer.errors)
        for packet in packets:
            try:
                tm = parse_tm(packet)
                report = decode_report(DICTIONARY, tm)
            except PacketError as exc:
                with self._cond:
                    self.problems.append(f"bad TM: {exc}")
                continue
            with self._cond:
                if tm.apid != self.rover.apid:
                    self.problems.append(f"TM with APID {tm.apid}, expected {self.rover.apid}")
                self.items.append(Received(now, tm, report))
                self._cond.notify_all()

    def _on_closed(self, error: SerialPortError | None) -> None:
        with self._cond:
            self._closed = error
            self._cond.notify_all()

    # -- sending ---------------------------------------------------------------------------

    def next_seq(self) -> int:
        self._seq = (self._seq + 1) % SEQ_COUNT_MODULO
        return self._seq

    def tc(self, name: str, args: dict[str, Value] | None = None) -> Telecommand:
        command = DICTIONARY.command(name)
        return build_tc(DICTIONARY, self.rover.apid, self.next_seq(), name,
                        command.validate(args or {}))

    def send(self, tc: Telecommand) -> RequestId:
        self.send_raw(frame(tc.pack()))
        return tc.request_id

    def send_raw(self, data: bytes) -> None:
        if self._reader is None:
            raise SerialPortError(self.device, "not open")
        self._reader.write(data)

    # -- waiting ---------------------------------------------------------------------------

    def mark(self) -> int:
        with self._cond:
            return len(self.items)

    def since(self, mark: int) -> list[Received]:
        with self._cond:
            return self.items[mark:]

    def wait(self, found: Callable[[list[Received]], T | None], timeout: float, what: str,
             since: int = 0) -> T:
        """The first non-None ``found(items since mark)``; :class:`CheckFailed` on timeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                result = found(self.items[since:])
                if result is not None:
                    return result
                if self._closed is not None:
                    raise CheckFailed(f"{what}: the port closed ({self._closed})")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise CheckFailed(f"no {what} within {timeout:g} s")
                self._cond.wait(left)

    def reports(self, request_id: RequestId, since: int) -> list[VerificationReport]:
        return [r.report for r in self.since(since)
                if isinstance(r.report, VerificationReport) and r.report.request_id == request_id]

    def wait_final(self, request_id: RequestId, since: int, timeout: float,
                   count: int = 1) -> list[VerificationReport]:
        """This request's reports up to its ``count``-th final one."""
        def found(items: list[Received]) -> list[VerificationReport] | None:
            mine = [r.report for r in items if isinstance(r.report, VerificationReport)
                    and r.report.request_id == request_id]
            finals = [i for i, rep in enumerate(mine) if rep.kind in FINAL_KINDS]
            return mine[: finals[count - 1] + 1] if len(finals) >= count else None

        return self.wait(found, timeout, f"final report for seq {request_id.seq_count}", since)

    def wait_housekeeping(self, since: int, timeout: float, count: int = 1
                          ) -> list[tuple[Received, dict[str, Value]]]:
        def found(items: list[Received]) -> list[tuple[Received, dict[str, Value]]] | None:
            hk = [(r, r.report.values) for r in items
                  if isinstance(r.report, HousekeepingReport) and r.report.structure.sid == 1]
            return hk[:count] if len(hk) >= count else None

        return self.wait(found, timeout, f"{count} SID 1 housekeeping report(s)", since)

    def wait_reports(self, request_id: RequestId, since: int, timeout: float,
                     kind: Verification) -> list[VerificationReport]:
        def found(items: list[Received]) -> list[VerificationReport] | None:
            mine = [r.report for r in items if isinstance(r.report, VerificationReport)
                    and r.report.request_id == request_id]
            return mine if any(rep.kind == kind for rep in mine) else None

        return self.wait(found, timeout, f"{kind.name} for seq {request_id.seq_count}", since)
