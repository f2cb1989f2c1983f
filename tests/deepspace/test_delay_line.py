from __future__ import annotations

import gc

from deepspace.delay_line import DelayLine


def test_releases_in_order_when_due() -> None:
    line = DelayLine()
    line.put(10.0, "a", b"1")
    line.put(10.5, "a", b"2")
    assert line.pop_due(9.99) is None
    held = line.pop_due(10.0)
    assert held is not None and held.payload == b"1"
    assert line.next_release() == 10.5 and len(line) == 1


def test_a_shrinking_light_time_never_reorders() -> None:
    line = DelayLine()
    line.put(20.0, "a", b"first")
    second = line.put(19.9, "a", b"second")  # the light time shrank between the two
    assert second == 20.0
    assert [line.pop_due(30.0).payload for _ in range(2)] == [b"first", b"second"]  # type: ignore[union-attr]


def test_packets_in_flight_are_not_tracked_by_the_garbage_collector() -> None:
    """A long light time holds many thousands: a full collection must not walk them all."""
    line = DelayLine()
    for n in range(100):
        line.put(float(n), "rovers/zhurong/earth/tm", bytes([n]), n)
    gc.collect()
    assert not any(gc.is_tracked(item) for item in line._items)
