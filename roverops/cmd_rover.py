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

from hil import serialport
from rover_fw_sim.serial_link import SerialRover
from roverops import options, parts
from roverops.running import until_stopped
from spacelink.serial_line import OpenLine


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
        rover = SerialRover(_line(args), args.rover, seed=args.seed, nvm=nvm)
        await until_stopped({"rover": rover.run()})


def _line(args: argparse.Namespace) -> OpenLine:
    """The serial line the rover plays a board on: a new pty (its path printed for the
    bridge), or ``--serial DEVICE``, opened again whenever it is lost."""
    if not args.pty:
        device: str = args.serial
        return lambda: serialport.open_line(serialport.open_port(device))
    pty = serialport.open_pty()
    print(f"pty: {pty.path}", flush=True)
    return lambda: serialport.open_line(pty)
