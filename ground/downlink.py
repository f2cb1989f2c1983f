"""The ground's accounting of one rover's downlink, as pure rules.

Each packet the ground applies moves the account once (a duplicate only counts as one; the
store's memory of received packets decides that, see :mod:`ground.telemetry`). Where a new
packet stands in the rover's TM sequence:

- ahead of the last one (by less than half the 14-bit count): in order, or after a gap of the
  counts it skipped;
- not ahead and older in rover time than the last one: **late**, a packet overtaken on the way
  (a redelivery after newer ones). It fills one counted gap and leaves the last count alone;
- not ahead and not older: the rover started its count over (a restart), no gap.

The order decides "ahead", and the time only "late", because a board behind the bridge keeps
one continuous count while its clock may jump back at a reset: the count is the truth there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from spacelink.packets import SEQ_COUNT_MODULO


@dataclass(frozen=True, slots=True)
class DownlinkAccount:
    packets: int = 0  # applied, late ones included; duplicates not
    duplicates: int = 0  # redelivered by at-least-once MQTT: archived once
    gaps: int = 0  # counts skipped in the rover's TM sequence and not since filled: lost
    late: int = 0  # arrived after newer packets, never seen before: archived
    rejected: dict[str, int] = field(default_factory=dict)
    last_seq: int | None = None  # the newest packet's sequence count
    last_time_us: int | None = None  # and its rover time, microseconds since the Unix epoch

    def duplicate(self) -> DownlinkAccount:
        return replace(self, duplicates=self.duplicates + 1)

    def reject(self, reason: str) -> DownlinkAccount:
        return replace(self, rejected={**self.rejected,
                                       reason: self.rejected.get(reason, 0) + 1})

    def arrived(self, seq_count: int, time_us: int) -> DownlinkAccount:
        """The account after a packet never seen before."""
        packets = self.packets + 1
        if self.last_seq is None or self.last_time_us is None:
            return replace(self, packets=packets, last_seq=seq_count, last_time_us=time_us)
        step = (seq_count - self.last_seq) % SEQ_COUNT_MODULO
        if 0 < step < SEQ_COUNT_MODULO // 2:
            return replace(self, packets=packets, gaps=self.gaps + step - 1,
                           last_seq=seq_count, last_time_us=time_us)
        if time_us < self.last_time_us:
            return replace(self, packets=packets, late=self.late + 1,
                           gaps=max(0, self.gaps - 1))
        return replace(self, packets=packets, last_seq=seq_count, last_time_us=time_us)

    def to_json(self) -> dict[str, object]:
        return {"packets": self.packets, "duplicates": self.duplicates, "gaps": self.gaps,
                "late": self.late, "rejected": dict(self.rejected), "last_seq": self.last_seq}

    def dumps(self) -> str:
        return json.dumps({**self.to_json(), "last_time_us": self.last_time_us})

    @classmethod
    def loads(cls, text: str) -> DownlinkAccount:
        data = json.loads(text)
        return cls(int(data["packets"]), int(data["duplicates"]), int(data["gaps"]),
                   int(data.get("late", 0)),
                   {str(k): int(v) for k, v in data["rejected"].items()},
                   data.get("last_seq"), data.get("last_time_us"))
