"""The command lifecycle, as pure rules.

``queued -> radiated -> accepted -> started -> completed``, or the terminal ``rejected``,
``failed``, ``timed_out``, ``cancelled``. A state only moves forward: a verification report
replayed by the rover for a duplicate TC changes nothing. ``timed_out`` is the ground's
guess, not the rover's word (made once retransmissions are spent, see :mod:`ground.delivery`),
so a report that arrives late still overrides it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from spacelink.packets import Verification

State = Literal["queued", "radiated", "accepted", "started", "completed", "rejected", "failed",
                "timed_out", "cancelled"]
STATES: Final[tuple[State, ...]] = ("queued", "radiated", "accepted", "started", "completed",
                                    "rejected", "failed", "timed_out", "cancelled")
TERMINAL: Final[frozenset[State]] = frozenset(
    {"completed", "rejected", "failed", "timed_out", "cancelled"})
ACTIVE: Final[tuple[State, ...]] = ("radiated", "accepted", "started")

_RANK: Final[dict[State, int]] = {
    "queued": 0, "radiated": 1, "accepted": 2, "started": 3, "timed_out": 3,
    "completed": 4, "rejected": 4, "failed": 4, "cancelled": 4,
}

REPORT_STATE: Final[dict[Verification, State]] = {
    Verification.ACCEPTANCE_SUCCESS: "accepted",
    Verification.ACCEPTANCE_FAILURE: "rejected",
    Verification.START_SUCCESS: "started",
    Verification.START_FAILURE: "failed",
    Verification.PROGRESS_SUCCESS: "started",
    Verification.PROGRESS_FAILURE: "failed",
    Verification.COMPLETION_SUCCESS: "completed",
    Verification.COMPLETION_FAILURE: "failed",
}

# How long after a predicted answer silence means it is lost (then see ground.delivery).
TIMEOUT_GRACE_S: Final = 30.0
TIMEOUT_GRACE_FRACTION: Final = 0.1


@dataclass(frozen=True, slots=True)
class Step:
    """What a verification report does to a command: a new state, or only new progress."""

    state: State
    progress: int | None
    is_transition: bool


def apply_report(current: State, kind: Verification, step: int | None) -> Step | None:
    """The effect of a report on a command in ``current``; None when it changes nothing."""
    target = REPORT_STATE[kind]
    if current == "timed_out":
        return Step(target, step, True)  # late truth beats our guess
    if _RANK[target] < _RANK[current] or current in TERMINAL:
        return None
    if target == current:
        if kind == Verification.PROGRESS_SUCCESS and step is not None:
            return Step(current, step, False)
        return None
    return Step(target, step if kind == Verification.PROGRESS_SUCCESS else None, True)


def can_cancel(state: State) -> bool:
    return state == "queued"


def grace_s(round_trip_s: float) -> float:
    """How long past a predicted answer silence is still only lateness."""
    return max(TIMEOUT_GRACE_S, TIMEOUT_GRACE_FRACTION * round_trip_s)


def silence_deadline(radiated_at: float, owlt_s: float, run_s: float) -> float:
    """Mission time after which a radiated command with no final report is overdue; ``run_s``
    is how long it runs on the rover, as the dictionary declares it
    (:meth:`spacelink.dictionary.Command.duration_s`), and half as long again is allowed."""
    round_trip = 2 * owlt_s
    return radiated_at + round_trip + 1.5 * run_s + grace_s(round_trip)


def revived_deadline(heard_at: float, owlt_s: float, run_s: float) -> float:
    """A new deadline for a ``timed_out`` command the rover turns out to have taken: its final
    report is one run behind the report just heard (else the old deadline, long past, would
    give it up again at once)."""
    return heard_at + 1.5 * run_s + grace_s(2 * owlt_s)
