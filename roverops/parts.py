"""Each part of the system as a coroutine over an open bus, for ``up`` and the lone commands."""

from __future__ import annotations

import os
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from ground import segment, token
from ground.app import create_app
from ground.dsn import LINK_CLOSED
from ground.server import bind, serve
from ground.services import GroundServices
from rover_fw_sim.service import RoverEmulator
from roverops.mqtt import MqttBus
from spacelink import topics
from spacelink.bus import Message
from spacelink.clock import MissionClock
from spacelink.lighttime import LightTimeModel
from spacelink.rovers import Rover

Part = Coroutine[Any, Any, None]


def ground(bus: MqttBus, data_dir: Path, rovers: list[Rover], model: LightTimeModel,
           light_time_spec: str, scale: float | None, http_host: str, http_port: int
           ) -> tuple[GroundServices, dict[str, Part]]:
    """The ground segment and its console; prints where to reach it."""
    sock = bind(http_host, http_port)
    services = segment.build(bus, data_dir, {r.id: r for r in rovers}, model, light_time_spec,
                             scale)
    api_token = token.load_or_create(data_dir)
    app = create_app(services, api_token)
    host = f"[{http_host}]" if ":" in http_host else http_host
    shown = "127.0.0.1" if http_host in ("0.0.0.0", "") else host
    print(f"roverops console: http://{shown}:{sock.getsockname()[1]}/", flush=True)
    where = ("from ROVEROPS_TOKEN" if token.ENV in os.environ
             else f"kept in {data_dir / token.TOKEN_FILE}")
    print(f"API token: {api_token}  ({where})", flush=True)
    return services, {"ground": segment.run(services), "http": serve(app, sock)}


def dsn_will() -> Message:
    """What the broker says for a DSN that vanished: the link is closed."""
    return Message(topics.LINK, LINK_CLOSED, retain=True)


def emulator(rover: Rover, seed: int, clock: Callable[[], MissionClock]) -> RoverEmulator:
    return RoverEmulator(None, rover, clock, seed=seed)
