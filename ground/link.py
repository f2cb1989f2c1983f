"""The ground's view of the link: the mission clock and the light-time model.

The DSN is the authority on the link: when it publishes a light-time model on
``roverops/link`` that differs from ours, we adopt it, so predictions match what the DSN does.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import datetime

from ground.dsn import link_state
from ground.stream import Hub
from spacelink import topics
from spacelink.bus import Bus
from spacelink.clock import MissionClock
from spacelink.errors import LightTimeError
from spacelink.lighttime import LightTimeModel, parse_light_time

log = logging.getLogger(__name__)


class LinkView:
    def __init__(self, clock: MissionClock, model: LightTimeModel, spec: str,
                 wall: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.model = model
        self.spec = spec
        self._wall = wall
        self.dsn: dict[str, object] | None = None

    def now(self) -> datetime:
        return self.clock.mission(self._wall())

    def owlt(self, t: datetime) -> float:
        return self.model.owlt(t)

    def state(self) -> dict[str, object]:
        state = link_state(self.model, self.spec, self.clock, self._wall())
        if self.dsn is None:
            state["state"] = "no DSN"
        else:
            state["in_flight"] = self.dsn.get("in_flight")
        return state

    async def follow(self, bus: Bus, hub: Hub) -> None:
        async for message in bus.subscribe(topics.LINK):
            try:
                dsn = json.loads(message.payload)
                spec = str(dsn["light_time"])
                if spec != self.spec:
                    self.model, self.spec = parse_light_time(spec), spec
                    log.info("following the DSN's light time: %s", spec)
            except (ValueError, KeyError, TypeError, LightTimeError) as exc:
                log.warning("ignoring a bad link state: %s", exc)
                continue
            self.dsn = dsn
            hub.publish("link", None, self.state())
