"""The ground's services, bundled so the web app can be handed them whole."""

from __future__ import annotations

from dataclasses import dataclass

from ground.commanding import Commanding
from ground.link import LinkView
from ground.rovers import RoverRegistry
from ground.store import Store
from ground.stream import Hub
from ground.telemetry import TelemetryIngest
from spacelink.bus import Bus
from spacelink.dictionary import Dictionary


@dataclass(frozen=True)
class GroundServices:
    bus: Bus
    store: Store
    dictionary: Dictionary
    hub: Hub
    link: LinkView
    registry: RoverRegistry
    commanding: Commanding
    ingest: TelemetryIngest
