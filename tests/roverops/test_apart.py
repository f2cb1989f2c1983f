"""The DSN in its own process, as ``roverops up`` runs it: relays, stops cleanly, fails clearly."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from roverops.apart import DsnSettings, PartStoppedError, run_apart
from roverops.broker import free_port
from roverops.mqtt import MqttBus, MqttUrl
from spacelink import topics
from spacelink.clock import MissionClock
from spacelink.control import LinkState
from tests.support.mosquitto import Mosquitto
from tests.support.waiting import wait_for

pytestmark = pytest.mark.integration

TIMEOUT_S = 30.0


async def test_relays_in_its_own_process_and_closes_its_link_on_stop(
    mosquitto: Mosquitto, tmp_path: Path
) -> None:
    async with MqttBus(mosquitto.url, "apart-ground") as ground:
        await ground.publish(topics.CLOCK, MissionClock.starting_now(time.time()).to_json(),
                             retain=True)
        states: list[LinkState] = []

        async def watch() -> None:
            async for message in ground.subscribe(topics.LINK, qos=0):
                states.append(LinkState.from_json(message.payload))

        watching = asyncio.create_task(watch())
        mars = ground.subscribe(topics.mars_tc("zhurong"))
        relay = asyncio.create_task(run_apart(DsnSettings(mosquitto.url, "fixed:0.2",
                                                          tmp_path)))
        try:
            await wait_for(lambda: any(s.state == "open" for s in states), TIMEOUT_S,
                           "the link open")
            sent = time.monotonic()
            await ground.publish(topics.earth_tc("zhurong"), b"TC-1")
            message = await asyncio.wait_for(anext(mars), TIMEOUT_S)
            assert message.payload == b"TC-1"
            assert time.monotonic() - sent >= 0.2
            relay.cancel()
            await asyncio.gather(relay, return_exceptions=True)
            await wait_for(lambda: states[-1].state == "closed", TIMEOUT_S, "the link closed")
        finally:
            relay.cancel()
            watching.cancel()


async def test_a_relay_that_cannot_start_ends_with_its_reason(tmp_path: Path) -> None:
    nobody = MqttUrl("127.0.0.1", free_port())
    with pytest.raises(PartStoppedError, match=r"the DSN stopped: .*127\.0\.0\.1"):
        await asyncio.wait_for(run_apart(DsnSettings(nobody, "fixed:1", tmp_path)), TIMEOUT_S)
