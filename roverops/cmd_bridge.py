"""``roverops bridge``: a board on a serial port plays the rover on the broker.

Wires the real bus (:mod:`roverops.mqtt`) into :class:`hil.bridge.Bridge`, with the last will
``offline`` on the rover's status topic; the bridge itself never imports ``roverops``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from hil.bridge import DEFAULT_BAUD, Bridge, BridgeConfig
from roverops import options
from roverops.running import until_stopped
from roverops.runtime import open_bus
from spacelink import topics
from spacelink.bus import Message
from spacelink.control import Presence


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
        asyncio.run(_main(args, config))
    return 0


async def _main(args: argparse.Namespace, config: BridgeConfig) -> None:
    rover = config.rover
    offline = Presence.offline(rover.id, "bridge", config.device)
    will = Message(topics.mars_status(rover.id), offline.to_json(), retain=True)
    async with open_bus(args.mqtt, f"bridge-{rover.id}", will=will) as bus:
        await until_stopped({f"bridge {rover.id}": Bridge(bus, config).run()})
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(2.0):  # a clean exit leaves no last will: say it
                await bus.publish(will.topic, will.payload, retain=True)
