"""POST /commands with an Idempotency-Key: once per key, whatever the retries."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from ground import segment
from ground.app import create_app
from ground.services import GroundServices
from spacelink.lighttime import FixedLightTime
from spacelink.rovers import ZHURONG
from tests.ground.conftest import OWLT_S, TOKEN
from tests.support.memory_bus import MemoryBroker

COMMANDS = "/api/v1/rovers/zhurong/commands"
DRIVE = {"name": "DRIVE", "args": {"distance_m": 5}}


async def test_a_repeat_answers_200_with_the_same_command(client: httpx.AsyncClient,
                                                          services: GroundServices) -> None:
    first = await client.post(COMMANDS, json=DRIVE, headers={"Idempotency-Key": "op-1 #42"})
    assert first.status_code == 201
    again = await client.post(COMMANDS, json={"args": {"distance_m": 5}, "name": "DRIVE"},
                              headers={"Idempotency-Key": "op-1 #42"})
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert len(services.store.commands("zhurong")) == 1
    other = await client.post(COMMANDS, json=DRIVE, headers={"Idempotency-Key": "op-1 #43"})
    assert other.status_code == 201 and other.json()["id"] != first.json()["id"]
    plain = await client.post(COMMANDS, json=DRIVE)
    assert plain.status_code == 201
    assert len(services.store.commands("zhurong")) == 3


async def test_the_key_with_a_different_body_is_409_naming_it(client: httpx.AsyncClient,
                                                              services: GroundServices) -> None:
    assert (await client.post(COMMANDS, json=DRIVE, headers={"Idempotency-Key": "k1"})
            ).status_code == 201
    different = await client.post(COMMANDS, json={"name": "DRIVE", "args": {"distance_m": 6}},
                                  headers={"Idempotency-Key": "k1"})
    assert different.status_code == 409
    assert "Idempotency-Key 'k1'" in different.json()["detail"]
    assert len(services.store.commands("zhurong")) == 1


async def test_keys_are_per_rover(client: httpx.AsyncClient) -> None:
    await client.post(COMMANDS, json=DRIVE, headers={"Idempotency-Key": "k1"})
    unknown = await client.post("/api/v1/rovers/yutu2/commands", json=DRIVE,
                                headers={"Idempotency-Key": "k1"})
    assert unknown.status_code == 404


async def test_a_key_survives_a_restart_of_the_ground(
        client: httpx.AsyncClient, services: GroundServices, tmp_path: Path,
        memory_broker: MemoryBroker) -> None:
    first = (await client.post(COMMANDS, json=DRIVE, headers={"Idempotency-Key": "k9"})).json()
    services.store.close()  # the ground dies before the client read its answer
    restarted = segment.build(memory_broker.client(), tmp_path, {"zhurong": ZHURONG},
                              FixedLightTime(OWLT_S), f"fixed:{OWLT_S}", scale=1.0)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(create_app(restarted, TOKEN)),
                                 base_url="http://ground",
                                 headers={"Authorization": f"Bearer {TOKEN}"}) as again:
        retry = await again.post(COMMANDS, json=DRIVE, headers={"Idempotency-Key": "k9"})
    assert retry.status_code == 200 and retry.json()["id"] == first["id"]
    assert len(restarted.store.commands("zhurong")) == 1


@pytest.mark.parametrize("key", ["", "x" * 129, "caf\u00e9", "tab\there"])
async def test_a_bad_key_is_422_naming_the_header(client: httpx.AsyncClient,
                                                  services: GroundServices, key: str) -> None:
    response = await client.post(COMMANDS, json=DRIVE,
                                 headers={b"Idempotency-Key": key.encode("latin-1")})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert services.store.commands("zhurong") == []


async def test_the_header_is_in_the_openapi(client: httpx.AsyncClient) -> None:
    schema = (await client.get("/openapi.json")).json()
    post = schema["paths"]["/api/v1/rovers/{rover}/commands"]["post"]
    header = next(p for p in post["parameters"] if p["in"] == "header")
    assert header["name"] == "Idempotency-Key" and header["required"] is False
    assert {"200", "201", "409"} <= post["responses"].keys()
