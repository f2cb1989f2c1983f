"""The HTTP contract (docs/api.md): every route declares its bodies and statuses, the bodies
are byte for byte what the records make, a request the schema allows is one the ground takes,
405s name what is allowed, and no body, however broken, gets a 500."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import TypeAdapter

from ground import segment
from ground.api.models import Message, ValidationErrors, command_request_schemas
from ground.api.openapi import document
from ground.app import create_app
from ground.services import GroundServices
from spacelink import topics
from spacelink.control import BridgeCounters, Presence
from spacelink.dictionary import DICTIONARY, Field, Value
from spacelink.packets import (
    EventReport,
    HousekeepingReport,
    RequestId,
    Verification,
    VerificationReport,
    report_tm,
)
from spacelink.rovers import ZHURONG
from tests.ground.conftest import TOKEN, open_link
from tests.support.memory_bus import MemoryBroker
from tests.support.waiting import wait_for

API = "/api/v1"
ROVER = f"{API}/rovers/zhurong"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")
_JSON: TypeAdapter[Any] = TypeAdapter(Any)


def _value(field: Field) -> Value:
    if field.choices:
        return field.choices[-1]
    if field.type == "bool":
        return True
    return 1.5 if field.type == "f32" else 7


async def a_rover_that_has_spoken(http: httpx.AsyncClient, services: GroundServices,
                                  broker: MemoryBroker) -> int:
    """Everything the API shows, once: every housekeeping report and event, a board behind a
    bridge with its counters, and a DRIVE taken to its end (its id). Needs the ground running
    (``segment.run``) with the link open."""
    mars = broker.client()
    now = datetime.now(UTC)
    seq = 0

    async def downlink(report: HousekeepingReport | EventReport | VerificationReport) -> None:
        nonlocal seq
        seq += 1
        await mars.publish(topics.earth_tm(ZHURONG.id),
                           report_tm(ZHURONG.apid, seq, now, report).pack())

    drive = (await http.post(f"{ROVER}/commands", json={
        "name": "DRIVE", "args": {"distance_m": 2}})).json()
    command_id = int(drive["id"])

    def radiated_seq() -> int | None:
        record = services.store.command(command_id)
        return None if record is None else record.seq_count

    await wait_for(lambda: radiated_seq() is not None, 5, "the DRIVE radiated")
    # The ground listens by now (it radiated): what it is sent is not lost.
    for structure in DICTIONARY.housekeeping:
        await downlink(HousekeepingReport(structure, {
            c.name: _value(c.field) for c in structure.channels}))
    for event in DICTIONARY.events:
        await downlink(EventReport(event, {p.name: _value(p) for p in event.params}))
    await mars.publish(topics.mars_status(ZHURONG.id), Presence(
        "online", ZHURONG.id, "bridge", "2031-05-01T12:00:00.000Z", "/dev/ttyACM0",
        ("PING", "DRIVE")).to_json(), retain=True)
    await mars.publish(topics.mars_bridge(ZHURONG.id),
                       BridgeCounters(frames_up=3, board_online=True).to_json(), retain=True)
    request = RequestId(ZHURONG.apid, radiated_seq() or 0)
    for report in (VerificationReport(Verification.ACCEPTANCE_SUCCESS, request),
                   VerificationReport(Verification.START_SUCCESS, request),
                   VerificationReport(Verification.PROGRESS_SUCCESS, request, step=50),
                   VerificationReport(Verification.COMPLETION_SUCCESS, request)):
        await downlink(report)
    await wait_for(lambda: getattr(services.store.command(command_id), "state", None)
                   == "completed", 5, "the DRIVE completed")
    await wait_for(lambda: services.registry.bridge[ZHURONG.id] is not None
                   and services.ingest.latest(ZHURONG.id)
                   and len(services.store.events(ZHURONG.id, 100)) == len(DICTIONARY.events),
                   5, "the bridge's counters, housekeeping and events")
    return command_id


@contextlib.asynccontextmanager
async def running(services: GroundServices) -> AsyncIterator[None]:
    task = asyncio.create_task(segment.run(services))
    try:
        yield
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


# ------------------------------------------------------------------ the document


def test_every_operation_declares_its_bodies_and_statuses() -> None:
    spec = document()
    schemas = spec["components"]["schemas"]
    operations = {(method.upper(), path): op for path, item in spec["paths"].items()
                  for method, op in item.items()}
    assert len(operations) == 13
    for (method, path), op in operations.items():
        responses = op["responses"]
        success = [s for s in responses if s.startswith("2")]
        assert success, (method, path)
        for status in success:
            schema = responses[status]["content"]["application/json"]["schema"]
            ref = schema.get("$ref") or schema["items"]["$ref"]
            assert ref.removeprefix("#/components/schemas/") in schemas, (method, path)
        assert _ref(responses["422"]) == "ValidationErrors", (method, path)
        if path != f"{API}/health":
            assert _ref(responses["401"]) == "Message", (method, path)
            assert "WWW-Authenticate" in responses["401"]["headers"]
            assert op["security"] == [{"HTTPBearer": []}]
        if "{rover}" in path:
            assert _ref(responses["404"]) == "Message", (method, path)
        assert op["operationId"][0].islower(), (method, path)
    submit = operations["POST", f"{API}/rovers/{{rover}}/commands"]["responses"]
    assert {"200", "201", "409"} <= submit.keys()
    assert _ref(submit["200"]) == _ref(submit["201"]) == "Command"
    assert submit["201"]["links"]["getCommand"]["operationId"] == "getCommand"
    assert "409" in operations["DELETE", f"{API}/rovers/{{rover}}/commands/{{command_id}}"][
        "responses"]


def _ref(response: dict[str, Any]) -> str:
    ref: str = response["content"]["application/json"]["schema"]["$ref"]
    return ref.removeprefix("#/components/schemas/")


def test_a_command_request_is_one_of_the_dictionary_s_commands() -> None:
    schemas = document()["components"]["schemas"]
    request = schemas["CommandRequest"]
    assert set(request["discriminator"]["mapping"]) == {c.name for c in DICTIONARY.commands}
    drive = schemas["DriveRequest"]
    assert drive["properties"]["name"]["const"] == "DRIVE"
    args = drive["properties"]["args"]
    assert args["additionalProperties"] is False and args["required"] == ["distance_m"]
    assert args["properties"]["speed_mps"]["default"] == 0.05
    radar = schemas["RadarSoundingRequest"]["properties"]["args"]["properties"]
    assert radar["duration_s"] == {"description": "Sounding duration (s); u16",
                                   "type": "integer", "minimum": 10, "maximum": 3600}
    assert radar["channel"]["enum"] == ["low", "high"]
    seconds = schemas["SyncTimeRequest"]["properties"]["args"]["properties"]["seconds"]
    assert (seconds["minimum"], seconds["maximum"]) == (0, 2**32 - 1)  # what a u32 holds
    assert schemas["PingRequest"]["required"] == ["name"]  # no argument required: args may go


async def test_the_dump_is_what_the_api_serves(client: httpx.AsyncClient) -> None:
    served = (await client.get("/openapi.json")).json()
    assert served == json.loads(json.dumps(document()))
    assert "DriveRequest" in served["components"]["schemas"]


# ------------------------------------------------------------------ the bodies


async def test_bodies_are_byte_for_byte_the_records_json(
        client: httpx.AsyncClient, services: GroundServices, memory_broker: MemoryBroker,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services.link, "_wall", lambda: 1_950_000_000.0)  # a still clock
    await open_link(memory_broker)
    async with running(services):
        drive = await a_rover_that_has_spoken(client, services, memory_broker)
        store, ingest = services.store, services.ingest

        async def body(path: str) -> bytes:
            response = await client.get(path)
            assert response.status_code == 200, (path, response.text)
            return response.content

        record = store.command(drive)
        assert record is not None and record.progress == 100
        assert await body(f"{ROVER}/commands/{drive}") == _dump(record.to_json())
        assert await body(f"{ROVER}/commands") == _dump(
            [c.to_json() for c in store.commands("zhurong")])
        assert await body(f"{ROVER}/events") == _dump(
            [e.to_json() for e in store.events("zhurong", 100)])
        assert await body(f"{ROVER}/queue") == _dump(
            services.commanding.queue_state("zhurong").to_json())
        assert await body(f"{ROVER}/telemetry") == _dump(
            {"channels": ingest.latest("zhurong")})
        assert await body(f"{API}/dictionary") == _dump(DICTIONARY.to_json())
        assert await body(f"{API}/link") == _dump(services.link.state())
        assert await body(f"{API}/health") == b'{"status":"ok","broker":"connected"}'

        history = json.loads(await body(f"{ROVER}/telemetry/odometer_m"))
        assert await body(f"{ROVER}/telemetry/odometer_m") == _dump(history)
        assert list(history) == ["channel", "samples"]
        assert list(history["samples"][0]) == ["value", "rover_time", "ground_time"]
        assert history["samples"][0]["value"] == 1.5

        rovers = json.loads(await body(f"{API}/rovers"))
        assert await body(f"{API}/rovers") == _dump(rovers)
        (rover,) = rovers
        assert list(rover) == ["id", "apid", "site", "online", "played_by", "since",
                               "supports", "bridge", "mars", "queue", "last_tm_at",
                               "downlink"]
        presence = services.registry.presence_json("zhurong")
        assert {k: rover[k] for k in presence} == presence
        assert rover["bridge"] == services.registry.bridge["zhurong"].snapshot()  # type: ignore[union-attr]
        assert rover["downlink"] == ingest.counters["zhurong"].to_json()
        assert rover["site"] == ZHURONG.to_json()
        assert rover["last_tm_at"].endswith("Z")


def _dump(value: object) -> bytes:
    """The JSON as the routes wrote it before they declared their models."""
    return _JSON.dump_json(value)


async def test_error_bodies_are_their_models(client: httpx.AsyncClient) -> None:
    anonymous = await client.get(f"{API}/rovers", headers={"Authorization": "Bearer wrong"})
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"] == "Bearer"
    Message.model_validate(anonymous.json())
    for path in (f"{API}/rovers/yutu2/queue", f"{ROVER}/commands/99",
                 f"{ROVER}/telemetry/warp_factor"):
        missing = await client.get(path)
        assert missing.status_code == 404, path
        Message.model_validate(missing.json())
    queued = (await client.post(f"{ROVER}/commands", json={"name": "PING"})).json()
    await client.delete(f"{ROVER}/commands/{queued['id']}")
    again = await client.delete(f"{ROVER}/commands/{queued['id']}")
    assert again.status_code == 409
    Message.model_validate(again.json())
    for bad in ({"name": "DRIVE", "args": {"distance_m": 500}}, {"nme": "PING"}):
        refused = await client.post(f"{ROVER}/commands", json=bad)
        assert refused.status_code == 422
        ValidationErrors.model_validate(refused.json())


# ------------------------------------------------------------------ requests


async def test_every_command_is_taken_within_its_schema_and_refused_past_it(
        client: httpx.AsyncClient) -> None:
    """The dictionary's schemas and the ground agree at every bound of every argument."""
    schemas = command_request_schemas(DICTIONARY)
    for command in DICTIONARY.commands:
        args_schema = schemas["CommandRequest"]["discriminator"]["mapping"][command.name]
        properties = schemas[args_schema.rsplit("/", 1)[1]]["properties"]["args"]["properties"]
        lowest = {name: _bound(spec, "minimum") for name, spec in properties.items()}
        highest = {name: _bound(spec, "maximum") for name, spec in properties.items()}
        for args in (lowest, highest):
            taken = await client.post(f"{ROVER}/commands", json={"name": command.name,
                                                                 "args": args})
            assert taken.status_code == 201, (command.name, args, taken.text)
        for name, spec in properties.items():
            past = _past(spec)
            if past is None:
                continue
            refused = await client.post(f"{ROVER}/commands", json={
                "name": command.name, "args": {**lowest, name: past}})
            assert refused.status_code == 422, (command.name, name, past)
            assert refused.json()["detail"][0]["loc"] == ["body", "args", name]


def _bound(spec: dict[str, Any], which: str) -> Value:
    if "enum" in spec:
        return str(spec["enum"][0 if which == "minimum" else -1])
    if spec["type"] == "boolean":
        return which == "maximum"
    return spec[which]  # type: ignore[no-any-return]


def _past(spec: dict[str, Any]) -> Value | None:
    if "enum" in spec:
        return "not-a-choice"
    if spec["type"] == "boolean":
        return 1
    step = 1 if spec["type"] == "integer" else max(abs(spec["maximum"]) * 1e-3, 1e-3)
    return spec["maximum"] + step  # type: ignore[no-any-return]


@pytest.mark.parametrize("body", [
    b'{"name": "\\udc00"}',  # a lone surrogate: JSON text that is no Unicode string
    b'{"name": "PING", "args": {"\\ud800": 1}}',
    b'{"name": "\xff"}',  # not UTF-8
    b'{"name": "PING", "args": {"a": ' + b"[" * 500 + b"]" * 500 + b"}}",  # nested too deep
    b"{not json",
])
async def test_a_body_that_is_not_json_is_422(client: httpx.AsyncClient, body: bytes) -> None:
    response = await client.post(f"{ROVER}/commands", content=body,
                                 headers={"content-type": "application/json",
                                          "Idempotency-Key": "k1"})
    assert response.status_code == 422, response.text
    (issue,) = response.json()["detail"]
    assert issue["type"] == "json_invalid" and issue["loc"][0] == "body"


@pytest.mark.parametrize(("since", "status"), [
    ("2031-05-01T12:00:00Z", 200), ("2031-05-01t12:00:00.5+02:00", 200),
    ("0.5", 422), ("1900000000", 422), ("2031-05-01T12:00:00", 422), ("2031-13-01T00:00:00Z", 422),
])
async def test_since_is_an_rfc3339_date_time(client: httpx.AsyncClient, since: str,
                                             status: int) -> None:
    response = await client.get(f"{ROVER}/telemetry/odometer_m", params={"since": since})
    assert response.status_code == status, response.text
    if status == 422:
        assert response.json()["detail"][0]["loc"] == ["query", "since"]


@pytest.mark.parametrize("command_id", ["0", "-1", str(2**63), "x"])
async def test_a_command_id_out_of_range_is_422(client: httpx.AsyncClient,
                                                command_id: str) -> None:
    response = await client.get(f"{ROVER}/commands/{command_id}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "command_id"]


# ------------------------------------------------------------------ methods and paths


async def test_a_method_a_path_does_not_serve_is_405_naming_those_it_does(
        services: GroundServices, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<!doctype html><title>console</title>")
    app = create_app(services, TOKEN, web_dir=tmp_path)  # the console's files at /
    spec = app.openapi()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app),
                                 base_url="http://ground") as anonymous:
        for template, item in spec["paths"].items():
            path = template.replace("{rover}", "zhurong").replace("{command_id}", "1").replace(
                "{channel}", "odometer_m")
            allowed = sorted(method.upper() for method in item)
            for method in set(METHODS) - set(allowed):
                response = await anonymous.request(method, path)
                assert response.status_code == 405, (method, path)
                assert response.headers["allow"] == ", ".join(allowed), (method, path)
                assert response.json() == {"detail": "Method Not Allowed"}
        for method in METHODS:
            nowhere = await anonymous.request(method, f"{API}/nowhere")
            assert nowhere.status_code == 404 and nowhere.json() == {"detail": "Not Found"}
        console = await anonymous.get("/")
        assert console.status_code == 200 and "console" in console.text
