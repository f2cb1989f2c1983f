from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from ground import segment
from ground.app import create_app
from ground.services import GroundServices
from spacelink import topics
from spacelink.clock import MissionClock
from spacelink.control import LinkState
from spacelink.lighttime import FixedLightTime
from spacelink.rovers import ZHURONG
from tests.support.memory_bus import MemoryBroker

TOKEN = "test-token-1234"
OWLT_S = 2.0


@pytest.fixture
def services(tmp_path: Path, memory_broker: MemoryBroker) -> GroundServices:
    return segment.build(memory_broker.client(), tmp_path, {"zhurong": ZHURONG},
                         FixedLightTime(OWLT_S), f"fixed:{OWLT_S}", scale=1.0)


async def open_link(broker: MemoryBroker) -> None:
    """Say, as a DSN would, that the link is open and listening."""
    spec = f"fixed:{OWLT_S:g}"
    state = LinkState.measure(FixedLightTime(OWLT_S), spec, MissionClock.starting_now(time.time()),
                              time.time())
    await broker.client().publish(topics.LINK, state.to_json(), retain=True)


@pytest.fixture
async def client(services: GroundServices) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(services, TOKEN)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://ground",
                                 headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        yield http
