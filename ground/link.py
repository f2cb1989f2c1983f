"""The ground's view of the link: the mission clock, the light-time model, open or closed.

The deep-space link is the authority on itself: when its relay states a light-time model on
``roverops/link`` (a :class:`~spacelink.control.LinkState`) that differs from ours, we adopt
it, so predictions match what the link does. The link is open while the relay says so and
keeps saying it; nothing is radiated otherwise, so no command is lost to a relay that is not
listening.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Callable
from datetime import datetime

from ground.stream import Hub
from spacelink import topics
from spacelink.bus import Bus
from spacelink.clock import MissionClock
from spacelink.control import LINK_STATE_PERIOD_S, LinkState
from spacelink.errors import ControlMessageError, LightTimeError
from spacelink.lighttime import LightTimeModel, parse_light_time

log = logging.getLogger(__name__)

# The relay restates the link every period; silent for this long, it is taken as closed.
LINK_SILENCE_S = 3 * LINK_STATE_PERIOD_S


class LinkView:
    def __init__(self, clock: MissionClock, model: LightTimeModel, spec: str,
                 wall: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.ever_open = asyncio.Event()
        """Set once the relay first said the link is open: it listens on both sides."""
        self.model = model
        self.spec = spec
        self._wall = wall
        self.dsn: LinkState | None = None  # what the relay said last
        self._heard_at = float("-inf")

    def now(self) -> datetime:
        return self.clock.mission(self._wall())

    def owlt(self, t: datetime) -> float:
        return self.model.owlt(t)

    def closed_because(self) -> str | None:
        """Why nothing may be radiated now, or None while the DSN is listening."""
        if self.dsn is None:
            return "no DSN heard yet"
        if self.dsn.state != "open":
            return "the DSN has stopped"
        silence = self._wall() - self._heard_at
        if silence > LINK_SILENCE_S:
            return f"the DSN has been silent for {silence:.0f} s"
        return None

    def state(self) -> dict[str, object]:
        """The link now, as the API and the stream show it."""
        reason = self.closed_because()
        measured = LinkState.measure(self.model, self.spec, self.clock, self._wall(),
                                     self.dsn.in_flight if self.dsn is not None else None)
        measured = dataclasses.replace(measured, state="open" if reason is None else "closed")
        return {**dataclasses.asdict(measured), "closed_because": reason}

    async def follow(self, bus: Bus, hub: Hub, on_open: Callable[[], None]) -> None:
        """Track the DSN's retained link state; ``on_open`` when it opens (or reopens)."""
        async for message in bus.subscribe(topics.LINK, qos=0):  # restated state
            try:
                dsn = LinkState.from_json(message.payload)
                if dsn.light_time is not None and dsn.light_time != self.spec:
                    self.model, self.spec = parse_light_time(dsn.light_time), dsn.light_time
                    log.info("following the link's light time: %s", dsn.light_time)
            except (ControlMessageError, LightTimeError) as exc:
                log.warning("ignoring %s: %s", message.topic, exc)
                continue
            was_open = self.closed_because() is None
            self.dsn, self._heard_at = dsn, self._wall()
            state = self.state()
            if state["state"] == "open" and not was_open:
                self.ever_open.set()
                on_open()
            if state["state"] != "open" or not was_open:
                log.info("link %s%s", state["state"],
                         f": {state['closed_because']}" if state["closed_because"] else "")
            hub.publish("link", None, state)
