"""Each part of the system, for ``up`` and the lone commands."""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any

from ground import segment, token
from ground.app import create_app
from ground.server import bind, serve
from ground.services import GroundServices
from rover_fw_sim.nvm_sqlite import SqliteNvm, file_name
from rover_fw_sim.service import RoverEmulator
from roverops.mqtt import MqttBus, MqttUrl
from roverops.running import prepare_data_dir
from roverops.runtime import open_bus
from spacelink import topics
from spacelink.bus import Message
from spacelink.clock import MissionClock
from spacelink.control import LinkState
from spacelink.lighttime import LightTimeModel
from spacelink.rovers import Rover

Part = Coroutine[Any, Any, None]
CONSOLE_URL_FILE = "console.url"


@contextlib.asynccontextmanager
async def ground(url: MqttUrl, data_dir: Path, api_token: str, rovers: list[Rover],
                 model: LightTimeModel, light_time_spec: str, scale: float | None,
                 http_host: str, http_port: int
                 ) -> AsyncIterator[tuple[GroundServices, dict[str, Part]]]:
    """The ground segment and its console on a bus of its own; prints where to reach them.

    The mission clock goes out again at every (re)connection: a restarted broker may have
    lost the retained copy that every other part runs on.
    """
    services: GroundServices | None = None

    async def republish_clock() -> None:
        if services is not None:
            await segment.publish_clock(services)

    sock = bind(http_host, http_port)  # first: a port in use fails before anything connects
    try:
        async with open_bus(url, "roverops-ground", on_connect=republish_clock) as bus:
            services, running = _console(bus, sock, data_dir, api_token, rovers, model,
                                         light_time_spec, scale)
            yield services, running
    finally:
        sock.close()  # serving closes it too; this is for a broker that never answered


def api_token(data_dir: Path) -> str:
    """The API token, checked before anything starts (a weak one is one clear error)."""
    return token.load_or_create(data_dir)


def _console(bus: MqttBus, sock: socket.socket, data_dir: Path, api_token: str,
             rovers: list[Rover], model: LightTimeModel, light_time_spec: str,
             scale: float | None) -> tuple[GroundServices, dict[str, Part]]:
    services = segment.build(bus, data_dir, {r.id: r for r in rovers}, model, light_time_spec,
                             scale)
    app = create_app(services, api_token)
    http_host, http_port = sock.getsockname()[:2]
    host = f"[{http_host}]" if ":" in http_host else http_host
    shown = "127.0.0.1" if http_host in ("0.0.0.0", "") else host
    console_url = f"http://{shown}:{http_port}/"
    (data_dir / CONSOLE_URL_FILE).write_text(console_url + "\n")  # --http-port 0 chose it
    print(f"roverops console: {console_url}", flush=True)
    if token.ENV in os.environ:  # the operator has it; a secret is never echoed
        print(f"API token: from {token.ENV}", flush=True)
    else:
        print(f"API token: {api_token}  (kept in {data_dir / token.TOKEN_FILE})", flush=True)
    return services, {"ground": segment.run(services), "http": serve(app, sock)}


def emulator_will(rover: Rover) -> Message:
    """What the broker says for an emulator that vanished: the rover is offline."""
    return Message(topics.mars_status(rover.id), RoverEmulator.offline(rover).to_json(),
                   retain=True)


def dsn_will() -> Message:
    """What the broker says for a DSN that vanished: the link is closed."""
    return Message(topics.LINK, LinkState.closed().to_json(), retain=True)


def rover_nvm(data_dir: Path, rover: Rover) -> SqliteNvm:
    """The emulated rover's non-volatile memory, ``rover-<id>.sqlite3`` in ``data_dir``."""
    return SqliteNvm(prepare_data_dir(data_dir) / file_name(rover))


@contextlib.contextmanager
def emulator(rover: Rover, seed: int, clock: Callable[[], MissionClock],
             data_dir: Path) -> Iterator[RoverEmulator]:
    """The emulator on its memory in ``data_dir``, which closes once the emulator is done."""
    with rover_nvm(data_dir, rover) as nvm:
        yield RoverEmulator(None, rover, clock, seed=seed, nvm=nvm)
