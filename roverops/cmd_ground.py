"""``roverops ground``: the ground segment and console alone, against a shared broker."""

from __future__ import annotations

import argparse
import asyncio

from roverops import options, parts
from roverops.running import prepare_data_dir, until_stopped


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("ground", help="run the ground segment and console alone")
    options.add_mqtt(p, embedded_default=False)
    options.add_http(p)
    options.add_light_time(p)
    options.add_time_scale(p)
    options.add_data_dir(p)
    options.add_rover(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    asyncio.run(_main(args))
    return 0


async def _main(args: argparse.Namespace) -> None:
    data_dir = prepare_data_dir(args.data_dir)
    api_token = parts.api_token(data_dir)
    async with parts.ground(args.mqtt, data_dir, api_token, [args.rover],
                            options.light_time_model(args), args.light_time_spec,
                            args.time_scale, args.http_host, args.http_port) as (_, running):
        await until_stopped(running)
