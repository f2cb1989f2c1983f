"""A FIFO that holds each packet until its release time: the light-time part of the DSN.

The Earth-Mars light time changes by far less than a second per second, so release times
``t + OWLT(t)`` of packets taken in order are already in order; the line clamps any tiny
inversion so order is preserved. Every operation is O(1): the cost per packet does not grow
with the number in flight (a 22-minute light time at telemetry rates holds many thousands).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Held:
    release: float  # wall seconds
    topic: str
    payload: bytes
    key: int = 0  # its place in the DSN's journal, when there is one


class DelayLine:
    def __init__(self) -> None:
        self._items: deque[Held] = deque()
        self._last_release = float("-inf")

    def __len__(self) -> int:
        return len(self._items)

    def put(self, release: float, topic: str, payload: bytes, key: int = 0) -> Held:
        release = max(release, self._last_release)  # never overtake an earlier packet
        self._last_release = release
        held = Held(release, topic, payload, key)
        self._items.append(held)
        return held

    def next_release(self) -> float | None:
        return self._items[0].release if self._items else None

    def pop_due(self, now: float) -> Held | None:
        if self._items and self._items[0].release <= now:
            return self._items.popleft()
        return None
