"""Building TCs and reading TM for the rover tests."""

from __future__ import annotations

from datetime import UTC, datetime

from spacelink.dictionary import DICTIONARY
from spacelink.packets import (
    FailureCode,
    Report,
    RequestId,
    Telemetry,
    Verification,
    VerificationReport,
    build_tc,
    decode_report,
)
from spacelink.rovers import ZHURONG

# Local mean midnight-ish at Utopia Planitia in northern summer, 2021 (sol 17 of Zhurong).
T0 = datetime(2021, 6, 1, tzinfo=UTC)
APID = ZHURONG.apid


def tc(name: str, seq: int = 1, apid: int = APID, **args: object) -> bytes:
    command = DICTIONARY.command(name)
    return build_tc(DICTIONARY, apid, seq, name, command.validate(args)).pack()


def reports(tms: list[Telemetry]) -> list[Report]:
    return [decode_report(DICTIONARY, tm) for tm in tms]


def verifications(tms: list[Telemetry], seq: int | None = None) -> list[VerificationReport]:
    found = [r for r in reports(tms) if isinstance(r, VerificationReport)]
    return [r for r in found if seq is None or r.request_id == RequestId(APID, seq)]


def kinds(tms: list[Telemetry], seq: int | None = None) -> list[Verification]:
    return [r.kind for r in verifications(tms, seq)]


def failure(tms: list[Telemetry], seq: int | None = None) -> tuple[FailureCode, str]:
    failed = [r for r in verifications(tms, seq) if r.kind.is_failure]
    assert len(failed) == 1, failed
    assert failed[0].failure is not None
    return failed[0].failure, failed[0].reason


def events(tms: list[Telemetry]) -> list[tuple[str, dict[str, object]]]:
    from spacelink.packets import EventReport

    return [(r.event.name, dict(r.values)) for r in reports(tms) if isinstance(r, EventReport)]
