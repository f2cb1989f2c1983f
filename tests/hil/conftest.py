"""Fixtures of the HIL tests: the built firmware and harness, and boards to talk to."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.hil.boards import EmulatorBoard, SimavrBoard, build_firmware


@pytest.fixture(scope="session")
def firmware_built() -> None:
    build_firmware()


@pytest.fixture
def simavr_board(firmware_built: None, tmp_path: Path) -> Iterator[SimavrBoard]:
    board = SimavrBoard(tmp_path)
    board.start()
    try:
        yield board
    finally:
        board.stop()


@pytest.fixture
def emulator_board(tmp_path: Path) -> Iterator[EmulatorBoard]:
    board = EmulatorBoard(tmp_path)
    board.start()
    try:
        yield board
    finally:
        board.stop()
