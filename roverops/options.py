"""Options shared by the subcommands, each parsed into a whole object or a clear error."""

from __future__ import annotations

import argparse
from pathlib import Path

from roverops.mqtt_url import MqttUrl
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


def time_scale(value: str) -> float:
    try:
        scale = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"time scale {value!r} is not a number") from None
    if not 0 < scale <= 100_000:
        raise argparse.ArgumentTypeError(f"time scale {scale:g} outside (0, 100000]")
    return scale


def mqtt_url(value: str) -> MqttUrl:
    try:
        return MqttUrl.parse(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_mqtt(parser: argparse.ArgumentParser, *, embedded_default: bool) -> None:
    help_text = (
        "MQTT broker, mqtt://[user:pass@]host[:port]"
        + (" (default: start an embedded broker on loopback)" if embedded_default
           else " (default: mqtt://127.0.0.1:1883)")
    )
    parser.add_argument("--mqtt", metavar="URL", type=mqtt_url, help=help_text,
                        default=None if embedded_default else MqttUrl("127.0.0.1", 1883))


def add_rover(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rover", type=rover, default=ROVERS["zhurong"], metavar="ID",
                        help="rover id (default: zhurong)")


def add_data_dir(parser: argparse.ArgumentParser,
                 what: str = "the store, the token and broker state live") -> None:
    parser.add_argument("--data-dir", type=Path, default=Path("var"), metavar="DIR",
                        help=f"where {what} (default: ./var)")


def add_http(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--http-host", default="127.0.0.1", metavar="HOST",
                        help="address the console listens on (default: 127.0.0.1)")
    parser.add_argument("--http-port", type=int, default=8080, metavar="PORT",
                        help="console port (default: 8080; 0 picks a free one)")


class _LightTimeAction(argparse.Action):
    """Keeps the spec as given (it travels to the other parts) beside the parsed model."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: str | None = None) -> None:
        namespace.light_time_spec = str(values)
        try:
            setattr(namespace, self.dest, parse_light_time(str(values)))
        except SpacelinkError as exc:
            parser.error(f"argument --light-time: {exc}")


def add_light_time(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--light-time", action=_LightTimeAction, default=None,
                        metavar="ephemeris|fixed:SECONDS",
                        help="one-way light time model (default: ephemeris, DE421)")
    parser.set_defaults(light_time_spec="ephemeris")


def add_time_scale(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--time-scale", type=time_scale, default=None, metavar="X",
                        help="mission seconds per wall second (default: keep the stored clock's,"
                             " or 1)")


def light_time_model(args: argparse.Namespace) -> LightTimeModel:
    """The model ``--light-time`` named, or the default ephemeris."""
    model: LightTimeModel | None = args.light_time
    return model if model is not None else parse_light_time(args.light_time_spec)
