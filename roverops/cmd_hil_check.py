"""``roverops hil-check``: the board conformance suite on a serial port (no MQTT).

Prints a table of checks and exits 0 only if every one passed.
"""

from __future__ import annotations

import argparse

from hil.conformance.runner import run_suite
from hil.serialport import DEFAULT_BAUD
from roverops import options


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser(
        "hil-check", help="check a board on a serial port against the rover protocol",
        description="Run the conformance suite of docs/protocol.md against a board on a "
                    "serial port; exit 0 only if every check passes.")
    p.add_argument("--port", required=True, metavar="DEVICE", help="serial device of the board")
    p.add_argument("--baud", type=int, default=DEFAULT_BAUD, metavar="N",
                   help=f"baud rate (default: {DEFAULT_BAUD})")
    options.add_rover(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    results = run_suite(args.port, args.baud, args.rover, show=lambda line: print(line, flush=True))
    return 0 if results and all(r.passed for r in results) else 1
