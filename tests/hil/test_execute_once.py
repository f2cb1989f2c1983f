"""Execute-once across resets on the board: the firmware's memory in EEPROM, the harness's
EEPROM in a file that outlives the harness process (SIGKILL included), REBOOT by the watchdog.
"""

from __future__ import annotations

import os
import random
import select
import time
from pathlib import Path

import pytest

from hil.codegen import commands_id
from hil.conformance.board import Board
from hil.conformance.checks import (
    BOOT_TIMEOUT_S,
    REPLY_TIMEOUT_S,
    board_answers,
    execute_once_across_reset,
    sync_time,
)
from hil.conformance.runner import run_suite
from spacelink.dictionary import DICTIONARY
from spacelink.framing import Deframer, frame
from spacelink.packets import (
    EventReport,
    FailureCode,
    HousekeepingReport,
    Report,
    RequestId,
    Verification,
    VerificationReport,
    build_tc,
    decode_report,
    parse_tm,
)
from spacelink.rovers import ZHURONG
from tests.hil.boards import SimavrBoard

EEPROM_SIZE = 1024  # ATmega328P
# hil/firmware/dedup.c: magic, layout 1, 64 slots, the command table's id; then the slots
HEADER = b"RO\x01\x40" + commands_id(DICTIONARY).to_bytes(2, "big")
SLOT_SIZE = 6  # order, seq (2), command, final, code
V = Verification


def boot_reports(board: SimavrBoard, timeout: float = BOOT_TIMEOUT_S) -> list[Report]:
    """What the board sent from its start up to its first housekeeping, read from the pty
    without flushing it (opening it with pyserial would discard what the boot sent)."""
    fd = os.open(board.path, os.O_RDWR | os.O_NOCTTY | os.O_NONBLOCK)
    deframer = Deframer()
    reports: list[Report] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            for packet in deframer.feed(os.read(fd, 4096)):
                report = decode_report(DICTIONARY, parse_tm(packet))
                if isinstance(report, HousekeepingReport):
                    return reports
                reports.append(report)
    finally:
        os.close(fd)
    raise AssertionError(f"no housekeeping within {timeout} s of the start; got {reports}")


def verifications(reports: list[Report]) -> list[tuple[str, int, FailureCode | None]]:
    return [(r.kind.name, r.request_id.seq_count, r.failure) for r in reports
            if isinstance(r, VerificationReport)]


def is_boot(report: Report) -> bool:
    return isinstance(report, EventReport) and report.event.name == "BOOT"


def drive_bytes(board: Board) -> bytes:
    return board.tc("DRIVE", {"distance_m": 20.0, "speed_mps": 0.05}).pack()


def send_and_finish(board: Board, packet: bytes) -> list[str]:
    """``packet`` sent; this request's reports up to its final one, by kind."""
    rid = RequestId.unpack(packet)
    mark = board.mark()
    board.send_raw(frame(packet))
    return [r.kind.name for r in board.wait_final(rid, mark, REPLY_TIMEOUT_S)]


def slots(image: bytes) -> list[bytes]:
    start = len(HEADER)
    return [image[start + i * SLOT_SIZE: start + (i + 1) * SLOT_SIZE] for i in range(64)]


def image_with(header: bytes, *entries: bytes) -> bytes:
    """An EEPROM image: ``header``, then ``entries`` in the first slots, the rest erased."""
    image = bytearray(b"\xff" * EEPROM_SIZE)
    image[:len(header)] = header
    for i, entry in enumerate(entries):
        image[len(HEADER) + i * SLOT_SIZE: len(HEADER) + (i + 1) * SLOT_SIZE] = entry
    return bytes(image)


def command_index(name: str) -> int:
    return next(i for i, c in enumerate(DICTIONARY.commands) if c.name == name)


@pytest.mark.hil
def test_execute_once_across_reset_on_simavr(simavr_board: SimavrBoard) -> None:
    lines: list[str] = []
    results = run_suite(str(simavr_board.path), 115200, ZHURONG, show=lines.append,
                        checks=(("board answers", board_answers), ("sync time", sync_time),
                                ("execute-once across reset", execute_once_across_reset)))
    assert all(r.passed for r in results), "\n".join(lines)


@pytest.mark.hil
def test_eeprom_file_survives_a_sigkill(firmware_built: None, tmp_path: Path) -> None:
    """A DRIVE under way when the harness is SIGKILLed (power pulled): at the next start on
    the same EEPROM file, BOOT then COMPLETION_FAILURE RESET for it; delivered again, it is
    acknowledged and answered RESET, never started."""
    sim = SimavrBoard(tmp_path)
    sim.start()
    try:
        with Board(str(sim.path), 115200, ZHURONG) as board:
            board.wait_housekeeping(0, BOOT_TIMEOUT_S)
            drive = drive_bytes(board)
            rid = RequestId.unpack(drive)
            mark = board.mark()
            board.send_raw(frame(drive))
            board.wait_reports(rid, mark, REPLY_TIMEOUT_S, V.START_SUCCESS)
            sim.kill()
        assert sim.eeprom.stat().st_size == EEPROM_SIZE
        sim.start()
        after = boot_reports(sim)
        assert after and is_boot(after[0]), after
        assert verifications(after) == [("COMPLETION_FAILURE", rid.seq_count,
                                         FailureCode.RESET)], after
        reset = next(r for r in after if isinstance(r, VerificationReport))
        assert reset.reason == "DRIVE interrupted by reset", reset
        with Board(str(sim.path), 115200, ZHURONG) as board:
            assert send_and_finish(board, drive) == ["ACCEPTANCE_SUCCESS",
                                                     "COMPLETION_FAILURE"]
            replay = board.reports(rid, 0)[-1]
            assert replay.failure == FailureCode.RESET, replay
            hk = board.wait_housekeeping(board.mark(), 3.5)[0][1]
            assert hk["speed_mps"] == 0.0 and hk["odometer_m"] == 0.0, hk
            assert "START_SUCCESS" not in [r.kind.name for r in board.reports(rid, 0)]
        sim.stop()  # SIGTERM: the file is written at exit, and still says RESET
        sim.start()
        assert verifications(boot_reports(sim)) == []  # nothing left unfinished
        with Board(str(sim.path), 115200, ZHURONG) as board:
            assert send_and_finish(board, drive) == ["ACCEPTANCE_SUCCESS",
                                                     "COMPLETION_FAILURE"]
    finally:
        sim.stop()


RUNNING_DRIVE_5 = bytes([0, 0x00, 0x05, command_index("DRIVE"), 0, 0])  # order 0, seq 5


def _other_layout() -> bytes:
    return image_with(b"RO\x02\x40" + HEADER[4:], RUNNING_DRIVE_5)  # a later layout


@pytest.mark.hil
@pytest.mark.parametrize(("content", "image"), [
    ("no file", None),
    ("an empty file", b""),
    ("erased", b"\xff" * EEPROM_SIZE),
    ("zeros", bytes(EEPROM_SIZE)),
    ("another program's data", random.Random(5).randbytes(EEPROM_SIZE)),
    ("another layout", _other_layout()),
])
def test_foreign_eeprom_is_an_empty_memory(firmware_built: None, tmp_path: Path,
                                           content: str, image: bytes | None) -> None:
    """Whatever the EEPROM holds but this layout, the board starts with nothing remembered:
    no report at boot, every TC executed, and the EEPROM formatted (header, every slot empty)."""
    sim = SimavrBoard(tmp_path)
    if image is not None:
        sim.eeprom.write_bytes(image)
    sim.start()
    try:
        assert verifications(boot_reports(sim)) == [], content
        with Board(str(sim.path), 115200, ZHURONG) as board:
            packet = build_tc(DICTIONARY, ZHURONG.apid, 5, "PING", {}).pack()
            assert send_and_finish(board, packet) == ["ACCEPTANCE_SUCCESS", "START_SUCCESS",
                                                      "COMPLETION_SUCCESS"]
    finally:
        sim.stop()
    saved = sim.eeprom.read_bytes()
    assert saved[:len(HEADER)] == HEADER
    used = [s for s in slots(saved) if s[0] != 0xFF]
    assert len(used) == 1 and used[0][1:3] == b"\x00\x05", used  # the PING, and only it


@pytest.mark.hil
def test_harness_refuses_an_eeprom_file_too_large(firmware_built: None,
                                                  tmp_path: Path) -> None:
    sim = SimavrBoard(tmp_path)
    sim.eeprom.write_bytes(b"\xff" * (EEPROM_SIZE + 1))
    with pytest.raises(RuntimeError, match="larger than the MCU's EEPROM"):
        sim.start()
    assert sim.eeprom.stat().st_size == EEPROM_SIZE + 1  # left as it was


@pytest.mark.hil
@pytest.mark.parametrize(("table", "reason"), [
    ("this command table", "DRIVE interrupted by reset"),
    ("another command table", "interrupted by reset"),
])
def test_boot_answers_what_the_eeprom_left_unfinished(firmware_built: None, tmp_path: Path,
                                                      table: str, reason: str) -> None:
    """The layout read as dedup.c says: a DRIVE remembered without a final report, oldest, and
    a REBOOT, newer, both unfinished: after BOOT the DRIVE gets RESET, then the REBOOT its
    completion. Kept under another firmware's command table, the memory still holds, but no
    longer names the command (and cannot tell a REBOOT)."""
    header = HEADER if table == "this command table" else HEADER[:4] + b"\x00\x00"
    reboot = bytes([1, 0x00, 0x06, command_index("REBOOT"), 0, 0])  # order 1, seq 6
    sim = SimavrBoard(tmp_path)
    sim.eeprom.write_bytes(image_with(header, RUNNING_DRIVE_5, reboot))
    sim.start()
    try:
        after = boot_reports(sim)
        assert is_boot(after[0]), after
        found = verifications(after)
        if table == "this command table":
            assert found == [("COMPLETION_FAILURE", 5, FailureCode.RESET),
                             ("COMPLETION_SUCCESS", 6, None)], after
        else:
            assert found == [("COMPLETION_FAILURE", 5, FailureCode.RESET),
                             ("COMPLETION_FAILURE", 6, FailureCode.RESET)], after
        first = next(r for r in after if isinstance(r, VerificationReport))
        assert first.reason == reason
        with Board(str(sim.path), 115200, ZHURONG) as board:
            drive = build_tc(DICTIONARY, ZHURONG.apid, 5, "DRIVE",
                             DICTIONARY.command("DRIVE").validate({"distance_m": 1.0})).pack()
            assert send_and_finish(board, drive) == ["ACCEPTANCE_SUCCESS", "COMPLETION_FAILURE"]
            assert board.reports(RequestId.unpack(drive), 0)[-1].reason == reason
    finally:
        sim.stop()
    saved = sim.eeprom.read_bytes()
    assert saved[:len(HEADER)] == HEADER  # the table adopted
    reboot_final = V.COMPLETION_SUCCESS if table == "this command table" else V.COMPLETION_FAILURE
    assert [s[4] for s in slots(saved)[:2]] == [V.COMPLETION_FAILURE, reboot_final]
