"""Each part of the system, wired once, for ``up`` and for its lone command alike.

Each is an async context manager that opens what the part needs (its data, its own bus with
its last will, its mission clock), yields the part and the coroutines that run it (for
:func:`roverops.running.until_stopped`), and on the way out has the part say its last word
(offline, link closed) before its bus closes.

``clock``: the mission clock when the ground runs in the same process (``up``); without it, a
part follows the one the ground publishes on the broker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import AsyncIterator, Awaitable, Coroutine
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

from deepspace.journal import JOURNAL_FILE, Journal
from deepspace.relay import Dsn
from ground import segment, token
from ground.app import create_app
from ground.server import bind, serve
from ground.services import GroundServices
from hil.bridge import Bridge, BridgeConfig
from rover_fw_sim.nvm_sqlite import SqliteNvm, file_name
from rover_fw_sim.service import RoverEmulator
from roverops.mqtt import MqttBus, MqttUrl
from roverops.running import prepare_data_dir
from roverops.runtime import follow_clock, open_bus
from spacelink import topics
from spacelink.bus import Bus, Message
from spacelink.clock import ClockSource
from spacelink.control import LinkState, Presence
from spacelink.lighttime import LightTimeModel
from spacelink.rovers import Rover

log = logging.getLogger(__name__)

Part = Coroutine[Any, Any, None]
DSN_CLOCK_WAIT_S = 30.0
ROVER_CLOCK_WAIT_S = 60.0
LAST_WORD_S = 2.0
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


@contextlib.asynccontextmanager
async def dsn(url: MqttUrl, data_dir: Path, model: LightTimeModel, light_time_spec: str,
              clock: ClockSource | None = None) -> AsyncIterator[tuple[Dsn, dict[str, Part]]]:
    """The DSN relay, its journal of packets in flight in ``data_dir``; the link closed on
    the way out (the last will says it otherwise)."""
    journal = Journal(prepare_data_dir(data_dir) / JOURNAL_FILE)
    will = Message(topics.LINK, LinkState.closed().to_json(), retain=True)
    try:
        async with (open_bus(url, "roverops-dsn", will=will) as bus,
                    _mission_clock(bus, "dsn", clock, DSN_CLOCK_WAIT_S) as mission_clock):
            relay = Dsn(bus, model, light_time_spec, mission_clock, journal=journal)
            try:
                yield relay, {"dsn": relay.run()}
            finally:
                await _last_word(relay.close_link(), "the link closed")
    finally:
        journal.close()  # after the bus: late acknowledgements land in it


@contextlib.asynccontextmanager
async def emulator(url: MqttUrl, rover: Rover, seed: int, data_dir: Path,
                   clock: ClockSource | None = None
                   ) -> AsyncIterator[tuple[RoverEmulator, dict[str, Part]]]:
    """The emulated rover on the bus, on its memory in ``data_dir`` (opened first: a memory
    in use fails before anything connects); it announces itself at every reconnection (the
    broker may have lost its presence) and says offline on the way out."""
    with rover_nvm(data_dir, rover) as nvm:
        rover_emulator: RoverEmulator | None = None

        async def announce() -> None:
            if rover_emulator is not None and rover_emulator.host is not None:
                await rover_emulator.announce()

        will = Message(topics.mars_status(rover.id), RoverEmulator.offline(rover).to_json(),
                       retain=True)
        async with (open_bus(url, f"rover-{rover.id}", will=will, on_connect=announce) as bus,
                    _mission_clock(bus, "rover", clock, ROVER_CLOCK_WAIT_S) as mission_clock):
            rover_emulator = RoverEmulator(bus, rover, mission_clock, seed=seed, nvm=nvm)
            try:
                yield rover_emulator, {f"rover {rover.id}": rover_emulator.run()}
            finally:
                await _last_word(rover_emulator.retire(), f"{will.topic} offline")


def rover_nvm(data_dir: Path, rover: Rover) -> SqliteNvm:
    """The emulated rover's non-volatile memory, ``rover-<id>.sqlite3`` in ``data_dir``."""
    return SqliteNvm(prepare_data_dir(data_dir) / file_name(rover))


@contextlib.asynccontextmanager
async def bridge(url: MqttUrl, config: BridgeConfig
                 ) -> AsyncIterator[tuple[Bridge, dict[str, Part]]]:
    """The serial bridge on the bus, on the mission clock the ground publishes (wall time
    until it arrives); offline on the way out."""
    rover = config.rover
    offline = Presence.offline(rover.id, "bridge", config.device)
    will = Message(topics.mars_status(rover.id), offline.to_json(), retain=True)
    async with (open_bus(url, f"bridge-{rover.id}", will=will) as bus,
                follow_clock(bus, "bridge") as mission_clock):
        serial_bridge = Bridge(bus, config, mission_clock)
        try:
            yield serial_bridge, {f"bridge {rover.id}": serial_bridge.run()}
        finally:
            await _last_word(bus.publish(will.topic, will.payload, retain=True),
                             f"{will.topic} offline")


def _mission_clock(bus: Bus, part: str, clock: ClockSource | None, patience_s: float
                   ) -> AbstractAsyncContextManager[ClockSource]:
    if clock is not None:
        return contextlib.nullcontext(clock)
    return follow_clock(bus, part, patience_s)


async def _last_word(saying: Awaitable[None], what: str) -> None:
    """A clean exit leaves no last will behind: the part says it, if the broker listens."""
    try:
        async with asyncio.timeout(LAST_WORD_S):
            await saying
    except TimeoutError:
        log.warning("could not say %s before exiting", what)
