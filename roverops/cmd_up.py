"""``roverops up``: the whole system in one process.

An embedded broker (unless ``--mqtt`` names one), the DSN, the rover emulator and the ground
console, each with its own MQTT client and persistent session, as they would be apart.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
from pathlib import Path

from roverops import options, parts
from roverops.apart import DsnSettings, run_apart
from roverops.broker import HOST, EmbeddedBroker, port_in_use
from roverops.mqtt import MqttUrl
from roverops.running import prepare_data_dir, until_stopped
from spacelink.clock import MissionClock

log = logging.getLogger(__name__)
STANDARD_MQTT_PORT = 1883
BROKER_URL_FILE = "broker.url"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("up", help="run everything in one process")
    options.add_mqtt(p, embedded_default=True)
    options.add_http(p)
    options.add_light_time(p)
    options.add_time_scale(p)
    options.add_data_dir(p)
    options.add_rover(p)
    p.add_argument("--no-rover", action="store_true",
                   help="start no emulator: a board behind `roverops bridge` plays the rover")
    p.add_argument("--seed", type=int, default=1, help="terrain seed of the emulator")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    asyncio.run(_main(args))
    return 0


def _embedded_port() -> int:
    """1883 when it is free; otherwise a free port, never fighting the broker that has 1883."""
    return 0 if port_in_use(STANDARD_MQTT_PORT, HOST) else STANDARD_MQTT_PORT


def _share_url(data_dir: Path, url: MqttUrl) -> None:
    """Other parts on this machine (a bridge, say) join with ``--mqtt $(cat DIR/broker.url)``:
    the full URL, password included, readable by its owner only."""
    path = data_dir / BROKER_URL_FILE
    path.touch(mode=0o600)
    path.chmod(0o600)
    path.write_text(url.with_secret() + "\n")
    print(f"embedded broker: {url.redacted()} (full URL in {path})", flush=True)


async def _main(args: argparse.Namespace) -> None:
    data_dir = prepare_data_dir(args.data_dir)
    api_token = parts.api_token(data_dir)
    model = options.light_time_model(args)
    async with contextlib.AsyncExitStack() as stack:
        if args.mqtt is None:
            broker = await stack.enter_async_context(EmbeddedBroker(_embedded_port()))
            url = broker.url
            _share_url(data_dir, url)
        else:
            url = args.mqtt
        services, running = await stack.enter_async_context(parts.ground(
            url, data_dir, api_token, [args.rover], model, args.light_time_spec,
            args.time_scale, args.http_host, args.http_port))

        def clock() -> MissionClock:  # the ground's, in this process
            return services.link.clock

        # The DSN in a process of its own: the ground's work never holds up a release.
        running["dsn"] = run_apart(DsnSettings(url, args.light_time_spec, data_dir,
                                               logging.getLogger().getEffectiveLevel()))
        if not args.no_rover:
            _, rover = await stack.enter_async_context(
                parts.emulator(url, args.rover, args.seed, data_dir, clock))
            # The rover boots once the DSN listens (it says the link is open only then): on a
            # new broker nobody holds a session for mars/tm yet, and what the rover said first
            # (BOOT) would reach no one.
            opened = services.link.ever_open
            running |= {name: _after(opened, part) for name, part in rover.items()}
        await until_stopped(running)


async def _after(event: asyncio.Event, part: parts.Part) -> None:
    await event.wait()
    await part
