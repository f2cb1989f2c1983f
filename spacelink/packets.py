"""CCSDS space packets carrying PUS-C telecommands and telemetry, through ``spacepackets``.

Layout (big-endian), with CRC-16/CCITT-FALSE over the whole packet:

- TC: primary header (6) | PUS-C TC secondary header (5: version/ack, service, subtype,
  source id) | application data | CRC (2).
- TM: primary header (6) | PUS-C TM secondary header (7: version/time ref, service, subtype,
  message counter, destination id) | CUC time (6) | source data | CRC (2).

The time field is CCSDS CUC with 4 coarse and 2 fine octets and an implicit P-field: seconds
since 2000-01-01T00:00:00Z in mission time, and 1/65536 s.

Request ID (ST[01]): the TC's packet id and sequence control, 4 octets; the rover remembers
recent ones to execute a TC delivered twice only once.

:func:`screen_tc` is the one byte-level screening of a TC (docs/protocol.md, "Every TC", step
1, its first half): the emulator runs it on every TC it gets, and the serial bridge runs it on
every TC before it goes down the wire, so both answer bytes that are not a TC with the same
:class:`TcRejection` (request id from the header bytes, code, reason).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from typing import Final

from fastcrc import crc16
from spacepackets.ecss import PusTc, PusTm
from spacepackets.exceptions import BytesTooShortError

from spacelink.dictionary import Dictionary, Event, HousekeepingStructure, Value
from spacelink.errors import CrcError, DictionaryError, MalformedPacketError

SEQ_COUNT_MODULO: Final = 1 << 14
CUC_EPOCH: Final = datetime(2000, 1, 1, tzinfo=UTC)
CUC_SIZE: Final = 6
MAX_PACKET_SIZE: Final = 1024
MAX_TC_SIZE: Final = 64  # no dictionary TC comes near; a board's frame buffer holds this much
TC_HEADER_SIZE: Final = 6 + 5
TM_HEADER_SIZE: Final = 6 + 7 + CUC_SIZE
REASON_MAX: Final = 48  # ASCII bytes of reason a failure notice carries


class Verification(IntEnum):
    """ST[01] report subtypes."""

    ACCEPTANCE_SUCCESS = 1
    ACCEPTANCE_FAILURE = 2
    START_SUCCESS = 3
    START_FAILURE = 4
    PROGRESS_SUCCESS = 5
    PROGRESS_FAILURE = 6
    COMPLETION_SUCCESS = 7
    COMPLETION_FAILURE = 8

    @property
    def is_failure(self) -> bool:
        return self.value % 2 == 0


class FailureCode(IntEnum):
    """Why a TC failed; carried in the ST[01] failure notice with a short ASCII reason."""

    MALFORMED = 1
    BAD_CRC = 2
    WRONG_APID = 3
    UNKNOWN_SERVICE = 4
    UNKNOWN_FUNCTION = 5
    BAD_ARGUMENTS = 6
    OUT_OF_RANGE = 7
    FORBIDDEN_IN_MODE = 8
    HAZARD = 9
    INTERRUPTED = 10
    LOW_POWER = 11
    BOARD_UNREACHABLE = 12
    RESET = 13  # the rover reset while executing it: reported at the next boot


def crc16_ccitt_false(data: bytes) -> int:
    return int(crc16.ibm_3740(data))


def cuc_pack(t: datetime) -> bytes:
    """CUC 4+2 of ``t``. Its 32-bit count of seconds rolls over (every 136 years from the
    epoch, as a CUC counter does), so any time packs: a clock set far ahead never stops a
    rover from reporting."""
    seconds = (t - CUC_EPOCH) / timedelta(seconds=1)
    coarse = int(seconds // 1)
    fine = round((seconds - coarse) * 65536)
    if fine == 65536:
        coarse, fine = coarse + 1, 0
    return struct.pack(">IH", coarse % 2**32, fine)


def cuc_unpack(data: bytes) -> datetime:
    coarse, fine = struct.unpack(">IH", data[:CUC_SIZE])
    return CUC_EPOCH + timedelta(seconds=coarse + fine / 65536)


@dataclass(frozen=True, slots=True, order=True)
class RequestId:
    apid: int
    seq_count: int

    def pack(self) -> bytes:
        packet_id = 0x1800 | self.apid  # version 0, type TC, secondary header present
        return struct.pack(">HH", packet_id, 0xC000 | self.seq_count)

    @classmethod
    def unpack(cls, data: bytes) -> RequestId:
        if len(data) < 4:
            raise MalformedPacketError("request id needs 4 bytes")
        packet_id, psc = struct.unpack(">HH", data[:4])
        return cls(packet_id & 0x7FF, psc & 0x3FFF)


def _check_crc(data: bytes) -> None:
    if len(data) < 2:
        raise MalformedPacketError("packet shorter than its CRC")
    computed = crc16_ccitt_false(data[:-2])
    (found,) = struct.unpack(">H", data[-2:])
    if computed != found:
        raise CrcError(computed, found)


def _check_length(data: bytes, minimum: int, packet_type: int) -> None:
    if len(data) < minimum:
        raise MalformedPacketError(f"{len(data)} bytes is shorter than a header ({minimum})")
    if len(data) > MAX_PACKET_SIZE:
        raise MalformedPacketError(f"{len(data)} bytes is longer than {MAX_PACKET_SIZE}")
    if data[0] >> 5 != 0:
        raise MalformedPacketError("CCSDS version is not 0")
    if (data[0] >> 4) & 1 != packet_type:
        raise MalformedPacketError("TM where a TC was expected" if packet_type else
                                   "TC where a TM was expected")
    if packet_type == 1 and not data[0] & 0x08:
        raise MalformedPacketError("no secondary header")
    (data_length,) = struct.unpack(">H", data[4:6])
    if data_length + 7 != len(data):
        raise MalformedPacketError(
            f"length field says {data_length + 7} bytes, packet has {len(data)}"
        )


# ----------------------------------------------------------------------------- telecommands


@dataclass(frozen=True, slots=True)
class Telecommand:
    apid: int
    seq_count: int
    service: int
    subtype: int
    app_data: bytes

    @property
    def request_id(self) -> RequestId:
        return RequestId(self.apid, self.seq_count)

    def pack(self) -> bytes:
        return bytes(PusTc(service=self.service, message_subtype=self.subtype, apid=self.apid,
                           seq_count=self.seq_count, app_data=self.app_data).pack())


def build_tc(dictionary: Dictionary, apid: int, seq_count: int, name: str,
             args: dict[str, Value]) -> Telecommand:
    """The TC for a command whose arguments were validated by the dictionary."""
    command = dictionary.command(name)
    return Telecommand(apid, seq_count % SEQ_COUNT_MODULO, command.service, command.subtype,
                       command.pack_args(args))


def parse_tc(data: bytes) -> Telecommand:
    """A TC from bytes, or :class:`PacketError` saying what is wrong with them."""
    _check_length(data, TC_HEADER_SIZE + 2, packet_type=1)
    if len(data) > MAX_TC_SIZE:
        raise MalformedPacketError(f"{len(data)} bytes is longer than a TC ({MAX_TC_SIZE})")
    _check_crc(data)
    try:
        tc = PusTc.unpack(data)
    except (BytesTooShortError, ValueError) as exc:
        raise MalformedPacketError(f"not a PUS-C TC: {exc}") from exc
    return Telecommand(tc.apid, tc.seq_count, tc.service, tc.message_subtype, bytes(tc.app_data))


def ascii_reason(reason: str) -> str:
    """A failure reason as a report carries it: ASCII, at most :data:`REASON_MAX` bytes."""
    return reason.encode("ascii", "replace").decode("ascii")[:REASON_MAX]


@dataclass(frozen=True, slots=True)
class TcRejection:
    """Why a TC is refused at acceptance: the ST[01] acceptance failure to answer it with."""

    request_id: RequestId
    code: FailureCode
    reason: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "reason", ascii_reason(self.reason))

    def report(self) -> VerificationReport:
        return VerificationReport(Verification.ACCEPTANCE_FAILURE, self.request_id,
                                  failure=self.code, reason=self.reason)


def header_request_id(raw: bytes) -> RequestId:
    """The request id from whatever header bytes arrived; zeros if fewer than four."""
    if len(raw) < 4:
        return RequestId(0, 0)
    return RequestId.unpack(raw[:4])


def screen_tc(raw: bytes) -> Telecommand | TcRejection:
    """The TC in ``raw``, or the rejection for bytes that are not one (bad CRC: ``BAD_CRC``;
    too short or long, wrong version or type, lying length field, not PUS-C: ``MALFORMED``).

    Pure and dictionary-free: what is wrong with the TC's *content* (APID, service, function,
    arguments) is the rover's to say, after this.
    """
    try:
        return parse_tc(raw)
    except CrcError as exc:
        return TcRejection(header_request_id(raw), FailureCode.BAD_CRC,
                           f"crc {exc.found:04x}, computed {exc.expected:04x}")
    except MalformedPacketError as exc:
        return TcRejection(header_request_id(raw), FailureCode.MALFORMED, exc.reason)


def resequence(packet: bytes, seq_count: int) -> bytes:
    """The same packet under another 14-bit sequence count, its CRC recomputed.

    For a relay that owns a stream's numbering (the serial bridge): only call it on a packet
    whose CRC was checked, or it would bless corruption.
    """
    if len(packet) < 8:
        raise MalformedPacketError("too short to carry a sequence count and a CRC")
    (psc,) = struct.unpack(">H", packet[2:4])
    head = packet[:2] + struct.pack(">H", (psc & 0xC000) | (seq_count % SEQ_COUNT_MODULO))
    body = head + packet[4:-2]
    return body + struct.pack(">H", crc16_ccitt_false(body))


# ----------------------------------------------------------------------------- telemetry


@dataclass(frozen=True, slots=True)
class Telemetry:
    apid: int
    seq_count: int
    service: int
    subtype: int
    time: datetime
    source_data: bytes
    message_counter: int = 0

    def pack(self) -> bytes:
        return bytes(PusTm(service=self.service, message_subtype=self.subtype, apid=self.apid,
                           seq_count=self.seq_count % SEQ_COUNT_MODULO,
                           message_counter=self.message_counter & 0xFFFF,
                           timestamp=cuc_pack(self.time), source_data=self.source_data).pack())


def parse_tm(data: bytes) -> Telemetry:
    _check_length(data, TM_HEADER_SIZE + 2, packet_type=0)
    _check_crc(data)
    try:
        tm = PusTm.unpack(data, timestamp_len=CUC_SIZE)
    except (BytesTooShortError, ValueError) as exc:
        raise MalformedPacketError(f"not a PUS-C TM: {exc}") from exc
    return Telemetry(tm.apid, tm.seq_count, tm.service, tm.message_subtype,
                     cuc_unpack(bytes(tm.timestamp)), bytes(tm.source_data),
                     tm.pus_tm_sec_header.message_counter)


# ----------------------------------------------------------------------------- reports


@dataclass(frozen=True, slots=True)
class VerificationReport:
    kind: Verification
    request_id: RequestId
    step: int | None = None
    failure: FailureCode | None = None
    reason: str = ""

    def source_data(self) -> bytes:
        data = self.request_id.pack()
        if self.kind in (Verification.PROGRESS_SUCCESS, Verification.PROGRESS_FAILURE):
            data += struct.pack(">B", self.step or 0)
        if self.kind.is_failure:
            code = self.failure or FailureCode.MALFORMED
            data += struct.pack(">H", code) + self.reason.encode("ascii", "replace")[:REASON_MAX]
        return data


@dataclass(frozen=True, slots=True)
class HousekeepingReport:
    structure: HousekeepingStructure
    values: dict[str, Value]


@dataclass(frozen=True, slots=True)
class EventReport:
    event: Event
    values: dict[str, Value]


@dataclass(frozen=True, slots=True)
class PongReport:
    pass


Report = VerificationReport | HousekeepingReport | EventReport | PongReport


def report_tm(apid: int, seq_count: int, time: datetime, report: Report) -> Telemetry:
    """The TM packet that carries a report."""
    match report:
        case VerificationReport():
            return Telemetry(apid, seq_count, 1, report.kind, time, report.source_data())
        case HousekeepingReport(structure, values):
            return Telemetry(apid, seq_count, 3, 25, time, structure.pack(values))
        case EventReport(event, values):
            return Telemetry(apid, seq_count, 5, event.subtype, time, event.pack(values))
        case PongReport():
            return Telemetry(apid, seq_count, 17, 2, time, b"")


def decode_report(dictionary: Dictionary, tm: Telemetry) -> Report:
    """The report in a TM, or :class:`MalformedPacketError` when it makes no sense."""
    data = tm.source_data
    try:
        if tm.service == 1 and 1 <= tm.subtype <= 8:
            kind = Verification(tm.subtype)
            request_id = RequestId.unpack(data)
            rest = data[4:]
            step = None
            if kind in (Verification.PROGRESS_SUCCESS, Verification.PROGRESS_FAILURE):
                step, rest = rest[0], rest[1:]
            if not kind.is_failure:
                return VerificationReport(kind, request_id, step)
            (code,) = struct.unpack(">H", rest[:2])
            return VerificationReport(kind, request_id, step, FailureCode(code),
                                      rest[2:].decode("ascii", "replace"))
        if tm.service == 3 and tm.subtype == 25:
            (sid,) = struct.unpack(">H", data[:2])
            structure = dictionary.structure(sid)
            if structure is None:
                raise MalformedPacketError(f"unknown housekeeping structure {sid}")
            return HousekeepingReport(structure, structure.unpack(data[2:]))
        if tm.service == 5 and 1 <= tm.subtype <= 4:
            (event_id,) = struct.unpack(">H", data[:2])
            event = dictionary.event(event_id)
            if event is None:
                raise MalformedPacketError(f"unknown event {event_id}")
            return EventReport(event, event.unpack(data[2:]))
        if tm.service == 17 and tm.subtype == 2:
            return PongReport()
    except (struct.error, IndexError, ValueError, DictionaryError) as exc:
        raise MalformedPacketError(f"TM[{tm.service},{tm.subtype}] undecodable: {exc}") from exc
    raise MalformedPacketError(f"unknown TM[{tm.service},{tm.subtype}]")
