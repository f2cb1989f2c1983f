"""What the bridge tells the world, as pure data: counters, presence, and the reports it makes.

Nothing here does I/O. :class:`LinkCounters` becomes the retained JSON on
``rovers/{id}/mars/bridge``; :func:`presence` the retained JSON on ``rovers/{id}/mars/status``;
:func:`unreachable_report` the ST[01] acceptance failure for a TC the board never got, and
:func:`rejection_report` the one for bytes that are not a TC (the emulator's answer to them).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime

from spacelink.clock import iso
from spacelink.packets import (
    FailureCode,
    RequestId,
    TcRejection,
    Telemetry,
    Verification,
    VerificationReport,
    header_request_id,
    report_tm,
)
from spacelink.rovers import Rover


@dataclass(slots=True)
class LinkCounters:
    frames_up: int = 0       # TM frames from the board published upstream
    frames_down: int = 0     # TC frames written to the board
    bytes_up: int = 0
    bytes_down: int = 0
    cobs_errors: int = 0
    crc_errors: int = 0
    too_long: int = 0
    too_short: int = 0
    resyncs: int = 0         # frames skipped for any of the reasons above
    reopenings: int = 0      # times the port was opened again after losing it
    queued: int = 0          # TCs waiting for the board now
    expired: int = 0         # TCs answered BOARD_UNREACHABLE
    screened: int = 0        # bytes from mars/tc that are not a TC, answered BAD_CRC/MALFORMED
    board_online: bool = False
    port_open: bool = False

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True).encode()


def presence(rover: Rover, online: bool, device: str, since: datetime) -> bytes:
    """The retained presence of a bridge: online only while the board answers."""
    return json.dumps({
        "state": "online" if online else "offline", "kind": "bridge", "rover": rover.id,
        "device": device, "since": iso(since),
    }).encode()


def request_id_of(tc: bytes) -> RequestId:
    """The request id in a TC's header, whatever else is wrong with it (zeros if too short)."""
    return header_request_id(tc)


def rejection_report(rover: Rover, rejection: TcRejection, seq_count: int,
                     time: datetime) -> Telemetry:
    """TM[1,2] for bytes that :func:`~spacelink.packets.screen_tc` refused: exactly the
    acceptance failure the emulator sends for them."""
    return report_tm(rover.apid, seq_count, time, rejection.report())


def unreachable_report(rover: Rover, tc: bytes, seq_count: int, time: datetime,
                       waited_s: float) -> Telemetry:
    """TM[1,2] BOARD_UNREACHABLE for a TC the board did not get within the bound."""
    report = VerificationReport(
        Verification.ACCEPTANCE_FAILURE, request_id_of(tc), failure=FailureCode.BOARD_UNREACHABLE,
        reason=f"board unreachable for {waited_s:.0f} s",
    )
    return report_tm(rover.apid, seq_count, time, report)
