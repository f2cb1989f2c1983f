"""A real Mosquitto on 127.0.0.1 and a free port, with persistence in a directory of the test's.

It runs with the settings that docs/mosquitto.conf states for deployments (persistence saved
at every change, no queue limit, TCP_NODELAY), so the tests exercise the documented broker.
Port 1883 is never used: another broker may own it.
"""

from __future__ import annotations

import getpass
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from roverops.broker import free_port
from roverops.mqtt_url import MqttUrl

HOST = "127.0.0.1"
DEPLOYMENT_SETTINGS = Path(__file__).resolve().parents[2] / "docs" / "mosquitto.conf"
START_TIMEOUT_S = 10.0
STOP_TIMEOUT_S = 10.0


def find_mosquitto() -> str:
    """The broker binary: ``$MOSQUITTO``, else on PATH, else in the usual sbin directories."""
    found = (
        os.environ.get("MOSQUITTO")
        or shutil.which("mosquitto")
        or shutil.which("mosquitto", path=os.pathsep.join(["/usr/local/sbin", "/usr/sbin"]))
    )
    if not found:
        raise RuntimeError("mosquitto not found: install it (apt-get install -y mosquitto)")
    return found


class Mosquitto:
    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory
        self.port = port if port is not None else free_port(HOST)
        if self.port == 1883:
            raise ValueError("refusing port 1883: another broker of the machine owns it")
        self.config_path = directory / "mosquitto.conf"
        self.log_path = directory / "mosquitto.log"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> MqttUrl:
        return MqttUrl(HOST, self.port)

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        if self.running:
            raise RuntimeError("mosquitto is already running")
        self.directory.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(self._config())
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [find_mosquitto(), "-c", str(self.config_path)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        self._wait_ready()

    def stop(self) -> None:
        """SIGTERM (Mosquitto then saves its persistence file) and wait for the exit."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise RuntimeError(f"mosquitto ignored SIGTERM for {STOP_TIMEOUT_S:g} s") from None

    def kill(self, *, forget: bool = False) -> None:
        """SIGKILL: nothing is saved beyond what the last autosave wrote; ``forget`` loses
        that too (a broker whose disk is gone: every session and queued message)."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.kill()
            process.wait()
        if forget:
            (self.directory / "mosquitto.db").unlink(missing_ok=True)

    def restart(self) -> None:
        """Stop and start again on the same port with the same persistence directory."""
        self.stop()
        self.start()

    def log_tail(self, lines: int = 20) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def _config(self) -> str:
        return "\n".join(
            [
                DEPLOYMENT_SETTINGS.read_text(),
                f"listener {self.port} {HOST}",
                "allow_anonymous true",
                f"persistence_location {self.directory}{os.sep}",
                "log_dest stdout",
                "log_type error",
                "log_type warning",
                "log_type notice",
                # Run as ourselves: as root, Mosquitto would switch to a user who cannot write here.
                f"user {getpass.getuser()}",
                "",
            ]
        )

    def _wait_ready(self) -> None:
        """Connect until it accepts, with a deadline; fail early if the process died."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self._process is None or self._process.poll() is not None:
                raise RuntimeError(f"mosquitto exited at start:\n{self.log_tail()}")
            try:
                with socket.create_connection((HOST, self.port), timeout=0.5):
                    return
            except OSError:
                if time.monotonic() >= deadline:
                    self.stop()
                    raise RuntimeError(
                        f"mosquitto not accepting on {HOST}:{self.port} after "
                        f"{START_TIMEOUT_S:g} s:\n{self.log_tail()}"
                    ) from None
                time.sleep(0.02)
