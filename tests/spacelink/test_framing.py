from __future__ import annotations

from spacelink.framing import MAX_FRAME_SIZE, Deframer, deframe, frame
from spacelink.packets import Telecommand

PACKET = Telecommand(0x0C8, 1, 17, 1, b"\x00\x01\x00").pack()  # contains zero bytes


def test_frame_has_no_inner_zero_and_ends_with_one() -> None:
    framed = frame(PACKET)
    assert framed.endswith(b"\x00")
    assert b"\x00" not in framed[:-1]


def test_partial_frame_is_left_unconsumed() -> None:
    framed = frame(PACKET)
    result = deframe(framed[:-3])
    assert result.packets == [] and result.consumed == 0 and result.skipped == []


def test_byte_by_byte_feed() -> None:
    deframer = Deframer()
    got = [p for byte in frame(PACKET) * 3 for p in deframer.feed(bytes([byte]))]
    assert got == [PACKET] * 3


def test_bad_cobs_and_bad_crc_are_counted_and_resynchronised() -> None:
    corrupt = bytearray(frame(PACKET))
    corrupt[6] ^= 0x40  # a data byte; the flip must not make a delimiter
    assert corrupt[6] != 0
    stream = b"\x05\x01\x00" + bytes(corrupt) + frame(PACKET)
    deframer = Deframer()
    assert deframer.feed(stream) == [PACKET]
    assert deframer.errors["cobs"] + deframer.errors["crc"] == 2
    assert deframer.frames == 1


def test_over_long_garbage_is_skipped_without_a_delimiter() -> None:
    deframer = Deframer()
    assert deframer.feed(b"\x01" * (MAX_FRAME_SIZE + 10)) == []
    assert deframer.errors["too_long"] == 1 and deframer.buffer == b""
    assert deframer.feed(frame(PACKET)) == [PACKET]


def test_skipped_ranges_are_reported() -> None:
    result = deframe(b"\xff\xff\x00" + frame(PACKET))
    assert result.skipped[0].start == 0 and result.skipped[0].end == 3
    assert result.consumed == 3 + len(frame(PACKET))
