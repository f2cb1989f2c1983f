"""Execute-once memory: the last accepted request ids, each with its command's name and, once
known, its final report.

Its depth is every rover's, :data:`spacelink.rovers.EXECUTE_ONCE_DEPTH` (the board firmware's
``RO_EXECUTE_ONCE_DEPTH``, generated from it).
"""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from spacelink.packets import RequestId, VerificationReport
from spacelink.rovers import EXECUTE_ONCE_DEPTH

MEMORY = EXECUTE_ONCE_DEPTH  # the name this module's users know


@dataclass(frozen=True, slots=True)
class Remembered:
    command: str  # its name, for the reason of a failure reported after a reset
    final: VerificationReport | None = None  # None: still executing


class RequestMemory:
    def __init__(self, size: int = MEMORY,
                 entries: Iterable[tuple[RequestId, Remembered]] = ()) -> None:
        if size < 1:
            raise ValueError("the request memory needs at least one entry")
        self._size = size
        self._entries: OrderedDict[RequestId, Remembered] = OrderedDict()
        for request_id, entry in entries:
            self._put(request_id, entry)

    def __contains__(self, request_id: object) -> bool:
        return request_id in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def remember(self, request_id: RequestId, command: str) -> None:
        self._put(request_id, Remembered(command))

    def finish(self, report: VerificationReport) -> None:
        """Keep the final report (completion or start failure) to replay to a duplicate."""
        entry = self._entries.get(report.request_id)
        if entry is not None:
            self._entries[report.request_id] = dataclasses.replace(entry, final=report)

    def final(self, request_id: RequestId) -> VerificationReport | None:
        entry = self._entries.get(request_id)
        return entry.final if entry is not None else None

    def entries(self) -> list[tuple[RequestId, Remembered]]:
        """Every entry, oldest accepted first."""
        return list(self._entries.items())

    def unfinished(self) -> list[tuple[RequestId, str]]:
        """Request ids still executing, oldest first, with their command's name."""
        return [(rid, e.command) for rid, e in self._entries.items() if e.final is None]

    def _put(self, request_id: RequestId, entry: Remembered) -> None:
        self._entries[request_id] = entry
        self._entries.move_to_end(request_id)
        while len(self._entries) > self._size:
            self._entries.popitem(last=False)
