"""What every running part needs: a connected bus and the one mission clock."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable

from roverops.mqtt import MqttBus, MqttUrl
from spacelink import topics
from spacelink.bus import Bus, Message
from spacelink.clock import ClockSource, MissionClock
from spacelink.errors import ClockError

log = logging.getLogger(__name__)



@contextlib.asynccontextmanager
async def open_bus(
    url: MqttUrl,
    client_id: str,
    *,
    will: Message | None = None,
    on_connect: Callable[[], Awaitable[None]] | None = None,
    connect_timeout: float = 10.0,
) -> AsyncIterator[MqttBus]:
    """A bus connected to the broker, or BrokerUnavailableError after ``connect_timeout``.

    After the first connection, losing the broker only delays traffic: the bus reconnects.
    """
    async with MqttBus(url, client_id, will=will, on_connect=on_connect) as bus:
        await bus.wait_connected(connect_timeout)
        yield bus


@contextlib.asynccontextmanager
async def follow_clock(bus: Bus, part: str, patience_s: float | None = None
                       ) -> AsyncIterator[ClockSource]:
    """The mission clock the ground publishes retained on ``roverops/clock``, followed on
    ``bus`` until the block ends.

    With ``patience_s``, the block starts once a clock arrived (ClockError naming the likely
    cause after ``patience_s``); without, at once, on wall time at scale 1 until one arrives.
    """
    follower = _ClockFollower(None if patience_s is not None
                              else MissionClock.starting_now(time.time()))
    following = asyncio.create_task(follower.run(bus), name=f"{part}: clock")
    try:
        if patience_s is not None:
            await follower.wait(patience_s)
        yield follower
    finally:
        following.cancel()
        await asyncio.gather(following, return_exceptions=True)


class _ClockFollower:
    """Called, the latest clock received (or ``until_first`` before any)."""

    def __init__(self, until_first: MissionClock | None) -> None:
        self._clock = until_first
        self._received = asyncio.Event()

    def __call__(self) -> MissionClock:
        if self._clock is None:
            raise ClockError("no mission clock received yet")
        return self._clock

    async def wait(self, patience_s: float) -> None:
        try:
            async with asyncio.timeout(patience_s):
                await self._received.wait()
        except TimeoutError:
            raise ClockError(
                f"no mission clock on {topics.CLOCK} within {patience_s:g} s: "
                "is `roverops ground` (or `roverops up`) running on this broker?"
            ) from None

    async def run(self, bus: Bus) -> None:
        async for message in bus.subscribe(topics.CLOCK, qos=0):  # restated state
            try:
                self._clock = MissionClock.from_json(message.payload)
            except ClockError as exc:
                log.warning("ignoring a bad mission clock: %s", exc)
                continue
            self._received.set()
