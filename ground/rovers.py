"""What the ground knows of each rover's presence: who plays it, and the bridge's counters."""

from __future__ import annotations

import json
from dataclasses import dataclass

from ground.stream import Hub
from spacelink import topics
from spacelink.bus import Bus, Message
from spacelink.rovers import Rover


@dataclass
class Presence:
    online: bool = False
    played_by: str | None = None
    since: str | None = None
    bridge: dict[str, object] | None = None


def parse_status(payload: bytes) -> Presence:
    """``offline`` (the last will) or JSON ``{"state": "online", "kind": ...}``."""
    try:
        data = json.loads(payload)
    except ValueError:
        return Presence()
    if not isinstance(data, dict) or data.get("state") != "online":
        return Presence()
    kind = data.get("kind")
    return Presence(True, kind if isinstance(kind, str) else None,
                    str(data["since"]) if "since" in data else None)


class RoverRegistry:
    def __init__(self, rovers: dict[str, Rover], hub: Hub) -> None:
        self.rovers = rovers
        self._hub = hub
        self.presence: dict[str, Presence] = {r: Presence() for r in rovers}

    async def run(self, bus: Bus) -> None:
        async for message in bus.subscribe("rovers/+/mars/status", "rovers/+/mars/bridge"):
            self.on_message(message)

    def on_message(self, message: Message) -> None:
        rover = topics.rover_of(message.topic)
        if rover not in self.presence:
            return
        current = self.presence[rover]
        if message.topic == topics.mars_status(rover):
            update = parse_status(message.payload)
            update.bridge = current.bridge
            self.presence[rover] = update
        else:
            try:
                counters = json.loads(message.payload)
            except ValueError:
                return
            current.bridge = counters if isinstance(counters, dict) else None
        self._hub.publish("rover", rover, {"id": rover, **self.presence_json(rover)})

    def presence_json(self, rover: str) -> dict[str, object]:
        p = self.presence[rover]
        return {"online": p.online, "played_by": p.played_by, "since": p.since,
                "bridge": p.bridge}
