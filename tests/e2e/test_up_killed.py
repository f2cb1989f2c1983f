"""``roverops up`` SIGKILLed under load: the embedded broker dies with everything else.

What the embedded (in-process, amqtt) broker held is gone with it: its sessions, queued
messages and retained state. What is on disk survives: the ground's store (every command
answered 201, sequence counts, the archive), the DSN's journal of packets in flight, the
rover's non-volatile memory. The restarted system republishes its retained state, the DSN
releases its journal, and the ground retransmits what was lost between the hops; the rover
executes each command once. So after the restart every command still ends, once.
"""

from __future__ import annotations

import itertools
import threading
from pathlib import Path

import pytest

from roverops.broker import free_port
from tests.support.chaos import (
    TOKEN,
    ChaosFigures,
    Operator,
    api_client,
    audit,
    online,
)
from tests.support.processes import Part
from tests.support.waiting import wait_for_sync

pytestmark = pytest.mark.integration


def test_up_killed_mid_traffic_loses_nothing_and_repeats_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()
    up = Part(tmp_path, "up", [
        "up", "--http-port", str(port), "--light-time", "fixed:10", "--time-scale", "10",
        "--data-dir", str(tmp_path / "data")], env={"ROVEROPS_TOKEN": TOKEN})
    stop = threading.Event()
    base_url = f"http://127.0.0.1:{port}"
    crew = [Operator(lambda: api_client(base_url), seed, 0.3, stop) for seed in range(2)]
    figures = ChaosFigures(kills=["up"])
    try:
        up.start().wait_for_output(r"roverops console: (http://\S+)", 60)
        with api_client(base_url) as http:
            wait_for_sync(lambda: online(http), 60, "the rover to come online")
        for operator in crew:
            operator.start()
        stop.wait(6.0)  # traffic in flight everywhere
        up.kill()
        up.start().wait_for_output(r"roverops console: (http://\S+)", 60)
        stop.wait(4.0)
        stop.set()
        for operator in crew:
            operator.join(70)
            assert operator.error is None, f"{operator.name}: {operator.error!r}"
        ids = sorted(itertools.chain.from_iterable(o.ids for o in crew))
        with api_client(base_url) as http:
            audit(http, ids, figures, drain_timeout_s=180)
    finally:
        stop.set()
        up.stop()
    with capsys.disabled():
        print(f"\nup killed: {figures.summary()}")
    assert figures.submitted >= 30
    assert figures.lost == figures.timed_out == 0
    assert figures.failed_otherwise == []
    assert figures.executed_twice == figures.never_executed == 0
    assert figures.duplicate_samples == figures.duplicate_events == 0
