"""The message bus every part talks through, as an interface.

The real implementation (MQTT over aiomqtt, with reconnection and persistent sessions) and the
in-memory one live outside this pure package; parts are handed a :class:`Bus` and never know
which one they got.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Message:
    topic: str
    payload: bytes
    retain: bool = False


class Bus(Protocol):
    """Publish/subscribe with at-least-once delivery (MQTT QoS 1 semantics).

    ``publish`` returns once the broker acknowledged the message; while the broker is away the
    message waits, in order, and goes after the reconnection. ``subscribe`` yields every message
    matching any of the filters (MQTT wildcards ``+`` and ``#``), including retained ones, until
    the iterator is closed; subscriptions survive reconnections. A message published after a
    ``subscribe`` call leaves only once that subscription is live on the broker, so a part
    that announces itself is already listening.

    A message counts as handled when its subscriber asks for the next one: only then is it
    acknowledged to the broker. So a subscriber makes the message's effect durable (journal,
    commit, act) inside the body of ``async for message in subscription``, and a crash at any
    instant means the message comes again, never that it is lost; every handler is idempotent.
    Messages that arrive before any subscription matches them (what a persistent session held
    while the part was away comes at once on connecting) wait for the first one that does.

    ``qos=0`` is for retained state that its publisher restates (the clock, the link,
    presence): only the latest matters, it comes again at every reconnection, and it never
    queues behind unacknowledged data in the broker's in-flight window. A part that needs such
    state before it can handle its data (the clock, say) would otherwise wait forever behind
    the data its own session held for it.
    """

    async def publish(
        self, topic: str, payload: bytes, *, retain: bool = False, qos: int = 1
    ) -> None: ...

    def subscribe(self, *topic_filters: str, qos: int = 1) -> AsyncIterator[Message]: ...

    @property
    def connected(self) -> bool: ...


def topic_matches(topic_filter: str, topic: str) -> bool:
    """MQTT topic-filter matching (``+`` one level, ``#`` the rest)."""
    f_parts = topic_filter.split("/")
    t_parts = topic.split("/")
    for i, part in enumerate(f_parts):
        if part == "#":
            return True
        if i >= len(t_parts):
            return False
        if part not in ("+", t_parts[i]):
            return False
    return len(f_parts) == len(t_parts)
