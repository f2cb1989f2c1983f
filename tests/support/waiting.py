"""Wait on a condition with a deadline, never a fixed sleep; failures name what was awaited."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

POLL_S = 0.01


async def wait_for(
    predicate: Callable[[], object],
    timeout: float,  # noqa: ASYNC109 (a polling deadline, like the sync counterpart's)
    what: str,
) -> None:
    """Poll ``predicate`` until it is truthy; fail naming ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        await asyncio.sleep(POLL_S)


def wait_for_sync(predicate: Callable[[], object], timeout: float, what: str) -> None:
    """The blocking counterpart of :func:`wait_for`, for threads and subprocess helpers."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(POLL_S)
