"""A real `roverops rover --pty` process SIGKILLed mid-drive and started again on its data dir:
the drive gets its final answer, and a re-sent copy of its TC never runs. A second process on
the same memory is refused."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from rover_fw_sim.nvm_sqlite import SqliteNvm, file_name
from spacelink.dictionary import Value
from spacelink.framing import Deframer, frame
from spacelink.packets import FailureCode, HousekeepingReport, Telemetry, Verification, parse_tm
from spacelink.rovers import ZHURONG
from tests.rover_fw_sim.tctools import events, failure, kinds, reports, tc
from tests.support.processes import Part, run_cli
from tests.support.waiting import wait_for_sync

pytestmark = pytest.mark.integration

V = Verification
TIMEOUT_S = 15.0


class Line:
    """Our end of the rover's pty, opened without the input flush pyserial does at open, so
    what the rover wrote as it booted, before we opened it, is read too."""

    def __init__(self, path: str) -> None:
        self._fd = os.open(path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
        self.deframer = Deframer()
        self.tms: list[Telemetry] = []

    def send(self, data: bytes) -> None:
        os.write(self._fd, data)

    def pump(self) -> list[Telemetry]:
        try:
            data = os.read(self._fd, 65536)
        except BlockingIOError:
            data = b""
        except OSError as exc:  # EIO: the rover's end is gone
            if exc.errno != errno.EIO:
                raise
            data = b""
        self.tms += [parse_tm(p) for p in self.deframer.feed(data)]
        return self.tms

    def close(self) -> None:
        os.close(self._fd)


def _line(rover: Part) -> Line:
    return Line(rover.start().wait_for_output(r"pty: (\S+)").group(1))


def _essential_after(tms: list[Telemetry], index: int) -> dict[str, Value] | None:
    found = [r.values for r in reports(tms[index:])
             if isinstance(r, HousekeepingReport) and r.structure.sid == 1]
    return found[0] if found else None


def test_killed_mid_drive_it_answers_the_drive_and_never_runs_it_again(tmp_path: Path) -> None:
    drive = frame(tc("DRIVE", seq=5, distance_m=10.0))  # 200 s at 0.05 m/s: still going
    rover = Part(tmp_path, "rover", ["rover", "--pty", "--data-dir", str(tmp_path / "data")])
    try:
        line = _line(rover)
        line.send(drive)
        wait_for_sync(lambda: V.START_SUCCESS in kinds(line.pump(), 5), TIMEOUT_S,
                      "the drive to start")
        last_before = line.tms[-1].seq_count
        rover.kill()  # SIGKILL: no last word
        line.close()

        line = _line(rover)
        wait_for_sync(lambda: V.COMPLETION_FAILURE in kinds(line.pump(), 5), TIMEOUT_S,
                      "the drive's final answer after the restart")
        assert failure(line.tms, 5) == (FailureCode.RESET, "DRIVE interrupted by reset")
        assert events(line.tms)[0][0] == "BOOT"
        assert line.tms[0].seq_count > last_before  # the TM numbering runs on

        line.send(drive)  # the same TC again, as a redelivery or a retry would bring it
        wait_for_sync(lambda: kinds(line.pump(), 5).count(V.COMPLETION_FAILURE) == 2,
                      TIMEOUT_S, "the replayed answer")
        assert kinds(line.tms, 5) == [V.COMPLETION_FAILURE, V.ACCEPTANCE_SUCCESS,
                                      V.COMPLETION_FAILURE]
        replayed_at = len(line.tms)
        wait_for_sync(lambda: _essential_after(line.pump(), replayed_at), TIMEOUT_S,
                      "housekeeping after the replay")
        values = _essential_after(line.tms, replayed_at)
        assert values is not None
        assert (values["cmd_accepted"], values["cmd_executed"]) == (1, 0)  # counted once
        assert (values["speed_mps"], values["odometer_m"]) == (0.0, 0.0)  # not driving again
        line.close()
    finally:
        rover.kill()


def test_a_second_rover_on_the_same_memory_is_refused_in_one_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with SqliteNvm(data / file_name(ZHURONG)):  # the first rover, still running
        result = run_cli(["rover", "--pty", "--data-dir", str(data)])
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    complaints = [line for line in result.stderr.splitlines() if " INFO " not in line]
    assert len(complaints) == 1 and "in use by another process" in complaints[0], result.stderr
