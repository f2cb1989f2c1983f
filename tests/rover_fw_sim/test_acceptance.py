"""Step 1 of every TC: each failure mode with its code and a reason naming the culprit."""

from __future__ import annotations

import struct

import pytest

from rover_fw_sim.flight import FlightSoftware
from spacelink.packets import FailureCode, RequestId, Telecommand, Verification
from spacelink.rovers import ZHURONG
from tests.rover_fw_sim.tctools import APID, T0, failure, kinds, tc, verifications


@pytest.fixture
def fsw() -> FlightSoftware:
    return FlightSoftware(ZHURONG, T0, seed=1)


def _raw(service: int, subtype: int, data: bytes, seq: int = 5, apid: int = APID) -> bytes:
    return Telecommand(apid, seq, service, subtype, data).pack()


def test_bad_crc_keeps_the_header_request_id(fsw: FlightSoftware) -> None:
    raw = bytearray(tc("PING", seq=42))
    raw[-1] ^= 0xFF
    tms = fsw.handle_tc(bytes(raw), T0)
    assert kinds(tms) == [Verification.ACCEPTANCE_FAILURE]
    assert verifications(tms)[0].request_id == RequestId(APID, 42)
    assert failure(tms)[0] == FailureCode.BAD_CRC
    assert fsw.counters.rejected == 1
    assert fsw.counters.accepted == 0


@pytest.mark.parametrize(
    ("raw", "rid"),
    [
        (b"\x18", RequestId(0, 0)),  # fewer than 4 bytes: zeros
        (b"\x18\xc8\xc0\x07\x00", RequestId(APID, 7)),  # a header cut short
    ],
)
def test_malformed(fsw: FlightSoftware, raw: bytes, rid: RequestId) -> None:
    tms = fsw.handle_tc(raw, T0)
    assert verifications(tms)[0].request_id == rid
    assert failure(tms)[0] == FailureCode.MALFORMED


def test_length_field_lies(fsw: FlightSoftware) -> None:
    raw = bytearray(tc("PING"))
    raw[5] += 1
    assert failure(fsw.handle_tc(bytes(raw), T0))[0] == FailureCode.MALFORMED


def test_wrong_apid(fsw: FlightSoftware) -> None:
    code, reason = failure(fsw.handle_tc(tc("PING", apid=0x123), T0))
    assert code == FailureCode.WRONG_APID
    assert "apid" in reason


def test_unknown_service(fsw: FlightSoftware) -> None:
    code, reason = failure(fsw.handle_tc(_raw(200, 1, b""), T0))
    assert (code, reason) == (FailureCode.UNKNOWN_SERVICE, "no TC[200,1]")
    assert failure(fsw.handle_tc(_raw(8, 2, b"\x00\x01"), T0))[0] == FailureCode.UNKNOWN_SERVICE


def test_unknown_function(fsw: FlightSoftware) -> None:
    code, reason = failure(fsw.handle_tc(_raw(8, 1, struct.pack(">H", 999)), T0))
    assert (code, reason) == (FailureCode.UNKNOWN_FUNCTION, "function_id 999")


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (struct.pack(">Hf", 1, 5.0), "DRIVE args"),  # one f32 short
        (b"\x00", "function_id"),  # not even a function id
        (struct.pack(">HB", 3, 0), "STOP args"),  # STOP takes nothing
    ],
)
def test_bad_arguments(fsw: FlightSoftware, data: bytes, named: str) -> None:
    code, reason = failure(fsw.handle_tc(_raw(8, 1, data), T0))
    assert code == FailureCode.BAD_ARGUMENTS
    assert reason.startswith(named)


@pytest.mark.parametrize(
    ("data", "named"),
    [
        (struct.pack(">Hff", 1, 150.0, 0.05), "distance_m"),
        (struct.pack(">Hff", 1, 10.0, 0.5), "speed_mps"),
        (struct.pack(">Hf", 1, float("nan")) + struct.pack(">f", 0.05), "distance_m"),
        (struct.pack(">HB", 4, 7), "mode"),  # enum index past the choices
        (struct.pack(">HHB", 6, 5, 0), "duration_s"),
    ],
)
def test_out_of_range_names_the_argument(fsw: FlightSoftware, data: bytes, named: str) -> None:
    code, reason = failure(fsw.handle_tc(_raw(8, 1, data), T0))
    assert code == FailureCode.OUT_OF_RANGE
    assert reason.startswith(f"{named}:")
    assert reason.isascii()
    assert len(reason) <= 48


def test_sync_time_out_of_range(fsw: FlightSoftware) -> None:
    code, reason = failure(fsw.handle_tc(_raw(9, 128, struct.pack(">If", 1, 0.0)), T0))
    assert code == FailureCode.OUT_OF_RANGE
    assert reason.startswith("time_scale:")


def test_rejections_are_counted_and_not_remembered(fsw: FlightSoftware) -> None:
    bad = _raw(8, 1, struct.pack(">HB", 4, 7), seq=9)
    fsw.handle_tc(bad, T0)
    fsw.handle_tc(bad, T0)
    assert fsw.counters.rejected == 2
    assert kinds(fsw.handle_tc(tc("PING", seq=9), T0), 9)[0] == Verification.ACCEPTANCE_SUCCESS


def test_bool_byte_past_one_is_out_of_range(fsw: FlightSoftware) -> None:
    code, reason = failure(fsw.handle_tc(_raw(8, 1, struct.pack(">HBB", 10, 0, 2)), T0))
    assert code == FailureCode.OUT_OF_RANGE
    assert reason.startswith("on:")


def test_unparseable_bytes_get_what_screen_tc_says(fsw: FlightSoftware) -> None:
    """The bridge answers these itself with screen_tc's verdict: the emulator must agree."""
    from spacelink.packets import TcRejection, screen_tc

    raw = bytearray(tc("PING", seq=11))
    raw[-2] ^= 0x01
    for bad in (bytes(raw), bytes(raw[:7]), b"\x18\xc8"):
        screened = screen_tc(bad)
        assert isinstance(screened, TcRejection)
        (report,) = verifications(fsw.handle_tc(bad, T0))
        assert (report.request_id, report.failure, report.reason) == (
            screened.request_id, screened.code, screened.reason)


def test_kinds_decide_what_is_forbidden(fsw: FlightSoftware) -> None:
    fsw.handle_tc(tc("SET_MODE", seq=1, mode="sleep"), T0)
    assert failure(fsw.handle_tc(tc("TURN", seq=2, angle_deg=5), T0), 2)[0] == \
        FailureCode.FORBIDDEN_IN_MODE
    assert failure(fsw.handle_tc(tc("MAG_SAMPLE", seq=3, duration_s=10), T0), 3)[0] == \
        FailureCode.FORBIDDEN_IN_MODE
    assert Verification.COMPLETION_SUCCESS in kinds(fsw.handle_tc(tc("STOP", seq=4), T0), 4)
