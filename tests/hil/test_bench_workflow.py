"""docs/bench.md's workflow, run as written: `roverops up --no-rover` on its embedded broker,
then `roverops bridge --port DEVICE --mqtt "$(cat var/broker.url)"` from the same directory,
with the emulator on a pty playing the board; `mosquitto_sub -L` reads presence with the same
URL. No broker of the test's: the embedded one, with its generated credentials."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.hil.boards import EmulatorBoard
from tests.support.processes import Process
from tests.support.waiting import wait_for_sync

pytestmark = pytest.mark.integration

TOKEN = "bench-workflow-0123456789"
DEADLINE_S = 60.0
ROVEROPS = str(Path(sys.executable).parent / "roverops")  # the installed command


class Shell(Process):
    """A documented command line, run by bash in the user's working directory."""

    def __init__(self, command: str, cwd: Path, log: Path) -> None:
        path = os.pathsep.join([str(Path(ROVEROPS).parent), os.environ.get("PATH", "")])
        super().__init__(["bash", "-c", f"exec {command}"], log, cwd=cwd,
                         env={"ROVEROPS_TOKEN": TOKEN, "PATH": path})


def test_the_bench_workflow_works_as_documented(tmp_path: Path,
                                                emulator_board: EmulatorBoard) -> None:
    board = emulator_board
    up = Shell("roverops up --no-rover --http-port 0 --light-time fixed:1 --time-scale 10",
               tmp_path, tmp_path / "up.log")
    bridge: Shell | None = None
    try:
        url_file, console_file = tmp_path / "var" / "broker.url", tmp_path / "var" / "console.url"
        wait_for_sync(lambda: url_file.exists() and console_file.exists()
                      and up.process.poll() is None, DEADLINE_S, "up to start")
        assert url_file.stat().st_mode & 0o077 == 0, "the broker's URL is the owner's alone"
        assert "***" not in url_file.read_text()
        assert TOKEN not in (tmp_path / "up.log").read_text()  # never echoed
        bridge = Shell(f'roverops bridge --port {board.path} --mqtt "$(cat var/broker.url)"',
                       tmp_path, tmp_path / "bridge.log")
        base = console_file.read_text().strip()
        with httpx.Client(base_url=f"{base}api/v1", timeout=5,
                          headers={"Authorization": f"Bearer {TOKEN}"}) as http:

            def played_by_bridge() -> bool:
                rover = http.get("/rovers").json()[0]
                return bool(rover["online"] and rover["played_by"] == "bridge")

            wait_for_sync(played_by_bridge, DEADLINE_S, f"the bridge to bring the board online "
                          f"({(tmp_path / 'bridge.log').read_text()[-500:]})")
            created = http.post("/rovers/zhurong/commands",
                                json={"name": "DRIVE", "args": {"distance_m": 1}})
            assert created.status_code == 201, created.text
            path = f"/rovers/zhurong/commands/{created.json()['id']}"
            wait_for_sync(lambda: http.get(path).json()["state"] == "completed", DEADLINE_S,
                          "the DRIVE to complete through the bridge")
        # amqtt 0.12 also hands a new client the retained messages of everyone else's
        # filters (docs/bench.md): read a few seconds and pick the topic asked for.
        presence = subprocess.run(
            ["bash", "-c", 'mosquitto_sub -v -W 3 '
             '-L "$(cat var/broker.url)/rovers/zhurong/mars/status"'],
            cwd=tmp_path, capture_output=True, text=True, timeout=20, check=False)
        assert "Connection error" not in presence.stderr, presence.stderr
        status = [line for line in presence.stdout.splitlines()
                  if line.startswith("rovers/zhurong/mars/status ")]
        assert status and '"kind": "bridge"' in status[-1], presence.stdout
        for log in ("up.log", "bridge.log"):
            assert "Not authorized" not in (tmp_path / log).read_text()
    finally:
        if bridge is not None:
            bridge.stop()
        up.stop()
