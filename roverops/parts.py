"""Each part of the system as a coroutine over an open bus, for ``up`` and the lone commands."""

from __future__ import annotations

import sys
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from spacelink.clock import MissionClock
from spacelink.lighttime import LightTimeModel
from spacelink.rovers import Rover

from ground import segment, token
from ground.app import create_app
from ground.dsn import Dsn
from ground.server import bind, serve
from ground.services import GroundServices
from roverops.mqtt import MqttBus

Part = Coroutine[Any, Any, None]


def ground(bus: MqttBus, data_dir: Path, rovers: list[Rover], model: LightTimeModel,
           light_time_spec: str, scale: float | None, http_host: str, http_port: int
           ) -> tuple[GroundServices, dict[str, Part]]:
    """The ground segment and its console; prints where to reach it."""
    sock = bind(http_host, http_port)
    services = segment.build(bus, data_dir, {r.id: r for r in rovers}, model, light_time_spec,
                             scale)
    app = create_app(services, token.load_or_create(data_dir))
    host = f"[{http_host}]" if ":" in http_host else http_host
    shown = "127.0.0.1" if http_host in ("0.0.0.0", "") else host  # noqa: S104
    print(f"roverops console: http://{shown}:{sock.getsockname()[1]}/", flush=True)
    print(f"API token: {token.load_or_create(data_dir)}  (also in {data_dir / token.TOKEN_FILE},"
          f" unless ROVEROPS_TOKEN is set)", flush=True)
    sys.stdout.flush()
    return services, {"ground": segment.run(services), "http": serve(app, sock)}


def dsn(bus: MqttBus, model: LightTimeModel, light_time_spec: str,
        clock: Callable[[], MissionClock]) -> dict[str, Part]:
    return {"dsn": Dsn(bus, model, light_time_spec, clock).run()}
