"""Serial framing: each packet COBS-encoded and ended by 0x00.

:func:`deframe` is a pure stream parser: it returns the packets it found, how many bytes it
consumed and the byte ranges it skipped (bad COBS, bad CRC, over-long frames); it never raises
to say it needs more bytes. :class:`Deframer` keeps the unconsumed tail and the counters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from cobs import cobs

from spacelink.packets import MAX_PACKET_SIZE, crc16_ccitt_false

DELIMITER = b"\x00"
# COBS adds one byte in 254, plus the code byte; the delimiter is not part of a frame.
MAX_FRAME_SIZE = MAX_PACKET_SIZE + MAX_PACKET_SIZE // 254 + 1

SkipReason = Literal["cobs", "crc", "too_long", "too_short"]


def frame(packet: bytes) -> bytes:
    return bytes(cobs.encode(packet)) + DELIMITER


@dataclass(frozen=True, slots=True)
class Skipped:
    start: int
    end: int  # exclusive, offsets into the buffer given to deframe
    reason: SkipReason


@dataclass(frozen=True, slots=True)
class Deframed:
    packets: list[bytes]
    consumed: int
    skipped: list[Skipped]


def _check(body: bytes) -> bytes | SkipReason:
    if len(body) > MAX_FRAME_SIZE:
        return "too_long"
    try:
        packet = bytes(cobs.decode(body))
    except cobs.DecodeError:
        return "cobs"
    if len(packet) < 8:
        return "too_short"
    if crc16_ccitt_false(packet) != 0:  # CRC over data and its own CRC is 0 when intact
        return "crc"
    return packet


def deframe(buffer: bytes) -> Deframed:
    """Every complete frame in ``buffer``; a partial one at the end is left unconsumed,
    unless it is already longer than any frame may be (then it is skipped: resynchronise)."""
    packets: list[bytes] = []
    skipped: list[Skipped] = []
    start = 0
    while (end := buffer.find(DELIMITER, start)) != -1:
        body = buffer[start:end]
        if body:  # empty frames (back-to-back delimiters) are idle fill, not errors
            result = _check(body)
            if isinstance(result, bytes):
                packets.append(result)
            else:
                skipped.append(Skipped(start, end + 1, result))
        start = end + 1
    if len(buffer) - start > MAX_FRAME_SIZE:
        skipped.append(Skipped(start, len(buffer), "too_long"))
        start = len(buffer)
    return Deframed(packets, start, skipped)


@dataclass
class Deframer:
    """Feeds a byte stream through :func:`deframe`, keeping the tail and the counts."""

    buffer: bytes = b""
    frames: int = 0
    errors: dict[SkipReason, int] = field(
        default_factory=lambda: {"cobs": 0, "crc": 0, "too_long": 0, "too_short": 0}
    )

    def feed(self, data: bytes) -> list[bytes]:
        buffer = self.buffer + data
        result = deframe(buffer)
        self.buffer = buffer[result.consumed:]
        self.frames += len(result.packets)
        for skip in result.skipped:
            self.errors[skip.reason] += 1
        return result.packets

    @property
    def resyncs(self) -> int:
        return sum(self.errors.values())
