"""screen_tc: the one byte-level screening of a TC, shared by the emulator and the bridge."""

from __future__ import annotations

import struct

import pytest

from spacelink.dictionary import DICTIONARY
from spacelink.packets import (
    MAX_TC_SIZE,
    REASON_MAX,
    TC_HEADER_SIZE,
    FailureCode,
    RequestId,
    TcRejection,
    Telecommand,
    Verification,
    VerificationReport,
    build_tc,
    crc16_ccitt_false,
    header_request_id,
    screen_tc,
)

APID = 0xC8


def _resealed(body: bytes) -> bytes:
    return body + struct.pack(">H", crc16_ccitt_false(body))


def _ping(seq: int = 42) -> bytes:
    return build_tc(DICTIONARY, APID, seq, "PING", {}).pack()


def test_a_good_tc_passes() -> None:
    assert screen_tc(_ping()) == Telecommand(APID, 42, 17, 1, b"")


def test_bad_crc_keeps_the_header_request_id() -> None:
    raw = bytearray(_ping())
    raw[-1] ^= 0xFF
    rejection = screen_tc(bytes(raw))
    assert isinstance(rejection, TcRejection)
    assert rejection.request_id == RequestId(APID, 42)
    assert rejection.code == FailureCode.BAD_CRC
    assert rejection.reason.startswith("crc ")


@pytest.mark.parametrize(
    ("raw", "rid", "says"),
    [
        (b"", RequestId(0, 0), "shorter"),
        (b"\x18\xc8\xc0", RequestId(0, 0), "shorter"),  # fewer than 4 bytes: zeros
        (b"\x18\xc8\xc0\x07\x00", RequestId(APID, 7), "shorter"),
        (_resealed(_ping()[:8]), RequestId(APID, 42), "shorter"),
        (_resealed(bytes([_ping()[0] & ~0x10 & 0xFF]) + _ping()[1:-2]), RequestId(APID, 42),
         "TM where a TC"),
        (_resealed(bytes([_ping()[0] & ~0x08 & 0xFF]) + _ping()[1:-2]), RequestId(APID, 42),
         "secondary header"),
        (_resealed(_ping()[:5] + bytes([_ping()[5] + 1]) + _ping()[6:-2]), RequestId(APID, 42),
         "length field"),
        (Telecommand(APID, 9, 17, 1, bytes(MAX_TC_SIZE - TC_HEADER_SIZE)).pack(),
         RequestId(APID, 9), "longer than a TC"),
    ],
)
def test_malformed(raw: bytes, rid: RequestId, says: str) -> None:
    rejection = screen_tc(raw)
    assert isinstance(rejection, TcRejection)
    assert (rejection.request_id, rejection.code) == (rid, FailureCode.MALFORMED)
    assert says in rejection.reason


def test_content_is_not_screened() -> None:
    """Wrong APID, unknown service: the rover's to answer, not the screening's."""
    assert isinstance(screen_tc(Telecommand(0x123, 1, 200, 9, b"\x01").pack()), Telecommand)


def test_header_request_id() -> None:
    assert header_request_id(b"\x18") == RequestId(0, 0)
    assert header_request_id(b"\x1f\xff\xff\xff\x00") == RequestId(0x7FF, 0x3FFF)


def test_rejection_reason_is_ascii_and_bounded() -> None:
    rejection = TcRejection(RequestId(APID, 1), FailureCode.MALFORMED, "é" + "x" * 100)
    assert rejection.reason.isascii()
    assert len(rejection.reason) == REASON_MAX
    report = rejection.report()
    assert report == VerificationReport(Verification.ACCEPTANCE_FAILURE, RequestId(APID, 1),
                                        failure=FailureCode.MALFORMED, reason=rejection.reason)
    assert len(report.source_data()) == 4 + 2 + REASON_MAX


def test_every_dictionary_tc_fits_the_limit() -> None:
    for command in DICTIONARY.commands:
        size = TC_HEADER_SIZE + (2 if command.function_id is not None else 0) \
            + command.args_size + 2
        assert size <= MAX_TC_SIZE, command.name
