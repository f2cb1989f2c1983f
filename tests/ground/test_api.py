"""HTTP API v1 in-process, on an in-memory bus: contract shapes, validation, auth, queue."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import httpx
import pytest

from ground import segment
from ground.services import GroundServices
from spacelink import topics
from spacelink.dictionary import DICTIONARY
from spacelink.packets import (
    FailureCode,
    HousekeepingReport,
    RequestId,
    Verification,
    VerificationReport,
    parse_tc,
    report_tm,
)
from spacelink.rovers import ZHURONG
from tests.ground.conftest import open_link
from tests.support.memory_bus import MemoryBroker
from tests.support.waiting import wait_for

BASE = "/api/v1/rovers/zhurong"


async def test_health_needs_no_token(services: GroundServices) -> None:
    from ground.app import create_app
    async with httpx.AsyncClient(transport=httpx.ASGITransport(create_app(services, "x" * 10)),
                                 base_url="http://g") as anonymous:
        health = await anonymous.get("/api/v1/health")
        assert health.json() == {"status": "ok", "broker": "connected"}
        for path in ("/api/v1/dictionary", "/api/v1/link", "/api/v1/rovers", f"{BASE}/commands",
                     f"{BASE}/queue", f"{BASE}/telemetry", f"{BASE}/events"):
            assert (await anonymous.get(path)).status_code == 401, path
        wrong = await anonymous.get("/api/v1/rovers", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401


async def test_dictionary_link_rovers(client: httpx.AsyncClient) -> None:
    dictionary = (await client.get("/api/v1/dictionary")).json()
    assert {"commands", "telemetry"} <= dictionary.keys()
    link = (await client.get("/api/v1/link")).json()
    assert {"model", "owlt_s", "time_scale", "now"} <= link.keys()
    assert link["owlt_s"] == 2.0 and link["now"].endswith("Z")
    rovers = (await client.get("/api/v1/rovers")).json()
    assert rovers[0]["id"] == "zhurong" and rovers[0]["online"] is False
    assert ":" in rovers[0]["mars"]["lmst"]


async def test_submit_is_on_disk_and_shaped(client: httpx.AsyncClient,
                                            services: GroundServices) -> None:
    response = await client.post(f"{BASE}/commands", json={"name": "DRIVE",
                                                           "args": {"distance_m": 5}})
    assert response.status_code == 201
    command = response.json()
    assert {"id", "rover", "name", "args", "state", "history", "radiated_at", "predicted_arrival",
            "predicted_ack", "error"} <= command.keys()
    assert command["state"] == "queued" and command["args"]["speed_mps"] == 0.05
    assert command["history"][0]["state"] == "queued" and command["history"][0]["at"].endswith("Z")
    stored = services.store.command(command["id"])
    assert stored is not None and stored.state == "queued"
    assert (await client.get(f"{BASE}/commands/{command['id']}")).json()["id"] == command["id"]


@pytest.mark.parametrize(("body", "loc"), [
    ({"name": "WARP", "args": {}}, ["body", "name"]),
    ({"name": "DRIVE", "args": {}}, ["body", "args", "distance_m"]),
    ({"name": "DRIVE", "args": {"distance_m": 500}}, ["body", "args", "distance_m"]),
    ({"name": "DRIVE", "args": {"distance_m": "x"}}, ["body", "args", "distance_m"]),
    ({"name": "DRIVE", "args": {"distance_m": 1, "color": 2}}, ["body", "args", "color"]),
    ({"name": "SET_MODE", "args": {"mode": "party"}}, ["body", "args", "mode"]),
    ({"args": {}}, ["body", "name"]),
    ({"name": "PING", "extra": 1}, ["body", "extra"]),
])
async def test_bad_input_is_422_naming_the_field(client: httpx.AsyncClient,
                                                 body: dict[str, object], loc: list[str]) -> None:
    response = await client.post(f"{BASE}/commands", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == loc


async def test_oversized_and_broken_bodies(client: httpx.AsyncClient) -> None:
    big = await client.post(f"{BASE}/commands", json={"name": "PING", "args": {"pad": "x" * 20000}})
    assert big.status_code == 422 and big.json()["detail"][0]["loc"] == ["body"]
    broken = await client.post(f"{BASE}/commands", content=b"{not json",
                               headers={"content-type": "application/json"})
    assert broken.status_code == 422


async def test_unknown_rover_and_command(client: httpx.AsyncClient) -> None:
    assert (await client.post("/api/v1/rovers/yutu2/commands", json={"name": "PING"})
            ).status_code == 404
    assert (await client.get(f"{BASE}/commands/999")).status_code == 404
    assert (await client.get("/api/v1/rovers/yutu2/telemetry")).status_code == 404


async def test_hold_cancel_and_409(client: httpx.AsyncClient, services: GroundServices,
                                   memory_broker: MemoryBroker) -> None:
    uplink = memory_broker.client().subscribe(topics.earth_tc("zhurong"))
    await open_link(memory_broker)
    assert (await client.put(f"{BASE}/queue", json={"held": True})).json() == {
        "held": True, "length": 0}
    running = asyncio.create_task(segment.run(services))
    try:
        first = (await client.post(f"{BASE}/commands", json={"name": "PING"})).json()
        second = (await client.post(f"{BASE}/commands", json={"name": "STOP"})).json()
        assert (await client.get(f"{BASE}/queue")).json() == {"held": True, "length": 2}
        cancelled = await client.delete(f"{BASE}/commands/{second['id']}")
        assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
        await client.put(f"{BASE}/queue", json={"held": False})
        message = await asyncio.wait_for(anext(aiter(uplink)), 5)
        assert parse_tc(message.payload).service == 17
        await wait_for(lambda: services.store.command(first["id"]).state == "radiated",  # type: ignore[union-attr]
                       5, "PING radiated")
        radiated = (await client.get(f"{BASE}/commands/{first['id']}")).json()
        sent = datetime.fromisoformat(radiated["radiated_at"].replace("Z", "+00:00"))
        ack = datetime.fromisoformat(radiated["predicted_ack"].replace("Z", "+00:00"))
        assert (ack - sent).total_seconds() == pytest.approx(4.0, abs=0.01)
        too_late = await client.delete(f"{BASE}/commands/{first['id']}")
        assert too_late.status_code == 409 and "recalled" in too_late.json()["detail"]
        listed = (await client.get(f"{BASE}/commands", params={"state": "cancelled"})).json()
        assert [c["id"] for c in listed] == [second["id"]]
    finally:
        running.cancel()


async def test_reports_drive_the_lifecycle_and_telemetry_is_archived(
        client: httpx.AsyncClient, services: GroundServices,
        memory_broker: MemoryBroker) -> None:
    await open_link(memory_broker)
    running = asyncio.create_task(segment.run(services))
    mars = memory_broker.client()
    try:
        command = (await client.post(f"{BASE}/commands", json={"name": "DRIVE",
                                                               "args": {"distance_m": 1}})).json()
        await wait_for(lambda: services.store.command(command["id"]).seq_count is not None,  # type: ignore[union-attr]
                       5, "sequence count assigned")
        seq = services.store.command(command["id"]).seq_count  # type: ignore[union-attr]
        now = datetime.now(UTC)
        rid = RequestId(ZHURONG.apid, seq)  # type: ignore[arg-type]
        for n, report in enumerate([
            VerificationReport(Verification.ACCEPTANCE_SUCCESS, rid),
            VerificationReport(Verification.START_SUCCESS, rid),
            VerificationReport(Verification.PROGRESS_SUCCESS, rid, step=50),
            VerificationReport(Verification.COMPLETION_FAILURE, rid, None, FailureCode.HAZARD,
                               "rock ahead"),
        ]):
            packet = report_tm(ZHURONG.apid, n, now, report).pack()
            await mars.publish(topics.earth_tm("zhurong"), packet)
        structure = DICTIONARY.structure(1)
        assert structure is not None
        values = {c.name: (c.field.choices[0] if c.field.choices else 7)
                  for c in structure.channels}
        hk = report_tm(ZHURONG.apid, 9, now, HousekeepingReport(structure, values)).pack()
        await mars.publish(topics.earth_tm("zhurong"), hk)
        await mars.publish(topics.earth_tm("zhurong"), b"\x00garbage")  # counted and dropped
        await wait_for(lambda: services.store.command(command["id"]).state == "failed",  # type: ignore[union-attr]
                       5, "DRIVE failed")
        final = (await client.get(f"{BASE}/commands/{command['id']}")).json()
        assert [h["state"] for h in final["history"]] == [
            "queued", "radiated", "accepted", "started", "failed"]
        assert final["error"] == "HAZARD: rock ahead"
        await wait_for(lambda: services.ingest.counters["zhurong"].rejected, 5, "garbage counted")
        latest = (await client.get(f"{BASE}/telemetry")).json()["channels"]
        assert latest["odometer_m"]["value"] == 7 and latest["odometer_m"]["unit"] == "m"
        history = (await client.get(f"{BASE}/telemetry/odometer_m")).json()
        assert history["channel"] == "odometer_m" and len(history["samples"]) == 1
        assert (await client.get(f"{BASE}/telemetry/warp_factor")).status_code == 404
    finally:
        running.cancel()


async def test_commands_wait_for_the_link_and_go_when_it_opens(
        client: httpx.AsyncClient, services: GroundServices,
        memory_broker: MemoryBroker) -> None:
    running = asyncio.create_task(segment.run(services))
    try:
        ping = (await client.post(f"{BASE}/commands", json={"name": "PING"})).json()
        link = (await client.get("/api/v1/link")).json()
        assert link["state"] == "closed" and link["closed_because"] == "no DSN heard yet"
        assert services.store.command(ping["id"]).state == "queued"  # type: ignore[union-attr]
        await open_link(memory_broker)
        await wait_for(lambda: services.store.command(ping["id"]).state == "radiated",  # type: ignore[union-attr]
                       5, "PING radiated once the DSN listens")
        await memory_broker.client().publish(topics.LINK, b'{"state": "closed"}', retain=True)
        await wait_for(lambda: services.link.closed_because() == "the DSN has stopped", 5,
                       "the DSN's will")
        later = (await client.post(f"{BASE}/commands", json={"name": "PING"})).json()
        assert (await client.get(f"{BASE}/commands/{later['id']}")).json()["state"] == "queued"
    finally:
        running.cancel()
