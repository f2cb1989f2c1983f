from __future__ import annotations

import pytest

from ground.lifecycle import apply_report, can_cancel, revived_deadline, silence_deadline
from spacelink.dictionary import DICTIONARY
from spacelink.packets import Verification as V


def test_happy_path_moves_forward() -> None:
    steps = [("radiated", V.ACCEPTANCE_SUCCESS, "accepted"),
             ("accepted", V.START_SUCCESS, "started"),
             ("started", V.COMPLETION_SUCCESS, "completed")]
    for current, kind, target in steps:
        step = apply_report(current, kind, None)  # type: ignore[arg-type]
        assert step is not None and step.state == target and step.is_transition


def test_progress_updates_without_a_transition() -> None:
    step = apply_report("started", V.PROGRESS_SUCCESS, 40)
    assert step is not None and not step.is_transition and step.progress == 40


def test_replayed_acceptance_after_completion_changes_nothing() -> None:
    assert apply_report("completed", V.ACCEPTANCE_SUCCESS, None) is None
    assert apply_report("started", V.ACCEPTANCE_SUCCESS, None) is None


def test_late_truth_overrides_a_timeout() -> None:
    step = apply_report("timed_out", V.COMPLETION_SUCCESS, None)
    assert step is not None and step.state == "completed"


@pytest.mark.parametrize(("kind", "state"), [
    (V.ACCEPTANCE_FAILURE, "rejected"), (V.START_FAILURE, "failed"),
    (V.COMPLETION_FAILURE, "failed")])
def test_failures(kind: V, state: str) -> None:
    step = apply_report("radiated", kind, None)
    assert step is not None and step.state == state


def test_only_queued_commands_can_be_cancelled() -> None:
    assert can_cancel("queued")
    assert not any(can_cancel(s) for s in ("radiated", "accepted", "completed", "cancelled"))


def test_deadline_allows_the_declared_run_half_as_long_again() -> None:
    # a 10 m reverse at 0.05 m/s runs 200 s, as the dictionary declares DRIVE's duration
    run_s = DICTIONARY.command("DRIVE").duration_s({"distance_m": -10.0, "speed_mps": 0.05})
    assert run_s == pytest.approx(200)
    # round trip 2 x 600 s, 1.5 x run, grace 10 % of the round trip
    assert silence_deadline(0.0, 600.0, run_s) == pytest.approx(1200 + 300 + 120)
    # a short light time: the grace is the 30 s floor
    assert silence_deadline(0.0, 5.0, run_s) == pytest.approx(10 + 300 + 30)
    assert revived_deadline(1000.0, 600.0, run_s) == pytest.approx(1000 + 300 + 120)
