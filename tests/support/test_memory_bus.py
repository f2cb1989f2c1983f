"""MemoryBus: the in-memory Bus that unit tests of the other parts rely on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from spacelink.bus import Bus, Message
from tests.support.memory_bus import MemoryBroker, MemoryBus


async def take(sub: AsyncIterator[Message], count: int = 1) -> list[Message]:
    async with asyncio.timeout(1):
        return [await anext(sub) for _ in range(count)]


async def test_two_clients_talk_through_one_broker(memory_broker: MemoryBroker) -> None:
    ground: Bus = memory_broker.client()
    rover = memory_broker.client()
    async with rover.subscribe("rovers/+/mars/tc") as sub:
        await ground.publish("rovers/zhurong/mars/tc", b"tc")
        await ground.publish("rovers/zhurong/earth/tc", b"not for the rover")
        await ground.publish("rovers/other/mars/tc", b"tc2")
        assert [m.payload for m in await take(sub, 2)] == [b"tc", b"tc2"]
    assert len(memory_broker.published) == 3


async def test_retained_messages_reach_new_subscribers(memory_broker: MemoryBroker) -> None:
    bus = memory_broker.client()
    await bus.publish("roverops/clock", b"v1", retain=True)
    await bus.publish("roverops/clock", b"v2", retain=True)
    await bus.publish("roverops/link", b"up", retain=True)
    await bus.publish("roverops/link", b"", retain=True)  # clears it, as in MQTT
    sub = memory_broker.client().subscribe("roverops/#")
    assert await take(sub) == [Message("roverops/clock", b"v2", retain=True)]
    await bus.publish("roverops/clock", b"v3", retain=True)
    assert await take(sub) == [Message("roverops/clock", b"v3", retain=False)]


async def test_one_copy_per_subscription_and_close_ends_iteration() -> None:
    bus = MemoryBus()
    assert bus.connected
    sub = bus.subscribe("a/#", "a/+")
    await bus.publish("a/b", b"x")
    assert await take(sub) == [Message("a/b", b"x")]
    await sub.aclose()
    await bus.publish("a/b", b"y")
    assert [m async for m in sub] == []
