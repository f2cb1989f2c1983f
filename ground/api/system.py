"""Health, the dictionary, the link and the rovers."""

from __future__ import annotations

from fastapi import APIRouter

from ground.services import GroundServices
from spacelink.clock import iso
from spacelink.marstime import hms, mars_time


def router(services: GroundServices) -> APIRouter:
    api = APIRouter(tags=["system"])
    dictionary_json = services.dictionary.to_json()

    @api.get("/dictionary")
    async def dictionary() -> dict[str, object]:
        """Every command and telemetry channel, with types, units, ranges and limits."""
        return dictionary_json

    @api.get("/link")
    async def link() -> dict[str, object]:
        """Light time, time scale and mission time now."""
        return services.link.state()

    @api.get("/rovers")
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
    api = APIRouter(tags=["system"])

    @api.get("/health")
    async def health() -> dict[str, str]:
        """Liveness; the only route that needs no token."""
        return {"status": "ok",
                "broker": "connected" if services.bus.connected else "disconnected"}

    return api
