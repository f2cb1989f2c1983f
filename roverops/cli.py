"""``roverops``: the command line. The only package that imports all the others.

Each subcommand lives in its own ``cmd_*`` module exposing ``register(subparsers)``; the
registered handler returns an exit status. Expected failures (a broker that cannot be reached,
a data dir that cannot be written, a port that cannot be opened) end in one clear line on
stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

from roverops import cmd_bridge, cmd_dsn, cmd_ground, cmd_hil_check, cmd_rover, cmd_up
from spacelink.errors import SpacelinkError

Handler = Callable[[argparse.Namespace], int]
SUBCOMMANDS = (cmd_up, cmd_ground, cmd_dsn, cmd_rover, cmd_bridge, cmd_hil_check)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="roverops",
        description="Operate a Mars rover across the real Earth-Mars light time.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at debug level")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in SUBCOMMANDS:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    handler: Handler = args.handler
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except (SpacelinkError, OSError) as exc:
        print(f"roverops {args.command}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
