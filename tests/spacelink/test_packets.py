"""Golden vectors, round trips and garbage for the PUS-C packet codec."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from spacelink.dictionary import DICTIONARY
from spacelink.errors import CrcError, MalformedPacketError
from spacelink.packets import (
    EventReport,
    FailureCode,
    HousekeepingReport,
    PongReport,
    RequestId,
    Telecommand,
    Verification,
    VerificationReport,
    build_tc,
    crc16_ccitt_false,
    cuc_pack,
    cuc_unpack,
    decode_report,
    parse_tc,
    parse_tm,
    report_tm,
    resequence,
)

T = datetime(2021, 5, 22, 2, 40, 0, 500000, tzinfo=UTC)


def test_crc_check_value() -> None:
    assert crc16_ccitt_false(b"123456789") == 0x29B1


def test_ping_tc_golden_bytes() -> None:
    tc = build_tc(DICTIONARY, 0x0C8, 5, "PING", {})
    # version 0, TC, sec header, APID 0x0C8 | unsegmented, seq 5 | length 6 | PUS-C v2, ack 1111
    # | ST[17,1] | source id 0 | CRC
    assert tc.pack().hex() == "18c8c0050006" + "2f110100 00".replace(" ", "") + (
        f"{crc16_ccitt_false(bytes.fromhex('18c8c00500062f11010000')):04x}")


def test_drive_tc_round_trip() -> None:
    args = DICTIONARY.command("DRIVE").validate({"distance_m": 12.5})
    raw = build_tc(DICTIONARY, 0x0C8, 16383, "DRIVE", args).pack()
    tc = parse_tc(raw)
    assert (tc.apid, tc.seq_count, tc.service, tc.subtype) == (0x0C8, 16383, 8, 1)
    assert tc.app_data[:2] == b"\x00\x01"  # function id of DRIVE
    assert DICTIONARY.command("DRIVE").unpack_args(tc.app_data[2:]) == {
        "distance_m": 12.5, "speed_mps": pytest.approx(0.05)}


def test_sequence_count_wraps_at_14_bits() -> None:
    assert build_tc(DICTIONARY, 0x0C8, 16384 + 7, "PING", {}).seq_count == 7


@pytest.mark.parametrize("flip", [0, 3, 7, 11, 12])
def test_any_flipped_bit_is_caught(flip: int) -> None:
    raw = bytearray(Telecommand(0x0C8, 1, 17, 1, b"").pack())
    raw[flip] ^= 0x10
    with pytest.raises((CrcError, MalformedPacketError)):
        parse_tc(bytes(raw))


@pytest.mark.parametrize("garbage", [b"", b"\x18", b"\xff" * 13, bytes(range(40)), b"\x00" * 2000])
def test_garbage_is_refused_with_a_reason(garbage: bytes) -> None:
    with pytest.raises((CrcError, MalformedPacketError)) as info:
        parse_tc(garbage)
    assert str(info.value)


def test_tm_is_not_a_tc() -> None:
    raw = report_tm(0x0C8, 0, T, PongReport()).pack()
    with pytest.raises(MalformedPacketError, match="TM where a TC"):
        parse_tc(raw)


def test_cuc_round_trip_to_the_tick() -> None:
    assert cuc_pack(datetime(2000, 1, 1, 0, 0, 1, tzinfo=UTC)) == b"\x00\x00\x00\x01\x00\x00"
    assert abs((cuc_unpack(cuc_pack(T)) - T).total_seconds()) < 1 / 65536


def test_request_id_golden() -> None:
    assert RequestId(0x0C8, 5).pack() == bytes.fromhex("18c8c005")
    assert RequestId.unpack(bytes.fromhex("18c8c005")) == RequestId(0x0C8, 5)


@pytest.mark.parametrize("report", [
    VerificationReport(Verification.ACCEPTANCE_SUCCESS, RequestId(0x0C8, 9)),
    VerificationReport(Verification.PROGRESS_SUCCESS, RequestId(0x0C8, 9), step=40),
    VerificationReport(Verification.ACCEPTANCE_FAILURE, RequestId(0x0C8, 9), None,
                       FailureCode.OUT_OF_RANGE, "distance_m above 100"),
    VerificationReport(Verification.COMPLETION_FAILURE, RequestId(0x0C8, 9), None,
                       FailureCode.HAZARD, "rock"),
    PongReport(),
])
def test_reports_round_trip(report: VerificationReport | PongReport) -> None:
    tm = parse_tm(report_tm(0x0C8, 3, T, report).pack())
    assert abs((tm.time - T).total_seconds()) < 1e-4
    assert decode_report(DICTIONARY, tm) == report


def test_housekeeping_round_trip() -> None:
    structure = DICTIONARY.structure(1)
    assert structure is not None
    values = {c.name: (c.field.choices[0] if c.field.choices else 1) for c in structure.channels}
    report = decode_report(DICTIONARY, parse_tm(
        report_tm(0x0C8, 1, T, HousekeepingReport(structure, values)).pack()))
    assert isinstance(report, HousekeepingReport)
    assert report.values == values


def test_event_round_trip() -> None:
    event = DICTIONARY.event_named("HAZARD_DETECTED")
    values = {"x_m": 1.5, "y_m": -2.0, "kind": "rock"}
    report = decode_report(DICTIONARY, parse_tm(
        report_tm(0x0C8, 1, T, EventReport(event, values)).pack()))
    assert report == EventReport(event, values)
    assert "x_m=1.50" in event.message(values)


def test_unknown_housekeeping_structure_is_malformed() -> None:
    tm = parse_tm(report_tm(0x0C8, 1, T, PongReport()).pack())
    bogus = type(tm)(tm.apid, tm.seq_count, 3, 25, tm.time, b"\x00\x63")
    with pytest.raises(MalformedPacketError, match="structure 99"):
        decode_report(DICTIONARY, bogus)


def test_resequence_keeps_the_packet_and_fixes_the_crc() -> None:
    original = report_tm(0x0C8, 41, T, PongReport()).pack()
    renumbered = resequence(original, 16384 + 5)
    tm = parse_tm(renumbered)  # the CRC is valid again
    assert tm.seq_count == 5 and tm.apid == 0x0C8 and tm.service == 17
    assert renumbered[4:-2] == original[4:-2] and renumbered[:2] == original[:2]
    assert renumbered[2] >> 6 == original[2] >> 6  # sequence flags untouched


def test_cuc_time_rolls_over_instead_of_failing() -> None:
    from datetime import timedelta

    from spacelink.packets import CUC_EPOCH, cuc_pack, cuc_unpack

    last = CUC_EPOCH + timedelta(seconds=2**32 - 1)
    assert cuc_unpack(cuc_pack(last)) == last
    assert cuc_unpack(cuc_pack(last + timedelta(seconds=2))) == CUC_EPOCH + timedelta(seconds=1)
    assert cuc_unpack(cuc_pack(CUC_EPOCH - timedelta(seconds=1))) == last
