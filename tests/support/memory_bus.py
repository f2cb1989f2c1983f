"""An in-memory :class:`spacelink.bus.Bus` for unit tests.

Several :class:`MemoryBus` clients share one :class:`MemoryBroker`, so two parts of the system
can talk in a unit test. Retained messages are kept (an empty retained payload clears one, as
in MQTT) and replayed to each new subscriber with ``retain=True``. Nothing is ever dropped.
"""

from __future__ import annotations

import asyncio
from types import TracebackType
from typing import Self

from spacelink.bus import Message, topic_matches


class MemoryBroker:
    def __init__(self) -> None:
        self.retained: dict[str, Message] = {}
        self.published: list[Message] = []
        """Every message published through any client, in order (for assertions)."""
        self._subscriptions: list[MemorySubscription] = []

    def client(self) -> MemoryBus:
        return MemoryBus(self)

    def _publish(self, message: Message) -> None:
        self.published.append(message)
        if message.retain:
            if message.payload:
                self.retained[message.topic] = message
            else:
                self.retained.pop(message.topic, None)
        live = Message(message.topic, message.payload, retain=False)
        for subscription in self._subscriptions:
            subscription._offer(live)

    def _subscribe(self, subscription: MemorySubscription) -> None:
        self._subscriptions.append(subscription)
        for message in self.retained.values():
            subscription._offer(message)

    def _unsubscribe(self, subscription: MemorySubscription) -> None:
        if subscription in self._subscriptions:
            self._subscriptions.remove(subscription)


class MemorySubscription:
    """Async iterator of messages; ``aclose()`` (or leaving ``async with``) unsubscribes."""

    def __init__(self, broker: MemoryBroker, filters: tuple[str, ...]) -> None:
        self.filters = filters
        self._broker = broker
        self._queue: asyncio.Queue[Message | None] = asyncio.Queue()
        self._closed = False

    def _offer(self, message: Message) -> None:
        if any(topic_matches(f, message.topic) for f in self.filters):
            self._queue.put_nowait(message)

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> Message:
        if self._closed:
            raise StopAsyncIteration
        item = await self._queue.get()
        if item is None:
            raise StopAsyncIteration
        return item

    async def aclose(self) -> None:
        if not self._closed:
            self._closed = True
            self._broker._unsubscribe(self)
            self._queue.put_nowait(None)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


class MemoryBus:
    """One client of a :class:`MemoryBroker`; always connected."""

    def __init__(self, broker: MemoryBroker | None = None) -> None:
        self.broker = broker if broker is not None else MemoryBroker()

    @property
    def connected(self) -> bool:
        return True

    async def publish(
        self, topic: str, payload: bytes, *, retain: bool = False, qos: int = 1
    ) -> None:
        if not topic or "+" in topic or "#" in topic:
            raise ValueError(f"not a valid MQTT topic to publish to: {topic!r}")
        if qos not in (0, 1, 2):
            raise ValueError(f"MQTT QoS must be 0, 1 or 2, got {qos!r}")
        self.broker._publish(Message(topic, bytes(payload), retain))
        await asyncio.sleep(0)  # a real bus yields here too

    def subscribe(self, *topic_filters: str, qos: int = 1) -> MemorySubscription:
        if not topic_filters:
            raise ValueError("subscribe needs at least one topic filter")
        subscription = MemorySubscription(self.broker, tuple(topic_filters))
        self.broker._subscribe(subscription)
        return subscription
