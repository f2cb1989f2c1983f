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


EARTH_TC_ALL = "rovers/+/earth/tc"
"""Every rover's TCs as the ground radiates them: what the deep-space link carries up."""
MARS_TM_ALL = "rovers/+/mars/tm"
"""Every rover's TM as it leaves the rover: what the deep-space link carries down."""
EARTH_TM_ALL = "rovers/+/earth/tm"
"""Every rover's TM as it reaches Earth: what the ground archives."""
MARS_STATUS_ALL = "rovers/+/mars/status"
MARS_BRIDGE_ALL = "rovers/+/mars/bridge"


def across_the_link(topic: str) -> str | None:
    """Where a packet heard on ``topic`` comes out at the far end of the deep-space link:
    ``earth/tc`` to ``mars/tc`` and ``mars/tm`` to ``earth/tm``; None for anything else."""
    parts = topic.split("/")
    if len(parts) != 4 or parts[0] != "rovers":
        return None
    rover = parts[1]
    if parts[2:] == ["earth", "tc"]:
        return mars_tc(rover)
    if parts[2:] == ["mars", "tm"]:
        return earth_tm(rover)
    return None


def rover_of(topic: str) -> str:
    """The rover id in a ``rovers/{id}/...`` topic."""
    parts = topic.split("/")
    if len(parts) < 3 or parts[0] != "rovers":
        raise ValueError(f"not a rover topic: {topic}")
    return parts[1]
