"""Run the checks on one board and print the table: name, PASS/FAIL, time, detail."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from hil.conformance.board import Board, CheckFailed
from hil.conformance.checks import CHECKS, TIME_SCALE, Check, sync_time_command
from spacelink.rovers import Rover


@dataclass(frozen=True, slots=True)
class Result:
    name: str
    passed: bool
    detail: str
    seconds: float


def run_suite(device: str, baud: int, rover: Rover, *,
              checks: Sequence[tuple[str, Check]] = CHECKS,
              show: Callable[[str], None] = print) -> list[Result]:
    """Every check in order; :class:`SerialPortError` if the port cannot be opened at all."""
    results: list[Result] = []
    show(f"hil-check: {device} at {baud} baud, rover {rover.id} (APID {rover.apid:#05x}), "
         f"mission clock x{TIME_SCALE:g}")
    show(header())
    with Board(device, baud, rover) as board:
        for name, check in checks:
            if results and not results[0].passed:
                result = Result(name, False, "skipped: the board does not answer", 0.0)
            else:
                result = _run_one(board, name, check)
            results.append(result)
            show(row(result))
        if results and results[0].passed:
            board.send(sync_time_command(board, 1.0))  # leave the clock at real rate
    passed = sum(r.passed for r in results)
    show(f"{passed}/{len(results)} checks passed")
    return results


def _run_one(board: Board, name: str, check: Check) -> Result:
    start = time.monotonic()
    try:
        detail = check(board)
        passed = True
    except CheckFailed as exc:
        detail, passed = str(exc), False
    return Result(name, passed, detail, time.monotonic() - start)


def header() -> str:
    return f"{'CHECK':<26} {'RESULT':<6} {'TIME':>8}  DETAIL"


def row(result: Result) -> str:
    verdict = "PASS" if result.passed else "FAIL"
    return f"{result.name:<26} {verdict:<6} {result.seconds:>7.2f}s  {result.detail}"
