"""Boards for the HIL tests, as subprocesses: the firmware on simavr, or the emulator on a pty.

Each exposes ``path``: a stable symlink in the test's directory to the board's current pty,
as udev gives a real board a stable name, so that a board that is killed and started again
(a new pty) comes back under the same name for the bridge, which only knows that name.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIRMWARE_ELF = REPO / "hil" / "firmware" / "build" / "rover.elf"
HARNESS = REPO / "hil" / "simavr" / "build" / "harness"
START_TIMEOUT_S = 15.0


def build_firmware() -> None:
    """``make firmware simavr-harness`` through the firmware's own makefile, from the repo."""
    subprocess.run(
        ["make", "--no-print-directory", "-f", "hil/firmware/firmware.mk",
         f"FW_PYTHON={sys.executable}", "firmware", "simavr-harness"],
        cwd=REPO, check=True, stdout=subprocess.DEVNULL,
    )


class Board:
    """A board process whose pty is reachable at ``path``."""

    command: list[str]
    prefix = ""

    def __init__(self, directory: Path, name: str = "board") -> None:
        self.path = directory / name
        self.log = directory / f"{name}.log"
        self.pty = ""
        self._process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        with self.log.open("a") as log:
            self._process = subprocess.Popen(
                self.command, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL,
                text=True, cwd=REPO, start_new_session=True,
            )
        assert self._process.stdout is not None
        line = self._process.stdout.readline().strip()  # blocks until the board prints it
        if not line or not line.startswith(self.prefix):
            self.stop()
            raise RuntimeError(f"{self.command[0]} printed {line!r}:\n{self.log.read_text()}")
        self.pty = line.removeprefix(self.prefix)
        tmp = self.path.with_suffix(".new")
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(self.pty)
        tmp.replace(self.path)

    def stop(self) -> None:
        """SIGTERM and wait: the pty vanishes, as a pulled cable's device does."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None


class SimavrBoard(Board):
    """The firmware on simavr, its EEPROM in ``eeprom`` (in the test's directory): kept across
    restarts of the harness, SIGKILL included, as a board's across power cycles."""

    def __init__(self, directory: Path, name: str = "simavr") -> None:
        super().__init__(directory, name)
        self.eeprom = directory / f"{name}.eeprom"
        self.command = [str(HARNESS), "--eeprom", str(self.eeprom), str(FIRMWARE_ELF)]

    def kill(self) -> None:
        """SIGKILL: no chance to save anything, as a board's power pulled."""
        process, self._process = self._process, None
        if process is None:
            return
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        if process.stdout is not None:
            process.stdout.close()


class EmulatorBoard(Board):
    prefix = "pty: "

    def __init__(self, directory: Path, name: str = "emulator") -> None:
        super().__init__(directory, name)
        # Its memory in the test's directory: a memory left by another run would take this
        # run's TCs for ones it has already executed.
        self.command = [sys.executable, "-m", "roverops.cli", "rover", "--pty",
                        "--data-dir", str(directory / f"{name}-data")]
