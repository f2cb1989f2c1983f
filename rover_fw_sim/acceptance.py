"""TC acceptance (docs/protocol.md, "Every TC", step 1): bytes in, a verdict out.

Bytes that are not a TC are screened by :func:`spacelink.packets.screen_tc`, the same function
the serial bridge screens with, so a board behind the bridge and the emulator answer them
alike. What is left is the content: APID, service, function and arguments against the
dictionary. Either the TC, its dictionary command and its checked arguments, or a
:class:`~spacelink.packets.TcRejection` (request id, failure code, a short ASCII reason that
names the culprit).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from spacelink.dictionary import Command, Dictionary, Value
from spacelink.errors import ArgumentError
from spacelink.packets import FailureCode, TcRejection, Telecommand, screen_tc

FUNCTION_MANAGEMENT = (8, 1)


@dataclass(frozen=True, slots=True)
class Accepted:
    tc: Telecommand
    command: Command
    args: dict[str, Value]


def accept(raw: bytes, apid: int, dictionary: Dictionary) -> Accepted | TcRejection:
    tc = screen_tc(raw)
    if isinstance(tc, TcRejection):
        return tc
    rid = tc.request_id
    if tc.apid != apid:
        return TcRejection(rid, FailureCode.WRONG_APID,
                           f"apid {tc.apid:#05x}, rover is {apid:#05x}")
    data = tc.app_data
    if (tc.service, tc.subtype) == FUNCTION_MANAGEMENT:
        if len(data) < 2:
            return TcRejection(rid, FailureCode.BAD_ARGUMENTS,
                               f"function_id: needs 2 bytes, got {len(data)}")
        (function_id,) = struct.unpack(">H", data[:2])
        command = dictionary.by_function(function_id)
        if command is None:
            return TcRejection(rid, FailureCode.UNKNOWN_FUNCTION, f"function_id {function_id}")
        data = data[2:]
    else:
        found = dictionary.by_service(tc.service, tc.subtype)
        if found is None:
            return TcRejection(rid, FailureCode.UNKNOWN_SERVICE,
                               f"no TC[{tc.service},{tc.subtype}]")
        command = found
    if len(data) != command.args_size:
        return TcRejection(rid, FailureCode.BAD_ARGUMENTS,
                           f"{command.name} args: {command.args_size} bytes, got {len(data)}")
    try:
        args = command.unpack_args(data)
    except ArgumentError as exc:
        return TcRejection(rid, FailureCode.OUT_OF_RANGE, f"{exc.field}: {exc.reason}")
    return Accepted(tc, command, args)
