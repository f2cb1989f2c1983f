"""``roverops bridge``: a board on a serial port plays the rover on the broker.

Wired by :func:`roverops.parts.bridge`: the real bus (:mod:`roverops.mqtt`) with the last will
``offline`` on the rover's status topic, and the mission clock the ground publishes; the
bridge itself never imports ``roverops``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from hil.bridge import BridgeConfig
from hil.serialport import DEFAULT_BAUD
from roverops import options, parts
from roverops.mqtt import MqttUrl
from roverops.running import until_stopped


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "bridge", help="bridge a board on a serial port to the broker",
        description="Carry rovers/{id}/mars/tc to a board on a serial port and its frames "
                    "back to rovers/{id}/mars/tm; publish presence and link counters.")
    p.add_argument("--port", required=True, metavar="DEVICE",
                   help="serial device of the board, e.g. /dev/ttyACM0 or a pty")
    p.add_argument("--baud", type=int, default=DEFAULT_BAUD, metavar="N",
                   help=f"baud rate (default: {DEFAULT_BAUD}, as the reference firmware)")
    options.add_mqtt(p, embedded_default=False)
    options.add_rover(p)
    p.add_argument("--queue-bound", type=float, default=30.0, metavar="SECONDS",
                   help="how long a TC may wait for an absent board before it is answered "
                        "BOARD_UNREACHABLE (default: 30)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    config = BridgeConfig(args.port, args.rover, baud=args.baud, queue_bound_s=args.queue_bound)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_main(args.mqtt, config))
    return 0


async def _main(url: MqttUrl, config: BridgeConfig) -> None:
    async with parts.bridge(url, config) as (_, running):
        await until_stopped(running)
