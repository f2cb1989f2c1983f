"""MQTT topic names: the only place they are spelled."""

from __future__ import annotations

CLOCK = "roverops/clock"
LINK = "roverops/link"


def earth_tc(rover: str) -> str:
    return f"rovers/{rover}/earth/tc"


def earth_tm(rover: str) -> str:
    return f"rovers/{rover}/earth/tm"


def mars_tc(rover: str) -> str:
    return f"rovers/{rover}/mars/tc"


def mars_tm(rover: str) -> str:
    return f"rovers/{rover}/mars/tm"


def mars_status(rover: str) -> str:
    """Retained presence of whoever plays the rover; last will ``offline``."""
    return f"rovers/{rover}/mars/status"


def mars_bridge(rover: str) -> str:
    """Retained JSON counters of the serial bridge, when a board plays the rover."""
    return f"rovers/{rover}/mars/bridge"


def rover_of(topic: str) -> str:
    """The rover id in a ``rovers/{id}/...`` topic."""
    parts = topic.split("/")
    if len(parts) < 3 or parts[0] != "rovers":
        raise ValueError(f"not a rover topic: {topic}")
    return parts[1]
