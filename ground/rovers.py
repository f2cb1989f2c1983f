"""What the ground knows of each rover's presence: who plays it, and the bridge's counters."""

from __future__ import annotations

import logging

from ground.stream import Hub
from spacelink import topics
from spacelink.bus import Bus, Message
from spacelink.control import BridgeCounters, Presence
from spacelink.errors import ControlMessageError
from spacelink.rovers import Rover

log = logging.getLogger(__name__)


class RoverRegistry:
    def __init__(self, rovers: dict[str, Rover], hub: Hub) -> None:
        self.rovers = rovers
        self._hub = hub
        self.presence: dict[str, Presence] = {r: Presence("offline") for r in rovers}
        self.bridge: dict[str, BridgeCounters | None] = dict.fromkeys(rovers)

    async def run(self, bus: Bus) -> None:
        # Restated state: QoS 0 (see spacelink.bus.Bus)
        async for message in bus.subscribe(topics.MARS_STATUS_ALL, topics.MARS_BRIDGE_ALL,
                                           qos=0):
            self.on_message(message)

    def on_message(self, message: Message) -> None:
        rover = topics.rover_of(message.topic)
        if rover not in self.presence:
            return
        try:
            if message.topic == topics.mars_status(rover):
                self.presence[rover] = Presence.from_json(message.payload)
            else:
                self.bridge[rover] = BridgeCounters.from_json(message.payload)
        except ControlMessageError as exc:
            log.warning("ignoring %s: %s", message.topic, exc)
            return
        self._hub.publish("rover", rover, {"id": rover, **self.presence_json(rover)})

    def presence_json(self, rover: str) -> dict[str, object]:
        p, bridge = self.presence[rover], self.bridge[rover]
        return {"online": p.online, "played_by": p.kind if p.online else None,
                "since": p.since if p.online else None,
                "supports": list(p.supports) if p.supports is not None else None,
                "bridge": bridge.snapshot() if bridge is not None else None}
