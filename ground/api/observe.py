"""What the rover told us: telemetry, its history, and events."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Path, Query, status
from pydantic.json_schema import SkipJsonSchema

from ground.api.bodies import StrictJsonRoute
from ground.api.errors import UNKNOWN_ROVER, not_found
from ground.api.models import ChannelHistory, RoverEvent, TelemetrySnapshot
from ground.api.params import Moment, RoverId
from ground.services import GroundServices


def router(services: GroundServices) -> APIRouter:
    api = APIRouter(prefix="/rovers/{rover}", tags=["telemetry"], route_class=StrictJsonRoute)
    channels = {c.name for c in services.dictionary.channels}

    def known(rover: str) -> None:
        services.commanding.rover(rover)  # UnknownRoverError: 404 (ground.api.errors)

    @api.get("/telemetry", response_model=TelemetrySnapshot, operation_id="getTelemetry",
             responses=not_found(UNKNOWN_ROVER))
    async def latest(rover: RoverId) -> dict[str, object]:
        """The latest value of every channel."""
        known(rover)
        return {"channels": services.ingest.latest(rover)}

    @api.get("/telemetry/{channel}", response_model=ChannelHistory,
             operation_id="getChannelHistory", responses=not_found(
                 "No rover of that id, or no channel of that name in the dictionary"))
    async def history(
        rover: RoverId,
        channel: Annotated[str, Path(description="A telemetry channel of the dictionary",
                                     examples=["odometer_m"])],
        since: Annotated[datetime | SkipJsonSchema[None], Moment, Query(
            description="Only samples taken at or after this moment (rover time)")] = None,
        limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    ) -> dict[str, object]:
        """Samples of one channel, oldest first: the newest ``limit`` since ``since``."""
        known(rover)
        if channel not in channels:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"unknown channel {channel!r}")
        # Read and shaped on a worker thread: nothing per sample is left to the event loop.
        samples = await services.store.off_loop.samples_json(rover, channel, since, limit)
        return {"channel": channel, "samples": samples}

    @api.get("/events", response_model=list[RoverEvent], operation_id="listEvents",
             responses=not_found(UNKNOWN_ROVER))
    async def events(
        rover: RoverId, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        severity: Literal["info", "low", "medium", "high"] | SkipJsonSchema[None] = None,
    ) -> list[dict[str, object]]:
        """Rover events, newest first."""
        known(rover)
        records = await services.store.off_loop.events(rover, limit, severity)
        return [e.to_json() for e in records]

    return api
