"""The conformance suite passes against the firmware on simavr and the emulator on a pty."""

from __future__ import annotations

import subprocess
import sys

import pytest

from hil.conformance.runner import Result, run_suite
from spacelink.rovers import ZHURONG
from tests.hil.boards import REPO, EmulatorBoard, SimavrBoard


def failures(results: list[Result]) -> list[str]:
    return [f"{r.name}: {r.detail}" for r in results if not r.passed]


@pytest.mark.hil
def test_firmware_on_simavr_conforms(simavr_board: SimavrBoard) -> None:
    lines: list[str] = []
    results = run_suite(str(simavr_board.path), 115200, ZHURONG, show=lines.append)
    assert len(results) >= 16
    assert failures(results) == [], "\n".join(lines)


@pytest.mark.integration
def test_emulator_on_a_pty_conforms(emulator_board: EmulatorBoard) -> None:
    lines: list[str] = []
    results = run_suite(str(emulator_board.path), 115200, ZHURONG, show=lines.append)
    assert failures(results) == [], "\n".join(lines)


@pytest.mark.hil
def test_hil_check_command_exit_status(simavr_board: SimavrBoard) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "roverops.cli", "hil-check", "--port", str(simavr_board.path)],
        cwd=REPO, capture_output=True, text=True, timeout=180, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "16/16 checks passed" in done.stdout


@pytest.mark.hil
def test_hil_check_fails_on_a_silent_port(tmp_path: object) -> None:
    import os
    import pty

    master, slave = pty.openpty()
    try:
        results = run_suite(os.ttyname(slave), 115200, ZHURONG, show=lambda _: None)
    finally:
        os.close(master)
        os.close(slave)
    assert not results[0].passed
    assert all(not r.passed for r in results)
