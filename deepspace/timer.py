"""A wall-clock alarm for the event loop, precise to tens of microseconds.

asyncio's timers wait in ``epoll`` with a timeout in whole milliseconds, rounded up: a release
due at 12.3 ms past a tick fires at 13 ms or later. Making up for that by waking early and
spinning costs a core at telemetry rates. On Linux a ``timerfd`` armed at the absolute wall
time makes the loop's own ``epoll`` wake at the instant itself, with no spinning and no thread;
elsewhere the alarm falls back to asyncio's ``call_at``, and is late by up to a millisecond.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import math
import os
import sys
import time
from collections.abc import Callable

_CLOCK_REALTIME = 0
_TFD_TIMER_ABSTIME = 1
_TFD_NONBLOCK = os.O_NONBLOCK
_TFD_CLOEXEC = os.O_CLOEXEC


class _Timespec(ctypes.Structure):
    _fields_ = (("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long))


class _Itimerspec(ctypes.Structure):
    _fields_ = (("it_interval", _Timespec), ("it_value", _Timespec))


def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.timerfd_create.argtypes = (ctypes.c_int, ctypes.c_int)
        libc.timerfd_settime.argtypes = (ctypes.c_int, ctypes.c_int,
                                         ctypes.POINTER(_Itimerspec), ctypes.c_void_p)
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _libc()


class Alarm:
    """Calls ``callback`` on the running loop once the wall clock (``time.time``) reaches the
    instant last given to :meth:`set`; :meth:`close` when done."""

    def __init__(self, callback: Callable[[], None]) -> None:
        self._callback = callback
        self._loop = asyncio.get_running_loop()
        self._fd = -1
        self._handle: asyncio.TimerHandle | None = None
        self._spec = _Itimerspec()
        if _LIBC is not None:
            fd = _LIBC.timerfd_create(_CLOCK_REALTIME, _TFD_NONBLOCK | _TFD_CLOEXEC)
            if fd >= 0:
                self._fd = fd
                self._loop.add_reader(fd, self._rang)

    @property
    def precise(self) -> bool:
        """True when the alarm is a timerfd (not asyncio's millisecond timers)."""
        return self._fd >= 0

    def set(self, wall: float) -> None:
        """Ring at ``wall`` (at once if that is past); replaces any earlier setting."""
        if self._fd >= 0:
            fraction, seconds = math.modf(max(wall, 1e-9))  # 0 would disarm it
            self._spec.it_value.tv_sec = int(seconds)
            self._spec.it_value.tv_nsec = int(fraction * 1e9)
            if _LIBC is not None and _LIBC.timerfd_settime(
                    self._fd, _TFD_TIMER_ABSTIME, ctypes.byref(self._spec), None) != 0:
                raise OSError(ctypes.get_errno(), "timerfd_settime failed")
            return
        if self._handle is not None:
            self._handle.cancel()
        delay = wall - time.time()
        self._handle = self._loop.call_at(self._loop.time() + delay, self._rang)

    def cancel(self) -> None:
        if self._fd >= 0:
            self._spec.it_value.tv_sec = self._spec.it_value.tv_nsec = 0
            if _LIBC is not None:
                _LIBC.timerfd_settime(self._fd, 0, ctypes.byref(self._spec), None)
        elif self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def close(self) -> None:
        if self._fd >= 0:
            self._loop.remove_reader(self._fd)
            os.close(self._fd)
            self._fd = -1
        elif self._handle is not None:
            self._handle.cancel()

    def _rang(self) -> None:
        if self._fd >= 0:
            try:
                os.read(self._fd, 8)
            except BlockingIOError:  # disarmed or set again since it became readable
                return
        else:
            self._handle = None
        self._callback()
