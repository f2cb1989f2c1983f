"""What every running part needs: a connected bus and the one mission clock."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

from roverops.mqtt import MqttBus, MqttUrl
from spacelink import topics
from spacelink.bus import Bus, Message
from spacelink.clock import MissionClock
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


class ClockFollower:
    """Follows the retained mission clock on ``roverops/clock``."""

    def __init__(self) -> None:
        self._clock: MissionClock | None = None
        self._ready = asyncio.Event()

    @property
    def clock(self) -> MissionClock:
        if self._clock is None:
            raise ClockError("no mission clock received yet")
        return self._clock

    async def wait(self, patience_s: float) -> MissionClock:
        """The clock, once one arrives; ClockError naming the likely cause after patience_s."""
        try:
            async with asyncio.timeout(patience_s):
                await self._ready.wait()
        except TimeoutError:
            raise ClockError(
                f"no mission clock on {topics.CLOCK} within {patience_s:g} s: "
                "is `roverops ground` (or `roverops up`) running on this broker?"
            ) from None
        return self.clock

    async def run(self, bus: Bus) -> None:
        async for message in bus.subscribe(topics.CLOCK, qos=0):  # restated state
            try:
                self._clock = MissionClock.from_json(message.payload)
            except ClockError as exc:
                log.warning("ignoring a bad mission clock: %s", exc)
                continue
            self._ready.set()
