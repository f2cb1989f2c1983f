"""Running parts until Ctrl-C or SIGTERM, in named tasks under one TaskGroup."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Coroutine
from pathlib import Path
from typing import Any


class _Stopped(Exception):
    pass


async def until_stopped(parts: dict[str, Coroutine[Any, Any, None]]) -> None:
    """Run every part; return when a signal asks to stop; raise if a part fails (a lone
    failure as itself, so that an expected one ends in one clear line)."""
    try:
        await _run(parts)
    except ExceptionGroup as group:
        lone: Exception = group
        while isinstance(lone, ExceptionGroup) and len(lone.exceptions) == 1:
            lone = lone.exceptions[0]  # a part's own task group wraps it again
        if isinstance(lone, ExceptionGroup):
            raise
        raise lone from None


async def _run(parts: dict[str, Coroutine[Any, Any, None]]) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        async with asyncio.TaskGroup() as tasks:
            for name, part in parts.items():
                tasks.create_task(part, name=name)
            await stop.wait()
            raise _Stopped
    except* _Stopped:
        pass
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)


def prepare_data_dir(path: Path) -> Path:
    """The data dir, created and proven writable, or an OSError that says so plainly."""
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise OSError(exc.errno, f"data dir {path} is not writable: {exc.strerror}") from None
    return path
