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
import logging

from rover_fw_sim.nvm import NonVolatile
from rover_fw_sim.serial_link import Port, SerialDevicePort, SerialRover, open_pty
from rover_fw_sim.service import RoverEmulator
from roverops import options, parts
from roverops.mqtt import MqttUrl
from roverops.running import until_stopped
from roverops.runtime import ClockFollower, open_bus
from spacelink import topics
from spacelink.rovers import Rover

log = logging.getLogger(__name__)

CLOCK_WAIT_S = 60.0
RETIRE_TIMEOUT_S = 2.0


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
    with parts.rover_nvm(args.data_dir, args.rover) as nvm:  # first: a memory in use fails fast
        if args.pty or args.serial:
            await _run_serial(args, nvm)
        else:
            await _run_mqtt(args.mqtt, args.rover, args.seed, nvm)


async def _run_serial(args: argparse.Namespace, nvm: NonVolatile) -> None:
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


async def _run_mqtt(url: MqttUrl, rover: Rover, seed: int, nvm: NonVolatile) -> None:
    status = topics.mars_status(rover.id)
    follower = ClockFollower()
    emulator: RoverEmulator | None = None

    async def on_connect(*_: object) -> None:  # called with or without the bus
        if emulator is not None and emulator.host is not None:  # re-announce once running
            await emulator.announce()

    async with open_bus(url, f"rover-{rover.id}", will=parts.emulator_will(rover),
                        on_connect=on_connect) as bus:
        following = asyncio.create_task(follower.run(bus), name="rover: clock")
        try:
            await follower.wait(CLOCK_WAIT_S)
            emulator = RoverEmulator(bus, rover, lambda: follower.clock, seed=seed, nvm=nvm)
            await until_stopped({f"rover {rover.id}": emulator.run()})
            # A clean exit leaves no last will behind: say it ourselves.
            try:
                async with asyncio.timeout(RETIRE_TIMEOUT_S):
                    await emulator.retire()
            except TimeoutError:
                log.warning("could not publish %s offline before exiting", status)
        finally:
            following.cancel()
