"""Execute-once memory: the last accepted request ids and, once known, their final report.

64 entries: enough to cover any retransmission window of a ground that numbers its TCs one by
one, and far shorter than the 16,384 sequence-count wrap, so a fresh TC is never mistaken for
an old one.
"""

from __future__ import annotations

from collections import OrderedDict

from spacelink.packets import RequestId, VerificationReport

MEMORY = 64


class RequestMemory:
    def __init__(self, size: int = MEMORY) -> None:
        if size < 1:
            raise ValueError("the request memory needs at least one entry")
        self._size = size
        self._final: OrderedDict[RequestId, VerificationReport | None] = OrderedDict()

    def __contains__(self, request_id: object) -> bool:
        return request_id in self._final

    def __len__(self) -> int:
        return len(self._final)

    def remember(self, request_id: RequestId) -> None:
        self._final[request_id] = None
        self._final.move_to_end(request_id)
        while len(self._final) > self._size:
            self._final.popitem(last=False)

    def finish(self, report: VerificationReport) -> None:
        """Keep the final report (completion or start failure) to replay to a duplicate."""
        if report.request_id in self._final:
            self._final[report.request_id] = report

    def final(self, request_id: RequestId) -> VerificationReport | None:
        return self._final.get(request_id)
