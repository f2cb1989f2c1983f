"""What the bridge tells the world, as pure data: presence, and the reports it makes.

Nothing here does I/O. :func:`presence` is what goes retained on ``rovers/{id}/mars/status``
(its counters, :class:`~spacelink.control.BridgeCounters`, on ``rovers/{id}/mars/bridge``);
:func:`unreachable_report` the ST[01] acceptance failure for a TC the board never got, and
:func:`rejection_report` the one for bytes that are not a TC (the emulator's answer to them).
"""

from __future__ import annotations

from datetime import datetime

from spacelink.clock import iso
from spacelink.control import Presence
from spacelink.dictionary import DICTIONARY
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

REFERENCE_BOARD_SUPPORTS = tuple(c.name for c in DICTIONARY.commands
                                 if c.kind != "instrument")
"""What the reference firmware executes: it has no instruments (they answer UNKNOWN_FUNCTION)."""


def presence(rover: Rover, online: bool, device: str, since: datetime,
             supports: tuple[str, ...]) -> Presence:
    """The retained presence of a bridge: online only while the board answers."""
    if not online:
        return Presence.offline(rover.id, "bridge", device)
    return Presence("online", rover.id, "bridge", iso(since), device, supports)


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
