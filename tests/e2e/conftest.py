"""The whole system as separate processes on a real Mosquitto, driven over HTTP."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from roverops.broker import free_port
from roverops.mqtt import MqttBus, MqttUrl
from spacelink import topics
from spacelink.dictionary import DICTIONARY
from spacelink.errors import PacketError
from spacelink.packets import Report, decode_report, parse_tm
from tests.support.mosquitto import Mosquitto
from tests.support.processes import Part
from tests.support.waiting import wait_for_sync

TOKEN = "e2e-token-0123456789"
OWLT_S = 10.0  # mission seconds
SCALE = 10.0  # so the light time lasts one wall second
ROVER = "/api/v1/rovers/zhurong"

pytestmark = pytest.mark.integration


def mission(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class System:
    """Ground, DSN and rover, each its own ``roverops`` process, like a deployment."""

    def __init__(self, directory: Path, broker: Mosquitto) -> None:
        self.directory = directory
        self.broker = broker
        self.http_port = free_port()
        mqtt = ["--mqtt", str(broker.url)]
        self.ground = Part(directory, "ground", [
            "ground", *mqtt, "--http-port", str(self.http_port), "--light-time",
            f"fixed:{OWLT_S:g}", "--time-scale", f"{SCALE:g}", "--data-dir",
            str(directory / "data")], env={"ROVEROPS_TOKEN": TOKEN})
        self.dsn = Part(directory, "dsn", ["dsn", *mqtt, "--light-time", f"fixed:{OWLT_S:g}",
                                           "--data-dir", str(directory / "dsn-data")])
        self.rover = Part(directory, "rover", ["rover", *mqtt, "--data-dir",
                                               str(directory / "rover-data")])
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{self.http_port}", timeout=10,
                                 headers={"Authorization": f"Bearer {TOKEN}"})

    def start(self) -> None:
        self.ground.start().wait_for_output(r"roverops console: (http://\S+)")
        self.dsn.start()
        self.rover.start()
        wait_for_sync(lambda: self.rovers()[0]["online"], 30, "the rover to come online")

    def stop(self) -> None:
        for part in (self.rover, self.dsn, self.ground):
            part.stop(signal.SIGTERM)
        self.http.close()

    def restart_ground(self) -> None:
        assert self.ground.stop(signal.SIGTERM) == 0
        self.ground.start().wait_for_output(r"roverops console: (http://\S+)")

    def rovers(self) -> list[dict[str, Any]]:
        response = self.http.get("/api/v1/rovers")
        response.raise_for_status()
        return response.json()  # type: ignore[no-any-return]

    def send(self, name: str, **args: object) -> dict[str, Any]:
        response = self.http.post(f"{ROVER}/commands", json={"name": name, "args": args})
        assert response.status_code == 201, response.text
        return response.json()  # type: ignore[no-any-return]

    def command(self, command_id: int) -> dict[str, Any]:
        return self.http.get(f"{ROVER}/commands/{command_id}").json()  # type: ignore[no-any-return]

    def wait_state(self, command_id: int, state: str, timeout: float = 60) -> dict[str, Any]:
        seen: list[dict[str, Any]] = []

        def reached() -> bool:
            seen.append(self.command(command_id))
            return bool(seen[-1]["state"] == state)

        try:
            wait_for_sync(reached, timeout, f"command {command_id} to be {state}")
        except AssertionError as exc:
            raise AssertionError(f"{exc}; last seen {seen[-1] if seen else None}") from None
        return seen[-1]

    def channel(self, name: str) -> Any:
        return self.http.get(f"{ROVER}/telemetry").json()["channels"].get(name, {}).get("value")


@contextlib.asynccontextmanager
async def mars_probe(url: MqttUrl, name: str) -> AsyncIterator[tuple[MqttBus, list[Report]]]:
    """A client at Mars, beside the rover: what it hears on ``mars/tm``, decoded.

    Subscribed before anything is published through it, so nothing it provokes is missed.
    """
    heard: list[Report] = []
    async with MqttBus(url, name) as bus:
        await bus.wait_connected(10)
        downlink = bus.subscribe(topics.mars_tm("zhurong"))

        async def collect() -> None:
            async for message in downlink:
                with contextlib.suppress(PacketError):
                    heard.append(decode_report(DICTIONARY, parse_tm(message.payload)))

        collector = asyncio.create_task(collect())
        try:
            yield bus, heard
        finally:
            collector.cancel()


@pytest.fixture
def system(tmp_path: Path, mosquitto: Mosquitto) -> Iterator[System]:
    running = System(tmp_path, mosquitto)
    try:
        running.start()
        yield running
    finally:
        running.stop()
