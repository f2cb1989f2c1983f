"""Health, the dictionary, the link and the rovers."""

from __future__ import annotations

from fastapi import APIRouter

from ground.api.bodies import StrictJsonRoute
from ground.api.models import Dictionary, Health, Link, Rover
from ground.services import GroundServices
from spacelink.clock import iso
from spacelink.marstime import hms, mars_time


def router(services: GroundServices) -> APIRouter:
    api = APIRouter(tags=["system"], route_class=StrictJsonRoute)
    # Checked once here: a dictionary its model does not describe stops the ground at start.
    dictionary_body = Dictionary.model_validate(services.dictionary.to_json())

    @api.get("/dictionary", response_model=Dictionary, operation_id="getDictionary")
    async def dictionary() -> Dictionary:
        """Every command and telemetry channel, with types, units, ranges and limits."""
        return dictionary_body

    @api.get("/link", response_model=Link, operation_id="getLink")
    async def link() -> dict[str, object]:
        """Light time, time scale and mission time now."""
        return services.link.state()

    @api.get("/rovers", response_model=list[Rover], operation_id="listRovers")
    async def rovers() -> list[dict[str, object]]:
        """Each rover: presence, who plays it, its site's Mars time, its queue."""
        now = services.link.now()
        mars = mars_time(now)
        result: list[dict[str, object]] = []
        for rover in services.registry.rovers.values():
            last = services.ingest.last_packet.get(rover.id)
            result.append({
                "id": rover.id, "apid": rover.apid, "site": rover.to_json(),
                **services.registry.presence_json(rover.id),
                "mars": {"msd": round(mars.msd, 5),
                         "sol": mars.sol(mars_time(rover.landed), rover.lon_e_deg),
                         "lmst": hms(mars.lmst_h(rover.lon_e_deg)),
                         "ltst": hms(mars.ltst_h(rover.lon_e_deg)),
                         "ls_deg": round(mars.ls_deg, 2)},
                "queue": services.commanding.queue_state(rover.id).to_json(),
                "last_tm_at": None if last is None else iso(last),
                "downlink": services.ingest.counters[rover.id].to_json(),
            })
        return result

    return api


def health_router(services: GroundServices) -> APIRouter:
    api = APIRouter(tags=["system"], route_class=StrictJsonRoute)

    @api.get("/health", response_model=Health, operation_id="getHealth")
    async def health() -> dict[str, str]:
        """Liveness; the only route that needs no token."""
        return {"status": "ok",
                "broker": "connected" if services.bus.connected else "disconnected"}

    return api
