"""TC acceptance (docs/protocol.md, "Every TC", step 1): bytes in, a verdict out.

Either the TC, its dictionary command and its checked arguments, or the request id to fail
and a failure code with a short ASCII reason that names the culprit.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from spacelink.dictionary import Command, Dictionary, Value
from spacelink.errors import ArgumentError, CrcError, MalformedPacketError
from spacelink.packets import FailureCode, RequestId, Telecommand, parse_tc

FUNCTION_MANAGEMENT = (8, 1)
REASON_MAX = 48  # what a verification report carries


@dataclass(frozen=True, slots=True)
class Accepted:
    tc: Telecommand
    command: Command
    args: dict[str, Value]


@dataclass(frozen=True, slots=True)
class Rejected:
    request_id: RequestId
    code: FailureCode
    reason: str

    def __post_init__(self) -> None:
        ascii_reason = self.reason.encode("ascii", "replace").decode("ascii")[:REASON_MAX]
        object.__setattr__(self, "reason", ascii_reason)


def accept(raw: bytes, apid: int, dictionary: Dictionary) -> Accepted | Rejected:
    try:
        tc = parse_tc(raw)
    except CrcError as exc:
        return Rejected(_header_request_id(raw), FailureCode.BAD_CRC,
                        f"crc {exc.found:04x}, computed {exc.expected:04x}")
    except MalformedPacketError as exc:
        return Rejected(_header_request_id(raw), FailureCode.MALFORMED, exc.reason)
    rid = tc.request_id
    if tc.apid != apid:
        return Rejected(rid, FailureCode.WRONG_APID, f"apid {tc.apid:#05x}, rover is {apid:#05x}")
    data = tc.app_data
    if (tc.service, tc.subtype) == FUNCTION_MANAGEMENT:
        if len(data) < 2:
            return Rejected(rid, FailureCode.BAD_ARGUMENTS,
                            f"function_id: needs 2 bytes, got {len(data)}")
        (function_id,) = struct.unpack(">H", data[:2])
        command = dictionary.by_function(function_id)
        if command is None:
            return Rejected(rid, FailureCode.UNKNOWN_FUNCTION, f"function_id {function_id}")
        data = data[2:]
    else:
        found = dictionary.by_service(tc.service, tc.subtype)
        if found is None:
            return Rejected(rid, FailureCode.UNKNOWN_SERVICE,
                            f"no TC[{tc.service},{tc.subtype}]")
        command = found
    if len(data) != command.args_size:
        return Rejected(rid, FailureCode.BAD_ARGUMENTS,
                        f"{command.name} args: {command.args_size} bytes, got {len(data)}")
    try:
        args = command.unpack_args(data)
    except ArgumentError as exc:
        return Rejected(rid, FailureCode.OUT_OF_RANGE, f"{exc.field}: {exc.reason}")
    return Accepted(tc, command, args)


def _header_request_id(raw: bytes) -> RequestId:
    """The request id from whatever header bytes arrived; zeros if fewer than four."""
    if len(raw) < 4:
        return RequestId(0, 0)
    return RequestId.unpack(raw[:4])
