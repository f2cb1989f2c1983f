"""Fixtures shared by every test folder: a real Mosquitto and an in-memory broker."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.memory_bus import MemoryBroker
from tests.support.mosquitto import Mosquitto, find_mosquitto


@pytest.fixture
def mosquitto(tmp_path: Path) -> Iterator[Mosquitto]:
    """A real Mosquitto on 127.0.0.1 and a free port, with persistence in ``tmp_path``."""
    try:
        find_mosquitto()
    except RuntimeError as exc:
        pytest.skip(f"needs the mosquitto package: {exc}")
    broker = Mosquitto(tmp_path / "mosquitto")
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


@pytest.fixture
def memory_broker() -> MemoryBroker:
    return MemoryBroker()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Where `make test` installed every system package, a skipped test is a failed one."""
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    required = os.environ.get("ROVEROPS_REQUIRE_ALL")
    if report.skipped and required and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.longrepr = f"skipped on a machine where nothing may be skipped: {reason}"
