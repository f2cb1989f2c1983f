"""roverops parts as real subprocesses, with their output kept for the failure message."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from tests.support.waiting import wait_for_sync


class Part:
    """One ``roverops`` subcommand running as its own process."""

    def __init__(self, directory: Path, name: str, args: list[str],
                 env: dict[str, str] | None = None) -> None:
        self.directory = directory
        self.name = name
        self.args = args
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.stdout_path = directory / f"{name}.out"
        self.stderr_path = directory / f"{name}.err"
        self.process: subprocess.Popen[bytes] | None = None
        self._output_from = 0  # where this run's output starts: a restart appends

    def start(self) -> Part:
        self.directory.mkdir(parents=True, exist_ok=True)
        self._output_from = len(self.stdout)
        with self.stdout_path.open("ab") as out, self.stderr_path.open("ab") as err:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "roverops.cli", *self.args], stdout=out, stderr=err,
                env=self.env, stdin=subprocess.DEVNULL)
        return self

    @property
    def stdout(self) -> str:
        return self.stdout_path.read_text() if self.stdout_path.exists() else ""

    @property
    def stderr(self) -> str:
        return self.stderr_path.read_text() if self.stderr_path.exists() else ""

    def wait_for_output(self, pattern: str, timeout: float = 30.0) -> re.Match[str]:
        found: list[re.Match[str]] = []

        def seen() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise AssertionError(f"{self.name} exited with {self.process.returncode}:\n"
                                     f"{self.stderr[-3000:]}")
            match = re.search(pattern, self.stdout[self._output_from:])
            if match:
                found.append(match)
            return bool(match)

        wait_for_sync(seen, timeout, f"{self.name} to print {pattern!r}")
        return found[0]

    def stop(self, sig: int = signal.SIGINT, timeout: float = 20.0) -> int:
        """Ask it to stop; its exit status (it is killed, and the test fails, if it hangs)."""
        process = self.process
        if process is None or process.poll() is not None:
            return process.returncode if process is not None else 0
        process.send_signal(sig)
        try:
            return process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError(f"{self.name} did not stop within {timeout} s of "
                                 f"{signal.Signals(sig).name}") from None

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def run_cli(args: list[str], timeout: float = 30.0, env: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess[str]:
    """A roverops command run to its end."""
    return subprocess.run([sys.executable, "-m", "roverops.cli", *args], capture_output=True,
                            text=True, timeout=timeout, env={**os.environ, **(env or {})},
                            stdin=subprocess.DEVNULL, check=False)


class Process:
    """Any command with its output appended to ``log``; stopped with SIGTERM (killed if it
    hangs). ``env`` adds to the test's environment."""

    def __init__(self, args: list[str], log: Path, cwd: Path | None = None,
                 env: dict[str, str] | None = None) -> None:
        with log.open("a") as out:
            self.process = subprocess.Popen(args, cwd=cwd, env={**os.environ, **(env or {})},
                                            stdout=out, stderr=subprocess.STDOUT,
                                            stdin=subprocess.DEVNULL)
        self.log = log

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
