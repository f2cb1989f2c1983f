"""The command line as a user meets it: one clear line for each expected failure, clean stops."""

from __future__ import annotations

import signal
from pathlib import Path

import httpx
import pytest

from roverops.broker import free_port, port_in_use
from tests.support.processes import Part, run_cli
from tests.support.waiting import wait_for_sync


def one_clear_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip() and " INFO " not in line]
    assert "Traceback" not in stderr, stderr
    assert len(lines) == 1, stderr
    return lines[0]


def test_help_lists_every_part() -> None:
    result = run_cli(["--help"])
    assert result.returncode == 0
    for command in ("up", "ground", "dsn", "rover"):
        assert command in result.stdout


@pytest.mark.parametrize(("args", "complaint"), [
    (["up", "--light-time", "sometimes"], "--light-time"),
    (["up", "--time-scale", "-3"], "time scale"),
    (["up", "--rover", "sojourner"], "unknown rover"),
    (["up", "--http-port", "eighty"], "--http-port"),
])
def test_bad_options_are_named(args: list[str], complaint: str) -> None:
    result = run_cli(args)
    assert result.returncode == 2
    assert complaint in result.stderr and "Traceback" not in result.stderr


@pytest.mark.integration
def test_unreachable_broker_is_one_line(tmp_path: Path) -> None:
    port = free_port()  # nobody listens there
    result = run_cli(["ground", "--mqtt", f"mqtt://127.0.0.1:{port}", "--data-dir",
                      str(tmp_path), "--http-port", "0"], timeout=60)
    assert result.returncode == 1
    line = one_clear_line(result.stderr)
    assert f"127.0.0.1:{port}" in line and "unavailable" in line


def test_unwritable_data_dir_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    result = run_cli(["up", "--data-dir", str(blocker / "data")])
    assert result.returncode == 1
    assert "not writable" in one_clear_line(result.stderr)


def test_weak_token_is_one_line(tmp_path: Path) -> None:
    result = run_cli(["up", "--data-dir", str(tmp_path)], env={"ROVEROPS_TOKEN": "short"})
    assert result.returncode == 1
    assert "ROVEROPS_TOKEN" in one_clear_line(result.stderr)


def test_a_serial_device_that_cannot_be_opened_is_one_line(tmp_path: Path) -> None:
    device = tmp_path / "no-such-device"
    result = run_cli(["rover", "--serial", str(device), "--data-dir", str(tmp_path / "data")])
    assert result.returncode == 1
    assert f"serial port {device}" in one_clear_line(result.stderr)


def test_bad_mqtt_url_is_named(tmp_path: Path) -> None:
    result = run_cli(["ground", "--mqtt", "http://example", "--data-dir", str(tmp_path)])
    assert result.returncode == 2
    assert "--mqtt" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.integration
def test_up_on_the_embedded_broker_runs_a_command_and_stops_cleanly(tmp_path: Path) -> None:
    http_port = free_port()
    taken_1883 = port_in_use(1883)
    up = Part(tmp_path, "up", ["up", "--http-port", str(http_port), "--light-time", "fixed:1",
                               "--time-scale", "10", "--data-dir", str(tmp_path / "data")])
    up.start()
    try:
        up.wait_for_output(r"API token: (\S+)")
        token = (tmp_path / "data" / "token").read_text().strip()
        broker = up.wait_for_output(r"embedded broker: mqtt://\S*127\.0\.0\.1:(\d+)")
        if taken_1883:  # never fight the broker that owns the standard port
            assert broker.group(1) != "1883"
        assert token not in up.stderr  # secrets never logged
        url_file = tmp_path / "data" / "broker.url"
        assert url_file.stat().st_mode & 0o077 == 0
        with httpx.Client(base_url=f"http://127.0.0.1:{http_port}",
                          headers={"Authorization": f"Bearer {token}"}, timeout=10) as http:
            wait_for_sync(lambda: http.get("/api/v1/rovers").json()[0]["online"], 30,
                          "the emulator online")
            ping = http.post("/api/v1/rovers/zhurong/commands", json={"name": "PING"}).json()
            wait_for_sync(
                lambda: http.get(f"/api/v1/rovers/zhurong/commands/{ping['id']}").json()["state"]
                == "completed", 30, "PING completed through the embedded broker")
    finally:
        status = up.stop(signal.SIGINT)
    assert status == 0
    assert "Traceback" not in up.stderr

