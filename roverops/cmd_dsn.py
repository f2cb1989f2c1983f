"""``roverops dsn``: the deep-space link relay alone, on the mission clock the ground publishes."""

from __future__ import annotations

import argparse
import asyncio

from deepspace.journal import JOURNAL_FILE, Journal
from deepspace.relay import Dsn
from roverops import options, parts
from roverops.running import prepare_data_dir, until_stopped
from roverops.runtime import ClockFollower, open_bus

CLOCK_WAIT_S = 30.0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("dsn", help="run the deep-space link relay alone")
    options.add_mqtt(p, embedded_default=False)
    options.add_light_time(p)
    options.add_data_dir(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    asyncio.run(_main(args))
    return 0


async def _main(args: argparse.Namespace) -> None:
    journal = Journal(prepare_data_dir(args.data_dir) / JOURNAL_FILE)
    follower = ClockFollower()
    try:
        async with open_bus(args.mqtt, "roverops-dsn", will=parts.dsn_will()) as bus:
            following = asyncio.create_task(follower.run(bus), name="dsn-clock")
            try:
                await follower.wait(CLOCK_WAIT_S)
                relay = Dsn(bus, options.light_time_model(args), args.light_time_spec,
                            lambda: follower.clock, journal=journal)
                await until_stopped({"dsn": relay.run()})
                await relay.close_link()
            finally:
                following.cancel()
    finally:
        journal.close()  # after the bus: late acknowledgements land in it
