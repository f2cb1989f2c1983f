"""The ground's retransmission of silent commands, and the radiation window, on the memory bus
with a fake clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from ground.delivery import MAX_RETRANSMISSIONS, RADIATION_WINDOW
from ground.store import CommandRecord
from spacelink.packets import Verification, parse_tc
from tests.ground.groundkit import OWLT_S, Ground

GRACE_S = 30.0  # max(30 s, 10 % of a 200 s round trip)


@pytest.fixture
def ground(tmp_path: Path) -> Ground:
    return Ground(tmp_path / "ground.sqlite3")


async def radiated(ground: Ground, name: str = "PING") -> CommandRecord:
    command = ground.commanding.submit("zhurong", name, {})
    await ground.commanding.radiate_ready("zhurong")
    return current(ground, command.id)


def current(ground: Ground, command_id: int) -> CommandRecord:
    record = ground.store.command(command_id)
    assert record is not None
    return record


def seq_of(ground: Ground, command_id: int) -> int:
    seq = current(ground, command_id).seq_count
    assert seq is not None, f"command {command_id} has no sequence count"
    return seq


async def test_a_silent_command_goes_again_with_the_same_bytes_then_times_out(
        ground: Ground) -> None:
    command = await radiated(ground)
    assert command.state == "radiated" and len(ground.uplinked()) == 1
    for attempt in range(1, MAX_RETRANSMISSIONS + 1):
        ground.clock.advance(2 * OWLT_S + GRACE_S)  # exactly at the end of the grace: waits
        await ground.commanding.check_silence()
        assert len(ground.uplinked()) == attempt
        ground.clock.advance(1)
        await ground.commanding.check_silence()
        assert len(ground.uplinked()) == attempt + 1
        record = current(ground, command.id)
        assert record.state == "radiated" and record.retransmissions == attempt
        assert record.history[-1].detail is not None
        assert record.history[-1].detail.startswith(
            f"retransmitted {attempt}/{MAX_RETRANSMISSIONS}: no acceptance")
        now = ground.clock().timestamp()
        assert record.radiated_at == now
        assert record.predicted_arrival == now + OWLT_S
        assert record.predicted_ack == now + 2 * OWLT_S
        assert record.deadline is not None and record.deadline > now + 2 * OWLT_S
    uplinked = ground.uplinked()
    assert len(set(uplinked)) == 1, "every radiation is the same TC, byte for byte"
    assert parse_tc(uplinked[0]).seq_count == command.seq_count
    ground.clock.advance(2 * OWLT_S + GRACE_S + 1)
    await ground.commanding.check_silence()
    record = current(ground, command.id)
    assert record.state == "timed_out"
    assert record.error is not None
    assert record.error.endswith(f"after {MAX_RETRANSMISSIONS} retransmissions")
    assert len(ground.uplinked()) == MAX_RETRANSMISSIONS + 1


async def test_an_accepted_command_silent_past_its_deadline_goes_again(ground: Ground) -> None:
    command = await radiated(ground)
    seq = command.seq_count
    assert seq is not None and command.deadline is not None
    ground.report(0, Verification.ACCEPTANCE_SUCCESS, seq)
    ground.clock.advance(command.deadline - ground.clock().timestamp() + 1)
    await ground.commanding.check_silence()
    record = current(ground, command.id)
    assert len(ground.uplinked()) == 2 and record.retransmissions == 1
    assert record.state == "accepted", "a state never moves back"
    assert "no completion report by the deadline" in (record.history[-1].detail or "")
    # The rover remembers it: acceptance again, and its final report replayed.
    ground.report(1, Verification.ACCEPTANCE_SUCCESS, seq)
    ground.report(2, Verification.COMPLETION_SUCCESS, seq)
    assert current(ground, command.id).state == "completed"


async def test_a_late_acceptance_after_timed_out_still_wins(ground: Ground) -> None:
    command = await radiated(ground)
    for _ in range(MAX_RETRANSMISSIONS + 1):
        ground.clock.advance(2 * OWLT_S + GRACE_S + 1)
        await ground.commanding.check_silence()
    assert current(ground, command.id).state == "timed_out"
    assert command.seq_count is not None
    ground.report(0, Verification.ACCEPTANCE_SUCCESS, command.seq_count)
    assert current(ground, command.id).state == "accepted"
    await ground.commanding.check_silence()
    assert current(ground, command.id).state == "accepted", "not given up again at once"
    ground.report(1, Verification.COMPLETION_SUCCESS, command.seq_count)
    assert current(ground, command.id).state == "completed"
    assert len(ground.uplinked()) == MAX_RETRANSMISSIONS + 1


async def test_a_closed_link_holds_retransmissions_until_it_opens(ground: Ground) -> None:
    command = await radiated(ground)
    ground.link_open = False
    ground.clock.advance(10 * (2 * OWLT_S + GRACE_S))
    await ground.commanding.check_silence()
    record = current(ground, command.id)
    assert len(ground.uplinked()) == 1
    assert record.state == "radiated" and record.retransmissions == 0
    ground.link_open = True
    await ground.commanding.check_silence()
    assert len(ground.uplinked()) == 2
    assert current(ground, command.id).retransmissions == 1


async def test_retransmissions_are_counted_across_a_ground_restart(ground: Ground) -> None:
    command = await radiated(ground)
    ground.clock.advance(2 * OWLT_S + GRACE_S + 1)
    await ground.commanding.check_silence()
    ground.restart()
    assert current(ground, command.id).retransmissions == 1
    for _ in range(MAX_RETRANSMISSIONS):
        ground.clock.advance(2 * OWLT_S + GRACE_S + 1)
        await ground.commanding.check_silence()
    assert current(ground, command.id).state == "timed_out"
    assert len(ground.uplinked()) == MAX_RETRANSMISSIONS + 1


async def test_the_window_holds_the_next_command_queued(ground: Ground) -> None:
    ids = [ground.commanding.submit("zhurong", "PING", {}).id
           for _ in range(RADIATION_WINDOW + 1)]
    await ground.commanding.radiate_ready("zhurong")
    states = [current(ground, i).state for i in ids]
    assert states == ["radiated"] * RADIATION_WINDOW + ["queued"]
    assert len(ground.uplinked()) == RADIATION_WINDOW
    # A newer command ending frees no place: the oldest must stay in the rover's memory.
    ground.report(0, Verification.COMPLETION_SUCCESS, seq_of(ground, ids[5]))
    await ground.commanding.radiate_ready("zhurong")
    assert current(ground, ids[-1]).state == "queued"
    ground.report(1, Verification.COMPLETION_SUCCESS, seq_of(ground, ids[0]))
    await ground.commanding.radiate_ready("zhurong")
    assert current(ground, ids[-1]).state == "radiated"
