"""``roverops rover``: the emulated rover alone, on the broker or on a serial line.

On MQTT it follows the mission clock the ground publishes and announces itself on its status
topic (last will ``offline``). With ``--serial DEVICE`` or ``--pty`` it plays a board instead:
framed packets on the line, no MQTT, mission time from the bridge's SYNC_TIME. Either way it
keeps what must outlive a restart (execute-once memory, counters, TM sequence count) in its
``--data-dir``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from rover_fw_sim.serial_link import Port, SerialDevicePort, SerialRover, open_pty
from roverops import options, parts
from roverops.running import until_stopped


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "rover", help="run the emulated rover alone",
        description="Run the emulated rover on the broker, or on a serial line as a board.")
    options.add_mqtt(p, embedded_default=False)
    options.add_rover(p)
    options.add_data_dir(p, "the rover keeps what it must remember across restarts")
    p.add_argument("--seed", type=int, default=1, help="terrain seed (default: 1)")
    line = p.add_mutually_exclusive_group()
    line.add_argument("--serial", metavar="DEVICE",
                      help="play a board on this serial device instead of MQTT")
    line.add_argument("--pty", action="store_true",
                      help="play a board on a new pseudo-terminal; prints its path")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    with contextlib.suppress(KeyboardInterrupt):  # a second Ctrl-C while stopping
        asyncio.run(_main(args))
    return 0


async def _main(args: argparse.Namespace) -> None:
    if args.pty or args.serial:
        await _run_serial(args)
        return
    async with parts.emulator(args.mqtt, args.rover, args.seed, args.data_dir) as (_, running):
        await until_stopped(running)


async def _run_serial(args: argparse.Namespace) -> None:
    with parts.rover_nvm(args.data_dir, args.rover) as nvm:  # first: a memory in use fails fast
        port: Port
        if args.pty:
            pty = open_pty()
            print(f"pty: {pty.path}", flush=True)
            port = pty
        else:
            port = SerialDevicePort(args.serial)
        try:
            rover = SerialRover(port, args.rover, seed=args.seed, nvm=nvm)
            await until_stopped({"rover": rover.run()})
        finally:
            port.close()
