"""The checks of docs/protocol.md, each a function of a :class:`Board` returning its detail.

A check raises :class:`CheckFailed` with what it expected and what it saw. They run in the
order of :data:`CHECKS` on one board; the mission clock runs at :data:`TIME_SCALE` so motions
take a second or two of wall time.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import random
import struct
import time
from collections.abc import Callable
from datetime import UTC, datetime

from hil.conformance.board import FINAL_KINDS, Board, CheckFailed, Received
from spacelink.dictionary import DICTIONARY, MAX_SPEED_MPS, MODES, Value
from spacelink.framing import frame
from spacelink.packets import (
    CUC_EPOCH,
    MAX_TC_SIZE,
    TC_HEADER_SIZE,
    EventReport,
    FailureCode,
    PongReport,
    RequestId,
    Telecommand,
    Verification,
    VerificationReport,
    crc16_ccitt_false,
)

TIME_SCALE = 10.0
BOOT_TIMEOUT_S = 8.0  # an Arduino resets when the port opens; its bootloader waits ~1-2 s
REPLY_TIMEOUT_S = 5.0
MOTION_TIMEOUT_S = 20.0
MIN_FRAMED_PACKET = 8  # spacelink.framing drops shorter packets as too_short
LONG_DRIVE_M = 20.0  # 400 mission s at 0.05 m/s: 40 s at x10, still under way when cut short

V = Verification
Check = Callable[[Board], str]


def _kinds(reports: list[VerificationReport]) -> list[str]:
    return [r.kind.name for r in reports]


def _expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def _sequence_ok(reports: list[VerificationReport], *, progress: bool) -> None:
    """ACCEPTANCE, START, [PROGRESS...], COMPLETION_SUCCESS, with rising progress steps."""
    kinds = [r.kind for r in reports]
    _expect(len(kinds) >= 3 and kinds[0] == V.ACCEPTANCE_SUCCESS and kinds[1] == V.START_SUCCESS
            and kinds[-1] == V.COMPLETION_SUCCESS
            and all(k == V.PROGRESS_SUCCESS for k in kinds[2:-1]),
            f"expected acceptance, start, progress..., completion; got {_kinds(reports)}")
    steps = [r.step or 0 for r in reports[2:-1]]
    _expect(not progress or len(steps) >= 1, f"no progress report: {_kinds(reports)}")
    _expect(steps == sorted(steps) and all(0 <= s <= 100 for s in steps),
            f"progress steps not rising within 0..100: {steps}")


def _run(board: Board, tc: Telecommand, timeout: float = REPLY_TIMEOUT_S
         ) -> list[VerificationReport]:
    mark = board.mark()
    board.send(tc)
    return board.wait_final(tc.request_id, mark, timeout)


def _hk_after(board: Board, mark: int) -> dict[str, Value]:
    """The first SID 1 report generated after ``mark``'s moment (skip one in flight)."""
    reports = board.wait_housekeeping(mark, 3.5, count=2)
    return reports[1][1]


def _ping_works(board: Board) -> float:
    start = time.monotonic()
    reports = _run(board, board.tc("PING"))
    _expect(reports[-1].kind == V.COMPLETION_SUCCESS, f"ping after it: {_kinds(reports)}")
    return (time.monotonic() - start) * 1000


def _mission_seconds_now() -> int:
    return int((datetime.now(UTC) - CUC_EPOCH).total_seconds())


# ----------------------------------------------------------------------------- checks


def board_answers(board: Board) -> str:
    start = time.monotonic()
    board.wait_housekeeping(0, BOOT_TIMEOUT_S)
    return f"SID 1 housekeeping {time.monotonic() - start:.2f} s after opening the port"


def sync_time_command(board: Board, scale: float) -> Telecommand:
    return board.tc("SYNC_TIME", {"seconds": _mission_seconds_now(), "time_scale": scale})


def sync_time(board: Board) -> str:
    tc = sync_time_command(board, TIME_SCALE)
    seconds = int(tc.app_data and struct.unpack(">I", tc.app_data[:4])[0])
    mark = board.mark()
    reports = _run(board, tc)
    _expect(_kinds(reports) == ["ACCEPTANCE_SUCCESS", "START_SUCCESS", "COMPLETION_SUCCESS"],
            f"SYNC_TIME: {_kinds(reports)}")
    hk = board.wait_housekeeping(mark, 3.5, count=2)[1][0]
    offset = (hk.tm.time - CUC_EPOCH).total_seconds() - seconds
    _expect(0 <= offset <= 4 * TIME_SCALE,
            f"housekeeping time {offset:+.1f} s from the synced time (scale {TIME_SCALE:g})")
    return f"mission time {offset:+.1f} s after sync at scale {TIME_SCALE:g}"


def ping(board: Board) -> str:
    tc = board.tc("PING")
    mark = board.mark()
    start = time.monotonic()
    board.send(tc)
    board.wait_final(tc.request_id, mark, REPLY_TIMEOUT_S)
    rtt = (time.monotonic() - start) * 1000
    seen = [r.report for r in board.since(mark)
            if isinstance(r.report, PongReport) or (
                isinstance(r.report, VerificationReport) and r.report.request_id == tc.request_id)]
    names = ["PONG" if isinstance(r, PongReport) else r.kind.name for r in seen]
    _expect(names == ["ACCEPTANCE_SUCCESS", "START_SUCCESS", "PONG", "COMPLETION_SUCCESS"],
            f"expected acceptance, start, TM[17,2], completion; got {names}")
    return f"round trip {rtt:.1f} ms"


def housekeeping(board: Board) -> str:
    mark = board.mark()
    reports = board.wait_housekeeping(mark, 6.0, count=5)
    times = [r.at for r, _ in reports]
    periods = [b - a for a, b in itertools.pairwise(times)]
    mean = sum(periods) / len(periods)
    _expect(0.85 <= mean <= 1.15, f"mean period {mean:.3f} s, expected 1 s")
    _expect(all(0.5 <= p <= 1.5 for p in periods), f"periods {[round(p, 3) for p in periods]}")
    names = [c.name for c in DICTIONARY.structure(1).channels]  # type: ignore[union-attr]
    for _, values in reports:
        _expect(list(values) == names, f"channels {list(values)}")
        _in_range(values)
    return f"{len(reports)} reports, mean period {mean:.3f} s, all {len(names)} channels in range"


def _in_range(v: dict[str, Value]) -> None:
    for name in ("position_x_m", "position_y_m", "heading_deg", "odometer_m", "speed_mps",
                 "battery_soc_pct"):
        value = v[name]
        _expect(isinstance(value, float) and math.isfinite(value), f"{name}={value!r}")
    _expect(0 <= float(v["heading_deg"]) < 360, f"heading_deg={v['heading_deg']}")
    _expect(float(v["odometer_m"]) >= 0, f"odometer_m={v['odometer_m']}")
    _expect(0 <= float(v["speed_mps"]) <= MAX_SPEED_MPS * 1.01, f"speed_mps={v['speed_mps']}")
    _expect(0 <= float(v["battery_soc_pct"]) <= 100, f"battery_soc_pct={v['battery_soc_pct']}")
    _expect(v["mode"] in MODES, f"mode={v['mode']!r}")
    for name in ("cmd_accepted", "cmd_rejected", "cmd_executed"):
        _expect(isinstance(v[name], int) and 0 <= int(v[name]) <= 0xFFFF, f"{name}={v[name]!r}")


def drive(board: Board) -> str:
    before = float(_hk_after(board, board.mark())["odometer_m"])
    reports = _run(board, board.tc("DRIVE", {"distance_m": 0.5, "speed_mps": 0.05}),
                   MOTION_TIMEOUT_S)
    _sequence_ok(reports, progress=True)
    moved = float(_hk_after(board, board.mark())["odometer_m"]) - before
    _expect(abs(moved - 0.5) < 0.05, f"odometer moved {moved:.3f} m for a 0.5 m drive")
    steps = [r.step for r in reports if r.kind == V.PROGRESS_SUCCESS]
    return f"0.5 m: {len(reports)} reports, progress {steps}, odometer +{moved:.3f} m"


def turn(board: Board) -> str:
    before = float(_hk_after(board, board.mark())["heading_deg"])
    reports = _run(board, board.tc("TURN", {"angle_deg": 10.0}), MOTION_TIMEOUT_S)
    _sequence_ok(reports, progress=False)
    after = float(_hk_after(board, board.mark())["heading_deg"])
    turned = (after - before + 180) % 360 - 180
    _expect(abs(turned - 10) < 0.5, f"heading moved {turned:.2f} deg for a 10 deg turn")
    return f"10 deg: {_kinds(reports)[-1].lower()}, heading {before:.1f} -> {after:.1f}"


def stop(board: Board) -> str:
    drive_tc = board.tc("DRIVE", {"distance_m": 5.0, "speed_mps": 0.05})
    mark = board.mark()
    board.send(drive_tc)
    board.wait_reports(drive_tc.request_id, mark, REPLY_TIMEOUT_S, V.START_SUCCESS)
    stop_tc = board.tc("STOP")
    board.send(stop_tc)
    stopped = board.wait_final(stop_tc.request_id, mark, REPLY_TIMEOUT_S)
    _expect(_kinds(stopped) == ["ACCEPTANCE_SUCCESS", "START_SUCCESS", "COMPLETION_SUCCESS"],
            f"STOP: {_kinds(stopped)}")
    driven = board.wait_final(drive_tc.request_id, mark, REPLY_TIMEOUT_S)
    last = driven[-1]
    _expect(last.kind == V.COMPLETION_FAILURE and last.failure == FailureCode.INTERRUPTED,
            f"the interrupted DRIVE ended {last.kind.name} {last.failure}")
    hk = _hk_after(board, board.mark())
    _expect(float(hk["speed_mps"]) == 0.0, f"speed {hk['speed_mps']} after STOP")
    return f"DRIVE ended INTERRUPTED ({last.reason!r}), STOP completed, speed 0"


def set_mode(board: Board) -> str:
    mark = board.mark()
    reports = _run(board, board.tc("SET_MODE", {"mode": "safe"}))
    _expect(_kinds(reports) == ["ACCEPTANCE_SUCCESS", "START_SUCCESS", "COMPLETION_SUCCESS"],
            f"SET_MODE safe: {_kinds(reports)}")
    events = [r.report.values for r in board.since(mark) if isinstance(r.report, EventReport)
              and r.report.event.name == "MODE_CHANGED"]
    _expect(events == [{"from_mode": "nominal", "to_mode": "safe"}],
            f"MODE_CHANGED events: {events}")
    _expect(_hk_after(board, board.mark())["mode"] == "safe", "housekeeping mode is not safe")
    forbidden = _run(board, board.tc("DRIVE", {"distance_m": 0.1}))
    _expect(_kinds(forbidden) == ["ACCEPTANCE_SUCCESS", "START_FAILURE"]
            and forbidden[-1].failure == FailureCode.FORBIDDEN_IN_MODE,
            f"DRIVE in safe: {_kinds(forbidden)} {forbidden[-1].failure}")
    back = _run(board, board.tc("SET_MODE", {"mode": "nominal"}))
    _expect(back[-1].kind == V.COMPLETION_SUCCESS, f"SET_MODE nominal: {_kinds(back)}")
    _expect(_hk_after(board, board.mark())["mode"] == "nominal", "mode did not come back")
    return "nominal -> safe (event, DRIVE FORBIDDEN_IN_MODE) -> nominal"


def _with_crc(body: bytes) -> bytes:
    return body + struct.pack(">H", crc16_ccitt_false(body))


def _st8(board: Board, fid: int, args: bytes) -> Telecommand:
    return Telecommand(board.rover.apid, board.next_seq(), 8, 1, struct.pack(">H", fid) + args)


def _resealed(packet: bytes, change: Callable[[bytearray], None]) -> bytes:
    """``packet`` with its header changed by ``change`` and a CRC that matches again."""
    body = bytearray(packet[:-2])
    change(body)
    return _with_crc(bytes(body))


def _clear(index: int, bits: int) -> Callable[[bytearray], None]:
    def change(body: bytearray) -> None:
        body[index] &= ~bits & 0xFF
    return change


def _lengthen(body: bytearray) -> None:
    body[5] += 1  # the length field claims a byte that is not there


def rejections(board: Board) -> str:
    """Every intact packet that is not an acceptable TC is answered TM[1,2] with its code; a
    frame too short to be a packet is dropped by the framing, unanswered and uncounted."""
    apid = board.rover.apid
    fid = {c.name: c.function_id or 0 for c in DICTIONARY.commands}
    cases: list[tuple[str, bytes, FailureCode, str]] = [
        ("length field", _resealed(board.tc("PING").pack(), _lengthen),
         FailureCode.MALFORMED, ""),
        ("shorter than a header", _with_crc(board.tc("PING").pack()[:8]),
         FailureCode.MALFORMED, ""),
        ("not a TC", _resealed(board.tc("PING").pack(), _clear(0, 0x10)),
         FailureCode.MALFORMED, ""),
        ("no secondary header", _resealed(board.tc("PING").pack(), _clear(0, 0x08)),
         FailureCode.MALFORMED, ""),
        ("longer than a TC", Telecommand(apid, board.next_seq(), 17, 1,
                                         bytes(MAX_TC_SIZE - TC_HEADER_SIZE)).pack(),
         FailureCode.MALFORMED, ""),
        ("wrong APID", Telecommand(apid + 1, board.next_seq(), 17, 1, b"").pack(),
         FailureCode.WRONG_APID, ""),
        ("unknown service", Telecommand(apid, board.next_seq(), 200, 1, b"").pack(),
         FailureCode.UNKNOWN_SERVICE, ""),
        ("unknown function", _st8(board, 999, b"").pack(), FailureCode.UNKNOWN_FUNCTION, ""),
        ("no function id", Telecommand(apid, board.next_seq(), 8, 1, b"\x00").pack(),
         FailureCode.BAD_ARGUMENTS, ""),
        ("argument length", _st8(board, fid["DRIVE"], struct.pack(">f", 1.0)).pack(),
         FailureCode.BAD_ARGUMENTS, ""),
        ("out of range", _st8(board, fid["DRIVE"], struct.pack(">ff", 1000.0, 0.05)).pack(),
         FailureCode.OUT_OF_RANGE, "distance_m"),
        ("enum past choices", _st8(board, fid["SET_MODE"], b"\x07").pack(),
         FailureCode.OUT_OF_RANGE, "mode"),
        ("bool past 1", _st8(board, fid["SET_HEATER"], b"\x00\x02").pack(),
         FailureCode.OUT_OF_RANGE, "on"),
    ]
    before = int(_hk_after(board, board.mark())["cmd_rejected"])
    for label, packet, code, named in cases:
        request_id = RequestId.unpack(packet)
        reports = _run_raw(board, packet, request_id)
        last = reports[-1]
        _expect(len(reports) == 1 and last.kind == V.ACCEPTANCE_FAILURE,
                f"{label}: {_kinds(reports)}")
        _expect(last.failure == code, f"{label}: code {last.failure}, expected {code.name}")
        _expect(bool(last.reason.strip()), f"{label}: no reason given")
        _expect(named in last.reason, f"{label}: reason {last.reason!r} does not name {named}")
    short = board.tc("PING").pack()[:MIN_FRAMED_PACKET - 2]  # a header cut short
    mark = board.mark()
    board.send_raw(frame(short))
    _ping_works(board)
    answers = board.reports(RequestId.unpack(short), mark)
    _expect(not answers, f"a {len(short)}-byte frame got {_kinds(answers)}: the framing "
                         "drops frames under 8 bytes unanswered")
    after = int(_hk_after(board, board.mark())["cmd_rejected"])
    _expect(after - before == len(cases),
            f"cmd_rejected went {before} -> {after} for {len(cases)} rejections")
    return f"{len(cases)} bad TCs rejected with the right codes, a {len(short)}-byte frame " \
           f"dropped unanswered; cmd_rejected +{len(cases)}"


def _run_raw(board: Board, packet: bytes, request_id: RequestId) -> list[VerificationReport]:
    mark = board.mark()
    board.send_raw(frame(packet))
    return board.wait_final(request_id, mark, REPLY_TIMEOUT_S)


def bad_crc(board: Board) -> str:
    """On a serial line the CRC is the frame check: a TC with a bad CRC is dropped by the
    framing, counted by the board, never answered (the ground sees it time out)."""
    before = int(_hk_after(board, board.mark())["cmd_rejected"])
    tc = board.tc("PING")
    packet = bytearray(tc.pack())
    packet[-1] ^= 0x5A
    mark = board.mark()
    board.send_raw(frame(bytes(packet)))
    rtt = _ping_works(board)
    answers = board.reports(tc.request_id, mark)
    _expect(not answers, "a TC with a bad CRC got "
                         f"{[(a.kind.name, a.failure) for a in answers]}: it must be dropped")
    after = int(_hk_after(board, board.mark())["cmd_rejected"])
    _expect(after == before, f"cmd_rejected went {before} -> {after} for a dropped frame")
    return f"dropped unanswered at the framing layer, then ping in {rtt:.1f} ms"


def malformed_frame(board: Board) -> str:
    board.send_raw(b"\x05\x11\x22\x00")  # COBS block claims 4 bytes, has 2
    board.send_raw(b"\x7f" * 1500 + b"\x00")  # longer than any frame may be
    rtt = _ping_works(board)
    return f"bad COBS and an over-long frame ignored, then ping in {rtt:.1f} ms"


def line_garbage(board: Board) -> str:
    noise = random.Random(17).randbytes(400)
    board.send_raw(noise + b"\x00")
    rtt = _ping_works(board)
    return f"400 random bytes, then ping in {rtt:.1f} ms"


def duplicate(board: Board) -> str:
    before = float(_hk_after(board, board.mark())["odometer_m"])
    tc = board.tc("DRIVE", {"distance_m": 0.2, "speed_mps": 0.05})
    mark = board.mark()
    board.send_raw(frame(tc.pack()) * 2)  # delivered twice back to back
    reports = board.wait_final(tc.request_id, mark, MOTION_TIMEOUT_S)
    kinds = _kinds(board.reports(tc.request_id, mark))
    _expect(kinds.count("START_SUCCESS") == 1, f"started {kinds.count('START_SUCCESS')} times")
    _expect(kinds.count("ACCEPTANCE_SUCCESS") == 2, f"acknowledged: {kinds}")
    _expect(reports[-1].kind == V.COMPLETION_SUCCESS, f"ended {reports[-1].kind.name}")
    mark = board.mark()
    board.send(tc)  # and once more after it finished
    replay = board.wait_final(tc.request_id, mark, REPLY_TIMEOUT_S)
    _expect(_kinds(replay) == ["ACCEPTANCE_SUCCESS", "COMPLETION_SUCCESS"],
            f"a finished duplicate got {_kinds(replay)}")
    moved = float(_hk_after(board, board.mark())["odometer_m"]) - before
    _expect(abs(moved - 0.2) < 0.03, f"odometer moved {moved:.3f} m for one 0.2 m drive")
    return f"3 deliveries, executed once (odometer +{moved:.3f} m), final report replayed"


def _is_boot(item: Received) -> bool:
    return isinstance(item.report, EventReport) and item.report.event.name == "BOOT"


def _final_at(items: list[Received], request_id: RequestId) -> int:
    """Where ``request_id``'s first final report is in ``items`` (-1: none)."""
    return next((i for i, r in enumerate(items) if isinstance(r.report, VerificationReport)
                 and r.report.request_id == request_id and r.report.kind in FINAL_KINDS), -1)


def execute_once_across_reset(board: Board) -> str:
    """A reset does not break execute-once: a DRIVE under way when REBOOT restarts the rover
    is answered COMPLETION_FAILURE RESET after the BOOT event, the REBOOT COMPLETION_SUCCESS;
    the same DRIVE bytes delivered again are acknowledged and answered RESET again, never
    started; the REBOOT delivered again completes without a second restart."""
    try:
        return _across_reset(board)
    except CheckFailed:
        # Leave no long DRIVE running into the next checks, and the clock at x10; answered
        # before the next check starts, so that their reports do not land in its window.
        with contextlib.suppress(CheckFailed):
            _run(board, board.tc("STOP"))
            _run(board, sync_time_command(board, TIME_SCALE))
        raise


def _across_reset(board: Board) -> str:
    drive = board.tc("DRIVE", {"distance_m": LONG_DRIVE_M, "speed_mps": 0.05}).pack()
    drive_id = RequestId.unpack(drive)
    mark = board.mark()
    board.send_raw(frame(drive))
    board.wait_reports(drive_id, mark, REPLY_TIMEOUT_S, V.START_SUCCESS)
    reboot = board.tc("REBOOT")
    board.send(reboot)
    board.wait_reports(reboot.request_id, mark, REPLY_TIMEOUT_S, V.START_SUCCESS)
    boot = board.wait(lambda items: next((i for i, r in enumerate(items) if _is_boot(r)), None),
                      BOOT_TIMEOUT_S, "BOOT event after REBOOT", mark)
    driven = board.wait_final(drive_id, mark, REPLY_TIMEOUT_S)
    rebooted = board.wait_final(reboot.request_id, mark, REPLY_TIMEOUT_S)
    kinds = _kinds(driven)
    _expect(kinds[:2] == ["ACCEPTANCE_SUCCESS", "START_SUCCESS"]
            and all(k == "PROGRESS_SUCCESS" for k in kinds[2:-1])
            and driven[-1].kind == V.COMPLETION_FAILURE
            and driven[-1].failure == FailureCode.RESET,
            f"the DRIVE cut by the reset: {kinds} {driven[-1].failure}, expected its "
            "acceptance, start, then COMPLETION_FAILURE RESET")
    _expect(_kinds(rebooted) == ["ACCEPTANCE_SUCCESS", "START_SUCCESS", "COMPLETION_SUCCESS"],
            f"REBOOT: {_kinds(rebooted)}")
    items = board.since(mark)
    drive_end, reboot_end = _final_at(items, drive_id), _final_at(items, reboot.request_id)
    _expect(boot < drive_end < reboot_end,
            f"after BOOT (TM {boot}), expected the DRIVE's RESET (TM {drive_end}) then the "
            f"REBOOT's completion (TM {reboot_end}): oldest accepted first")
    boots = sum(_is_boot(r) for r in items)
    _expect(boots == 1, f"{boots} BOOT events for one REBOOT")

    mark = board.mark()
    board.send_raw(frame(drive))  # the very same bytes, delivered again
    replay = board.wait_final(drive_id, mark, REPLY_TIMEOUT_S)
    _expect(_kinds(replay) == ["ACCEPTANCE_SUCCESS", "COMPLETION_FAILURE"]
            and replay[-1].failure == FailureCode.RESET,
            f"the DRIVE delivered again after the reset got {_kinds(replay)} "
            f"{replay[-1].failure}, expected acceptance and the replayed RESET")
    again = _run(board, reboot)
    _expect(_kinds(again) == ["ACCEPTANCE_SUCCESS", "COMPLETION_SUCCESS"],
            f"the REBOOT delivered again got {_kinds(again)}")
    hk = _hk_after(board, board.mark())
    late = _kinds(board.reports(drive_id, mark))
    _expect(late == ["ACCEPTANCE_SUCCESS", "COMPLETION_FAILURE"],
            f"the DRIVE delivered again: {late}: executed again")
    _expect(float(hk["speed_mps"]) == 0.0, f"speed {hk['speed_mps']} after the redelivery")
    boots = sum(_is_boot(r) for r in board.since(mark))
    _expect(boots == 0, f"the REBOOT delivered again restarted the rover ({boots} BOOT)")
    synced = _run(board, sync_time_command(board, TIME_SCALE))  # a board's clock restarted
    _expect(synced[-1].kind == V.COMPLETION_SUCCESS, f"SYNC_TIME after: {_kinds(synced)}")
    return f"DRIVE cut by REBOOT: RESET after BOOT ({driven[-1].reason!r}); redelivered: " \
           "acknowledged, RESET replayed, not executed; REBOOT redelivered: no restart"


def burst(board: Board) -> str:
    tcs = [board.tc("PING") for _ in range(20)]
    mark = board.mark()
    start = time.monotonic()
    board.send_raw(b"".join(frame(tc.pack()) for tc in tcs))
    for tc in tcs:
        board.wait_final(tc.request_id, mark, 15.0)
    elapsed = time.monotonic() - start
    items = board.since(mark)
    order = [r.report.request_id for r in items if isinstance(r.report, VerificationReport)
             and r.report.kind == V.ACCEPTANCE_SUCCESS]
    done = [r.report.request_id for r in items if isinstance(r.report, VerificationReport)
            and r.report.kind == V.COMPLETION_SUCCESS]
    sent = [tc.request_id for tc in tcs]
    _expect(order == sent, "acceptances out of order or missing")
    _expect(done == sent, "completions out of order or missing")
    pongs = sum(isinstance(r.report, PongReport) for r in items)
    _expect(pongs == 20, f"{pongs} pongs for 20 pings")
    for tc in tcs:
        kinds = _kinds(board.reports(tc.request_id, mark))
        _expect(kinds == ["ACCEPTANCE_SUCCESS", "START_SUCCESS", "COMPLETION_SUCCESS"],
                f"seq {tc.seq_count}: {kinds}")
    return f"20 pings in one write answered in order in {elapsed * 1000:.0f} ms"


def telemetry_integrity(board: Board) -> str:
    items: list[Received] = board.since(0)
    _expect(not board.problems, f"{len(board.problems)} bad TMs: {board.problems[:3]}")
    at_start = board.startup_errors or {}
    errors = {k: v - at_start.get(k, 0) for k, v in board.deframer.errors.items()
              if v - at_start.get(k, 0)}
    _expect(not errors, f"framing errors from the board: {errors}")
    # A rover that does not keep its TM count across a reset starts it again at 0 with BOOT.
    restarts = sum(1 for b in items[1:] if _is_boot(b) and b.tm.seq_count == 0)
    gaps = sum(1 for a, b in itertools.pairwise(items)
               if b.tm.seq_count != (a.tm.seq_count + 1) % 16384
               and not (_is_boot(b) and b.tm.seq_count == 0))
    _expect(gaps == 0, f"{gaps} gaps in the TM sequence count")
    return f"{len(items)} TMs, none bad, no sequence gap" + \
        (f" ({restarts} restarted at 0 with BOOT)" if restarts else "")


CHECKS: tuple[tuple[str, Check], ...] = (
    ("board answers", board_answers),
    ("sync time", sync_time),
    ("ping", ping),
    ("housekeeping 1 Hz", housekeeping),
    ("DRIVE", drive),
    ("TURN", turn),
    ("STOP", stop),
    ("SET_MODE and back", set_mode),
    ("malformed TCs rejected", rejections),
    ("bad CRC", bad_crc),
    ("malformed frames", malformed_frame),
    ("line garbage", line_garbage),
    ("duplicate executes once", duplicate),
    ("execute-once across reset", execute_once_across_reset),
    ("burst of 20", burst),
    ("telemetry integrity", telemetry_integrity),
)
