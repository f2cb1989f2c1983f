"""Options shared by the subcommands, each parsed into a whole object or a clear error."""

from __future__ import annotations

import argparse
from pathlib import Path

from spacelink.errors import SpacelinkError
from spacelink.lighttime import LightTimeModel, parse_light_time
from spacelink.rovers import ROVERS, Rover


def rover(value: str) -> Rover:
    try:
        return ROVERS[value]
    except KeyError:
        raise argparse.ArgumentTypeError(
            f"unknown rover {value!r} (known: {', '.join(ROVERS)})"
        ) from None


def light_time(value: str) -> LightTimeModel:
    try:
        return parse_light_time(value)
    except SpacelinkError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def time_scale(value: str) -> float:
    try:
        scale = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"time scale {value!r} is not a number") from None
    if not 0 < scale <= 100_000:
        raise argparse.ArgumentTypeError(f"time scale {scale:g} outside (0, 100000]")
    return scale


def add_mqtt(parser: argparse.ArgumentParser, *, embedded_default: bool) -> None:
    help_text = (
        "MQTT broker, mqtt://[user:pass@]host[:port]"
        + (" (default: start an embedded broker on loopback)" if embedded_default else "")
    )
    parser.add_argument("--mqtt", metavar="URL", default=None if embedded_default else
                        "mqtt://127.0.0.1:1883", help=help_text)


def add_rover(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rover", type=rover, default=ROVERS["zhurong"], metavar="ID",
                        help="rover id (default: zhurong)")


def add_data_dir(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", type=Path, default=Path("var"), metavar="DIR",
                        help="where the store, the token and broker state live (default: ./var)")
