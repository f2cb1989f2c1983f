"""Execute-once across resets: a new flight-software instance on the same non-volatile memory
is the same rover rebooted. Each test runs on the in-RAM memory and on the SQLite file."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from rover_fw_sim import nvm_sqlite
from rover_fw_sim.flight import FlightSoftware
from rover_fw_sim.nvm import NonVolatile, RamNvm
from rover_fw_sim.nvm_sqlite import SqliteNvm
from rover_fw_sim.requests import MEMORY
from spacelink.packets import FailureCode, Verification, parse_tm
from spacelink.rovers import ZHURONG
from tests.rover_fw_sim.tctools import T0, events, failure, kinds, tc, verifications

V = Verification


class Rover:
    """Boots flight software on one memory; each boot after the first is a reset."""

    def __init__(self, kind: str, path: Path) -> None:
        self.kind = kind
        self.path = path
        self._nvm: NonVolatile | None = None

    def boot(self) -> FlightSoftware:
        if self.kind == "sqlite":
            self.close()  # what the dead instance wrote is on disk: each write commits
            self._nvm = SqliteNvm(self.path)
        elif self._nvm is None:
            self._nvm = RamNvm()
        return FlightSoftware(ZHURONG, T0, seed=1, nvm=self._nvm)

    def close(self) -> None:
        if isinstance(self._nvm, SqliteNvm):
            self._nvm.close()


@pytest.fixture(params=["ram", "sqlite"])
def rover(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Rover]:
    booted = Rover(request.param, tmp_path / "rover-zhurong.sqlite3")
    yield booted
    booted.close()


def at(seconds: float) -> timedelta:
    return timedelta(seconds=seconds)


def test_duplicate_after_a_reset_is_acknowledged_and_replayed_never_executed(
    rover: Rover,
) -> None:
    first = rover.boot()
    first.handle_tc(tc("DRIVE", seq=4, distance_m=1.0), T0)
    assert kinds(first.tick(T0 + at(100), 1.0), 4)[-1] == V.COMPLETION_SUCCESS

    again = rover.boot()
    tms = again.handle_tc(tc("DRIVE", seq=4, distance_m=1.0), T0)
    assert events(tms)[0][0] == "BOOT"
    assert kinds(tms, 4) == [V.ACCEPTANCE_SUCCESS, V.COMPLETION_SUCCESS]  # no reset failure
    assert again.physics.motion is None
    assert again.physics.pose.odometer_m == 0.0
    assert (again.counters.accepted, again.counters.executed) == (1, 1)


def test_a_command_cut_short_by_a_reset_fails_with_reset_once(rover: Rover) -> None:
    first = rover.boot()
    tms = first.handle_tc(tc("DRIVE", seq=7, distance_m=10.0), T0)
    tms += first.tick(T0 + at(40), 1.0)
    assert kinds(tms, 7)[-1] == V.PROGRESS_SUCCESS  # under way, no final report: then reset

    again = rover.boot()
    tms = again.tick(T0, 0.0)
    assert failure(tms, 7) == (FailureCode.RESET, "DRIVE interrupted by reset")
    assert kinds(tms, 7) == [V.COMPLETION_FAILURE]
    boot = next(i for i, tm in enumerate(tms) if tm.service == 5)
    answer = next(i for i, tm in enumerate(tms) if tm.service == 1)
    assert boot < answer  # BOOT first: it says why
    assert (again.counters.accepted, again.counters.executed) == (1, 0)

    replay = again.handle_tc(tc("DRIVE", seq=7, distance_m=10.0), T0 + at(1))
    assert kinds(replay, 7) == [V.ACCEPTANCE_SUCCESS, V.COMPLETION_FAILURE]
    assert failure(replay, 7) == (FailureCode.RESET, "DRIVE interrupted by reset")
    assert again.motion is None
    assert again.counters.accepted == 1

    third = rover.boot()
    assert kinds(third.tick(T0, 0.0), 7) == []  # answered once, not at every boot
    assert kinds(third.handle_tc(tc("DRIVE", seq=7, distance_m=10.0), T0), 7) == [
        V.ACCEPTANCE_SUCCESS, V.COMPLETION_FAILURE]


def test_a_duplicate_as_the_first_tc_after_a_reset_gets_the_answer_replayed(
    rover: Rover,
) -> None:
    rover.boot().handle_tc(tc("MAG_SAMPLE", seq=3, duration_s=600), T0)
    tms = rover.boot().handle_tc(tc("MAG_SAMPLE", seq=3, duration_s=600), T0)
    assert kinds(tms, 3) == [V.COMPLETION_FAILURE, V.ACCEPTANCE_SUCCESS, V.COMPLETION_FAILURE]
    answer, replayed = [r for r in verifications(tms, 3) if r.kind.is_failure]
    assert replayed == answer
    assert (answer.failure, answer.reason) == (FailureCode.RESET, "MAG_SAMPLE interrupted by reset")


def test_a_start_failure_is_replayed_after_a_reset(rover: Rover) -> None:
    first = rover.boot()
    first.handle_tc(tc("SET_MODE", seq=1, mode="safe"), T0)
    first.handle_tc(tc("TURN", seq=2, angle_deg=10.0), T0)
    replay = rover.boot().handle_tc(tc("TURN", seq=2, angle_deg=10.0), T0)
    assert kinds(replay, 2) == [V.ACCEPTANCE_SUCCESS, V.START_FAILURE]
    assert failure(replay, 2) == (FailureCode.FORBIDDEN_IN_MODE, "TURN forbidden in safe mode")


def test_counters_and_tm_numbering_continue_across_a_reset(rover: Rover) -> None:
    first = rover.boot()
    sent = first.tick(T0, 0.0) + first.handle_tc(tc("PING", seq=1), T0)
    sent += first.handle_tc(b"junk", T0)

    again = rover.boot()
    values = again.housekeeping_values()
    assert (values["cmd_accepted"], values["cmd_rejected"], values["cmd_executed"]) == (1, 1, 1)
    numbers = [parse_tm(tm.pack()).seq_count for tm in again.tick(T0, 0.0)]
    assert numbers[0] == sent[-1].seq_count + 1
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers)))


def test_the_memory_keeps_the_last_64_across_a_reset(rover: Rover) -> None:
    first = rover.boot()
    for seq in range(1, MEMORY + 7):
        first.handle_tc(tc("PING", seq=seq), T0)
    again = rover.boot()
    again.handle_tc(tc("PING", seq=6), T0)  # forgotten: executed again
    again.handle_tc(tc("PING", seq=MEMORY + 6), T0)  # remembered: not
    assert again.counters.executed == MEMORY + 7


def test_the_file_holds_no_more_than_64(tmp_path: Path) -> None:
    path = tmp_path / nvm_sqlite.file_name(ZHURONG)
    with SqliteNvm(path) as nvm:
        fsw = FlightSoftware(ZHURONG, T0, nvm=nvm)
        for seq in range(1, 2 * MEMORY):
            fsw.handle_tc(tc("PING", seq=seq), T0)
    with contextlib.closing(sqlite3.connect(path)) as db:
        count, oldest = db.execute("SELECT COUNT(*), MIN(seq_count) FROM requests").fetchone()
    assert (count, oldest) == (MEMORY, MEMORY)
    with SqliteNvm(path) as nvm:
        recalled = nvm.recall().requests
    assert [rid.seq_count for rid, _ in recalled] == list(range(MEMORY, 2 * MEMORY))
    assert all(entry.command == "PING" and entry.final is not None for _, entry in recalled)


def test_a_memory_in_use_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(nvm_sqlite, "LOCK_WAIT_S", 0.05)
    path = tmp_path / nvm_sqlite.file_name(ZHURONG)
    with SqliteNvm(path), pytest.raises(OSError, match="in use by another process"):
        SqliteNvm(path)
    SqliteNvm(path).close()  # free again once closed
