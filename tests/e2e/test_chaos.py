"""Nothing lost, nothing twice: every part SIGKILLed in turn under load (tests/support/chaos)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.chaos import run_chaos

pytestmark = pytest.mark.integration


def test_every_part_killed_in_turn_loses_nothing_and_repeats_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    figures = run_chaos(tmp_path)
    with capsys.disabled():
        print(f"\nchaos: {figures.summary()}")
    assert figures.kills == ["broker", "dsn", "ground", "rover", "amnesia"]
    assert figures.submitted >= 150, "too little load to mean anything"
    assert figures.lost == 0
    assert figures.timed_out == 0
    assert figures.failed_otherwise == []
    assert figures.completed + figures.failed_by_reset == figures.submitted
    assert figures.executed_twice == 0 and figures.never_executed == 0
    assert figures.duplicate_samples == 0
    assert figures.duplicate_events == 0
    assert figures.retransmissions > 0, "the broker's lost TCs came back only by retransmission"
