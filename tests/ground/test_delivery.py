"""The retransmission and radiation-window rules, on their own."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ground.delivery import (
    MAX_RETRANSMISSIONS,
    RADIATION_WINDOW,
    next_move,
    silence,
    window_allows,
)
from ground.lifecycle import State
from rover_fw_sim.requests import MEMORY
from spacelink.packets import SEQ_COUNT_MODULO

OWLT = 600.0  # a round trip of 1200 s: the grace is 10 % of it, 120 s


@dataclass(frozen=True)
class Flight:
    state: State = "radiated"
    radiated_at: float | None = 0.0
    predicted_ack: float | None = 2 * OWLT
    deadline: float | None = 2 * OWLT + 300 + 120
    retransmissions: int = 0


def test_silent_past_the_acknowledgement_and_grace_is_retransmitted() -> None:
    flight = Flight()
    assert next_move(flight, 2 * OWLT + 120, link_open=True) is None
    move = next_move(flight, 2 * OWLT + 121, link_open=True)
    assert move is not None and move.action == "retransmit" and move.attempt == 1
    assert move.detail.startswith(f"retransmitted 1/{MAX_RETRANSMISSIONS}: no acceptance 120 s")


def test_accepted_past_the_deadline_is_retransmitted() -> None:
    flight = Flight(state="started", retransmissions=1)
    assert next_move(flight, flight.deadline or 0, link_open=True) is None
    move = next_move(flight, (flight.deadline or 0) + 1, link_open=True)
    assert move is not None and move.action == "retransmit" and move.attempt == 2
    assert "no completion report" in move.reason


def test_spent_retransmissions_time_out_even_with_the_link_closed() -> None:
    flight = Flight(retransmissions=MAX_RETRANSMISSIONS)
    move = next_move(flight, 10_000, link_open=False)
    assert move is not None and move.action == "time_out"
    assert move.detail.endswith(f"after {MAX_RETRANSMISSIONS} retransmissions")


def test_a_closed_link_waits() -> None:
    assert next_move(Flight(), 10_000, link_open=False) is None


@pytest.mark.parametrize("state", ["queued", "completed", "timed_out", "cancelled"])
def test_only_commands_in_flight_can_be_silent(state: State) -> None:
    assert silence(Flight(state=state), 1e9) is None


def test_the_window_counts_sequence_counts_not_commands() -> None:
    assert window_allows(0, [])
    assert window_allows(RADIATION_WINDOW - 1, range(RADIATION_WINDOW - 1))
    assert not window_allows(RADIATION_WINDOW, range(RADIATION_WINDOW))
    # One silent command at 5 holds the window even when everything after it has ended.
    assert window_allows(5 + RADIATION_WINDOW - 1, [5])
    assert not window_allows(5 + RADIATION_WINDOW, [5])


def test_the_window_spans_the_wrap_of_the_count() -> None:
    oldest = SEQ_COUNT_MODULO - 3
    assert window_allows(RADIATION_WINDOW - 4, [oldest])
    assert not window_allows(RADIATION_WINDOW - 3, [oldest])


def test_the_window_fits_in_the_rover_memory() -> None:
    # Whatever the rover accepted after the oldest command in flight fits beside it.
    assert RADIATION_WINDOW < MEMORY
