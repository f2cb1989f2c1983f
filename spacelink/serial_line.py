"""A serial line (a device or a pty) as the parts see it: an asyncio byte stream, as an interface.

The one implementation, a reader thread per port that hands what it reads to the event loop,
lives with the rest of the serial-port code in :mod:`hil.serialport`; the bridge uses it there,
and ``roverops`` hands it to the emulator's serial shell, which knows only this interface (as
every part knows only :class:`spacelink.bus.Bus`).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import Protocol


class SerialLine(Protocol):
    """Bytes in and out of one opened port.

    Once the port is lost (the device vanished, a read or a write failed) the line stays
    lost: :meth:`read` and :meth:`write` raise :class:`~spacelink.errors.SerialPortError`,
    and whoever wants to go on opens the port again.
    """

    @property
    def name(self) -> str:
        """The device (or pty) the line is on, for messages."""
        ...

    async def read(self) -> bytes:
        """The next bytes that arrived, waiting until some do."""
        ...

    async def write(self, data: bytes) -> None:
        """All of ``data`` sent (a pty nobody reads drops it, as a UART would)."""
        ...


OpenLine = Callable[[], AbstractAsyncContextManager[SerialLine]]
"""Opens the port (:class:`~spacelink.errors.SerialPortError` if it cannot) as a line, which
closes with the port when the ``async with`` block ends."""
