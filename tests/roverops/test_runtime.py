"""The one mission-clock follower every part but the ground runs on."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from roverops.runtime import follow_clock
from spacelink import topics
from spacelink.clock import MissionClock
from spacelink.errors import ClockError
from tests.support.memory_bus import MemoryBroker
from tests.support.waiting import wait_for

GROUND_CLOCK = MissionClock(datetime(2021, 6, 1, tzinfo=UTC), 1_700_000_000.0, 60.0)


async def test_waits_for_the_clock_the_ground_published(memory_broker: MemoryBroker) -> None:
    await memory_broker.client().publish(topics.CLOCK, GROUND_CLOCK.to_json(), retain=True)
    async with follow_clock(memory_broker.client(), "test", patience_s=5.0) as clock:
        assert clock() == GROUND_CLOCK


async def test_no_clock_within_patience_names_the_cause(memory_broker: MemoryBroker) -> None:
    with pytest.raises(ClockError, match=r"no mission clock on roverops/clock within 0\.05 s"):
        async with follow_clock(memory_broker.client(), "test", patience_s=0.05):
            pytest.fail("started without a clock")


async def test_without_patience_wall_time_until_a_clock_arrives(
        memory_broker: MemoryBroker) -> None:
    async with follow_clock(memory_broker.client(), "test") as clock:
        before = clock()
        assert before.scale == 1.0
        assert abs(before.mission(time.time()).timestamp() - time.time()) < 1.0
        ground = memory_broker.client()
        await ground.publish(topics.CLOCK, b"not a clock", retain=True)
        await ground.publish(topics.CLOCK, GROUND_CLOCK.to_json(), retain=True)
        await wait_for(lambda: clock() == GROUND_CLOCK, 5.0, "the ground's clock")
        await ground.publish(topics.CLOCK, b"{}", retain=True)  # a bad one changes nothing
        await ground.publish(topics.CLOCK, GROUND_CLOCK.to_json(), retain=True)
        assert clock() == GROUND_CLOCK
