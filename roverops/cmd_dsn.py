"""``roverops dsn``: the deep-space link relay alone, on the mission clock the ground publishes."""

from __future__ import annotations

import argparse
import asyncio

from roverops import options, parts
from roverops.running import until_stopped


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
    async with parts.dsn(args.mqtt, args.data_dir, options.light_time_model(args),
                         args.light_time_spec) as (_, running):
        await until_stopped(running)
