"""The DSN's alarm: it rings once the wall clock reaches the instant set, never before."""

from __future__ import annotations

import asyncio
import time

from deepspace.timer import Alarm


async def test_rings_at_the_instant_and_not_before() -> None:
    rang: list[float] = []
    alarm = Alarm(lambda: rang.append(time.time()))
    try:
        instant = time.time() + 0.05
        alarm.set(instant)
        await asyncio.sleep(0.2)
        assert len(rang) == 1
        assert rang[0] >= instant
    finally:
        alarm.close()


async def test_setting_again_replaces_and_cancel_silences() -> None:
    rang: list[float] = []
    alarm = Alarm(lambda: rang.append(time.time()))
    try:
        alarm.set(time.time() + 10)
        later = time.time() + 0.03
        alarm.set(later)  # replaces the first
        await asyncio.sleep(0.15)
        assert len(rang) == 1
        alarm.set(time.time() + 0.03)
        alarm.cancel()
        await asyncio.sleep(0.1)
        assert len(rang) == 1
        alarm.set(time.time() - 1)  # past: at once
        await asyncio.sleep(0.05)
        assert len(rang) == 2
    finally:
        alarm.close()
