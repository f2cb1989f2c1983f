"""What the rover told us: telemetry, its history, and events."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, status

from ground.services import GroundServices


def router(services: GroundServices) -> APIRouter:
    api = APIRouter(prefix="/rovers/{rover}", tags=["telemetry"])
    channels = {c.name for c in services.dictionary.channels}

    def known(rover: str) -> None:
        services.commanding.rover(rover)  # UnknownRoverError: 404 (ground.api.errors)

    @api.get("/telemetry")
    async def latest(rover: str) -> dict[str, object]:
        """The latest value of every channel."""
        known(rover)
        return {"channels": services.ingest.latest(rover)}

    @api.get("/telemetry/{channel}")
    async def history(
        rover: str, channel: str, since: datetime | None = None,
        limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
    ) -> dict[str, object]:
        """Samples of one channel, oldest first: the newest ``limit`` since ``since``."""
        known(rover)
        if channel not in channels:
            raise HTTPException(status.HTTP_404_NOT_FOUND, f"unknown channel {channel!r}")
        samples = await services.store.off_loop.samples(rover, channel, since, limit)
        return {"channel": channel, "samples": [
            {k: v for k, v in services.ingest.sample_json(s).items() if k != "unit"}
            for s in samples]}

    @api.get("/events")
    async def events(
        rover: str, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        severity: Literal["info", "low", "medium", "high"] | None = None,
    ) -> list[dict[str, object]]:
        """Rover events, newest first."""
        known(rover)
        return [e.to_json() for e in services.store.events(rover, limit, severity)]

    return api
