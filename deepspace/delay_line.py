"""A FIFO that holds each packet until its release time: the light-time part of the DSN.

The Earth-Mars light time changes by far less than a second per second, so release times
``t + OWLT(t)`` of packets taken in order are already in order; the line clamps any tiny
inversion so order is preserved. Every operation is O(1): the cost per packet does not grow
with the number in flight (a 22-minute light time at telemetry rates holds many thousands).

Packets wait as plain tuples of a float, a string, bytes and an int: the garbage collector
stops tracking such a tuple at its first pass, so a long light time full of packets costs a
collection nothing (an object per packet would make every full collection walk them all).
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
        self._items: deque[tuple[float, str, bytes, int]] = deque()
        self._last_release = float("-inf")

    def __len__(self) -> int:
        return len(self._items)

    def put(self, release: float, topic: str, payload: bytes, key: int = 0) -> float:
        """Hold a packet; its release time, clamped never to overtake an earlier packet."""
        release = max(release, self._last_release)
        self._last_release = release
        self._items.append((release, topic, payload, key))
        return release

    def next_release(self) -> float | None:
        return self._items[0][0] if self._items else None

    def pop_due(self, now: float) -> Held | None:
        items = self._items
        if items and items[0][0] <= now:
            return Held(*items.popleft())
        return None
