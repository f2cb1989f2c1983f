"""End to end: a DRIVE over HTTP crosses the DSN, moves a board behind the bridge, and the
telemetry comes back, with ``roverops up --no-rover``, ``roverops bridge`` and the board all
as subprocesses on a real Mosquitto."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from roverops.broker import free_port
from tests.hil.boards import REPO, Board, EmulatorBoard, SimavrBoard
from tests.support.mosquitto import Mosquitto
from tests.support.processes import Process
from tests.support.waiting import wait_for_sync

TOKEN = "hil-end-to-end"
DEADLINE_S = 60.0


def roverops(*args: str) -> list[str]:
    return [sys.executable, "-m", "roverops.cli", *args]


@pytest.fixture
def ground(mosquitto: Mosquitto, tmp_path: Path) -> Iterator[httpx.Client]:
    port = free_port()
    up = Process(roverops("up", "--mqtt", mosquitto.url.with_secret(), "--light-time", "fixed:1",
                          "--time-scale", "1", "--http-port", str(port),
                          "--data-dir", str(tmp_path / "data"), "--no-rover"),
                 tmp_path / "up.log", REPO, {"ROVEROPS_TOKEN": TOKEN})
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}/api/v1",
                          headers={"Authorization": f"Bearer {TOKEN}"}, timeout=5)

    def healthy() -> bool:
        if up.process.poll() is not None:
            raise AssertionError(f"roverops up exited:\n{up.log.read_text()}")
        try:
            return client.get("/health").status_code == 200
        except httpx.TransportError:
            return False

    try:
        wait_for_sync(healthy, 30, "the console's health")
        yield client
    finally:
        client.close()
        up.stop()


def drive_through(client: httpx.Client, mosquitto: Mosquitto, board: Board,
                  tmp_path: Path) -> None:
    bridge = Process(roverops("bridge", "--port", str(board.path), "--mqtt",
                              mosquitto.url.with_secret()), tmp_path / "bridge.log", REPO)
    try:
        def odometer() -> float | None:
            channels = client.get("/rovers/zhurong/telemetry").json().get("channels", {})
            value = channels.get("odometer_m", {}).get("value")
            return None if value is None else float(value)

        wait_for_sync(lambda: odometer() is not None, DEADLINE_S, "telemetry from the board")
        before = odometer()
        assert before is not None
        created = client.post("/rovers/zhurong/commands",
                              json={"name": "DRIVE", "args": {"distance_m": 1}})
        assert created.status_code == 201, created.text
        command_id = created.json()["id"]

        def state() -> str:
            return str(client.get(f"/rovers/zhurong/commands/{command_id}").json()["state"])

        wait_for_sync(lambda: state() in ("completed", "failed", "rejected", "timed_out"),
                      DEADLINE_S, "the DRIVE to finish")
        assert state() == "completed", bridge.log.read_text()
        wait_for_sync(lambda: (odometer() or 0) >= before + 0.99, DEADLINE_S,
                      "the odometer to show the metre driven")
        # The ground saw one unbroken TM sequence, as from the emulator: the bridge's own
        # SYNC_TIME and its reports left no hole in it.
        downlink = client.get("/rovers").json()[0]["downlink"]
        assert downlink["gaps"] == 0 and downlink["packets"] > 0, downlink
    finally:
        bridge.stop()


@pytest.mark.hil
def test_drive_over_http_moves_the_simulated_board(
        ground: httpx.Client, mosquitto: Mosquitto, simavr_board: SimavrBoard,
        tmp_path: Path) -> None:
    started = time.monotonic()
    drive_through(ground, mosquitto, simavr_board, tmp_path)
    assert time.monotonic() - started < 2 * DEADLINE_S


@pytest.mark.integration
def test_drive_over_http_moves_the_emulator_behind_the_bridge(
        ground: httpx.Client, mosquitto: Mosquitto, emulator_board: EmulatorBoard,
        tmp_path: Path) -> None:
    drive_through(ground, mosquitto, emulator_board, tmp_path)
