"""The ground segment assembled: store, queue, ingest, presence, link, and their tasks."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from ground.commanding import Commanding
from ground.link import LinkView
from ground.rovers import RoverRegistry
from ground.services import GroundServices
from ground.store import Store
from ground.stream import Hub
from ground.telemetry import TelemetryIngest
from spacelink import topics
from spacelink.bus import Bus
from spacelink.clock import MissionClock
from spacelink.dictionary import DICTIONARY
from spacelink.errors import ClockError
from spacelink.lighttime import LightTimeModel
from spacelink.rovers import Rover

STORE_FILE = "ground.sqlite3"


def resume_clock(store: Store, scale: float | None, wall: float) -> MissionClock:
    """The mission clock, continued from the store so mission time never jumps back.

    A new ``scale`` takes effect from now; without one, the stored scale (or 1) is kept.
    """
    saved = store.setting("clock")
    if saved is None:
        clock = MissionClock.starting_now(wall, scale or 1.0)
    else:
        try:
            previous = MissionClock.from_json(saved.encode())
        except ClockError:
            previous = MissionClock.starting_now(wall)
        clock = MissionClock(previous.mission(wall), wall, scale or previous.scale)
    store.put_setting("clock", clock.to_json().decode())
    return clock


def build(bus: Bus, data_dir: Path, rovers: dict[str, Rover], model: LightTimeModel,
          light_time_spec: str, scale: float | None) -> GroundServices:
    store = Store(data_dir / STORE_FILE)
    hub = Hub()
    link = LinkView(resume_clock(store, scale, time.time()), model, light_time_spec)
    commanding = Commanding(store, bus, DICTIONARY, rovers, hub, link.now, link.owlt,
                            lambda: link.closed_because() is None)
    return GroundServices(
        bus=bus, store=store, dictionary=DICTIONARY, hub=hub, link=link,
        registry=RoverRegistry(rovers, hub), commanding=commanding,
        ingest=TelemetryIngest(store, DICTIONARY, rovers, commanding, hub, link.now),
    )


async def publish_clock(services: GroundServices) -> None:
    """Retained, so every part that connects, now or later, runs on this clock."""
    await services.bus.publish(topics.CLOCK, services.link.clock.to_json(), retain=True)


async def run(services: GroundServices) -> None:
    await publish_clock(services)
    async with asyncio.TaskGroup() as tasks:
        tasks.create_task(services.commanding.run(), name="ground-commanding")
        tasks.create_task(services.ingest.run(services.bus), name="ground-ingest")
        tasks.create_task(services.registry.run(services.bus), name="ground-presence")
        tasks.create_task(services.link.follow(services.bus, services.hub,
                                               services.commanding.link_opened),
                          name="ground-link")
