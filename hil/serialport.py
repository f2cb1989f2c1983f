"""Serial ports: a device through pyserial or our end of a pty, read on a thread of their own.

Every serial line in the system goes through here: the bridge's, the conformance suite's, the
fault-injecting proxy's, and (handed over by ``roverops`` behind
:class:`spacelink.serial_line.SerialLine`) the emulator's when it plays a board.

- :func:`open_port` opens a device exclusively; :func:`open_pty` makes a pty and keeps our end.
- :class:`PortReader` reads a port on a daemon thread and hands each chunk to a callback.
- :func:`open_line` is the port as an asyncio byte stream: the reader thread hands each chunk
  to the event loop.

pyserial does not reopen a port after its device vanished: a lost device is an error, and
whoever supervises the link opens it again (the bridge retries; the conformance suite gives
up). A pty whose other end is closed is not lost: it is read again once someone reopens it,
and bytes written meanwhile are dropped and counted, as a UART would lose them. Nothing here
touches modem lines beyond what opening does (on an Arduino, opening drops DTR and resets the
board: wait for it to boot).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import logging
import os
import select
import threading
import time
import tty
from collections.abc import AsyncIterator, Callable
from typing import Protocol

import serial

from spacelink.errors import SerialPortError
from spacelink.rovers import SERIAL_BAUD
from spacelink.serial_line import SerialLine

log = logging.getLogger(__name__)

DEFAULT_BAUD = SERIAL_BAUD  # the reference firmware's, from the one source
READ_TIMEOUT_S = 0.05  # how long a read blocks: how soon a reader notices it should stop
READ_CHUNK = 4096
WRITE_TIMEOUT_S = 2.0


class Port(Protocol):
    """A port for blocking use: one reader thread, writers under :class:`PortReader`'s lock."""

    name: str

    def read(self) -> bytes:
        """What arrived within :data:`READ_TIMEOUT_S` (``b""`` if nothing did), or
        :class:`SerialPortError` once the port is lost."""
        ...

    def write(self, data: bytes) -> None:
        """All of ``data``, or :class:`SerialPortError`."""
        ...

    def close(self) -> None:
        """Release the port; closing twice is harmless."""
        ...


class DevicePort:
    """A serial device through pyserial."""

    def __init__(self, device: str, port: serial.Serial) -> None:
        self.name = device
        self._serial = port

    def read(self) -> bytes:
        try:
            return bytes(self._serial.read(max(1, min(self._serial.in_waiting, READ_CHUNK))))
        except (serial.SerialException, OSError, TypeError) as exc:
            # pyserial raises SerialException for a vanished device ("device reports
            # readiness to read but returned no data"), or TypeError once closed under us.
            raise SerialPortError(self.name, f"read failed: {exc}") from exc

    def write(self, data: bytes) -> None:
        try:
            self._serial.write(data)
            self._serial.flush()
        except (serial.SerialException, OSError) as exc:
            raise SerialPortError(self.name, f"write failed: {exc}") from exc

    def close(self) -> None:
        # closing a port whose device is gone: nothing left to release
        with contextlib.suppress(serial.SerialException, OSError):
            self._serial.close()


def open_port(device: str, baud: int = DEFAULT_BAUD) -> DevicePort:
    """The device opened exclusively, or :class:`SerialPortError` saying why not."""
    try:
        port = serial.Serial(device, baud, timeout=READ_TIMEOUT_S,
                             write_timeout=WRITE_TIMEOUT_S, exclusive=True)
    except (serial.SerialException, OSError, ValueError) as exc:
        raise SerialPortError(device, _describe(exc)) from exc
    return DevicePort(device, port)


def _describe(exc: BaseException) -> str:
    text = str(exc)
    if "Permission denied" in text:
        return f"{text} (is this user in the dialout group?)"
    if "Resource temporarily unavailable" in text or "exclusively" in text:
        return f"{text} (another program holds the port)"
    return text


class PtyPort:
    """Our (master) end of a pseudo-terminal; ``path`` is the end to hand to the other side.

    ``hangups`` counts the times the other side closed its end; ``dropped_bytes`` what was
    written while nobody read it.
    """

    def __init__(self, master_fd: int, path: str) -> None:
        self._fd = master_fd
        self.path = self.name = path
        self.dropped_bytes = 0
        self.hangups = 0
        self._peer_away = False
        self._lock = threading.Lock()  # a write never meets a closed (or reused) descriptor
        flags = fcntl.fcntl(master_fd, fcntl.F_GETFL)
        fcntl.fcntl(master_fd, fcntl.F_SETFL, flags | os.O_NONBLOCK)  # never block a writer

    def read(self) -> bytes:
        if self._fd < 0:
            raise SerialPortError(self.path, "closed")
        try:
            ready, _, _ = select.select([self._fd], [], [], READ_TIMEOUT_S)
            if not ready:
                self._peer_away = False  # no hang-up pending: the other end is open
                return b""
            return os.read(self._fd, READ_CHUNK)
        except BlockingIOError:
            return b""
        except OSError as exc:
            if exc.errno != errno.EIO:
                raise SerialPortError(self.path, f"read failed: {exc}") from exc
        # EIO: nobody has the other end open; it may be reopened at any time.
        if not self._peer_away:
            self._peer_away = True
            self.hangups += 1
            log.info("pty %s: the other end closed; waiting for it to reopen", self.path)
        time.sleep(READ_TIMEOUT_S)
        return b""

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        with self._lock:
            while view and self._fd >= 0:
                try:
                    view = view[os.write(self._fd, view):]
                except OSError:  # full (nobody reading) or hung up
                    break
            self.dropped_bytes += len(view)

    def close(self) -> None:
        with self._lock:
            if self._fd >= 0:
                os.close(self._fd)
                self._fd = -1


def open_pty() -> PtyPort:
    """A pty pair in raw mode (no echo, no line editing, 8 bits clean); returns our end, whose
    ``path`` names the other end for a bridge or a test to open."""
    master, slave = os.openpty()
    try:
        tty.setraw(slave)
        path = os.ttyname(slave)
    finally:
        os.close(slave)  # the raw settings stay with the pty while our end is open
    return PtyPort(master, path)


class PortReader:
    """Reads ``port`` on a daemon thread until it is lost or :meth:`stop` is called.

    ``on_bytes`` gets every chunk read; ``on_closed`` is called once at the end with the
    :class:`SerialPortError` that ended it (``None`` after :meth:`stop`). Both run on the
    reader thread: hand the data to the owner, do not block. The port is closed at the end.
    """

    def __init__(self, port: Port, device: str,
                 on_bytes: Callable[[bytes], None],
                 on_closed: Callable[[SerialPortError | None], None]) -> None:
        self._port = port
        self._on_bytes = on_bytes
        self._on_closed = on_closed
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"serial {device}", daemon=True)
        self._write_lock = threading.Lock()

    def start(self) -> None:
        self._thread.start()

    def write(self, data: bytes) -> None:
        """Write all of ``data`` (blocking), or :class:`SerialPortError`."""
        with self._write_lock:
            self._port.write(data)

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=2.0)
        self._port.close()

    def _run(self) -> None:
        error: SerialPortError | None = None
        try:
            while not self._stopping.is_set():
                data = self._port.read()
                if data:
                    self._on_bytes(data)
        except SerialPortError as exc:
            if not self._stopping.is_set():
                error = exc
        finally:
            self._port.close()
            self._on_closed(error)


class _Line:
    """:class:`~spacelink.serial_line.SerialLine` on a :class:`PortReader`."""

    def __init__(self, port: Port, loop: asyncio.AbstractEventLoop) -> None:
        self.name = port.name
        self._loop = loop
        self._chunks: asyncio.Queue[bytes | SerialPortError] = asyncio.Queue()
        self._lost: SerialPortError | None = None
        self._reader = PortReader(port, port.name, self._hand_over, self._closed)

    def start(self) -> None:
        self._reader.start()

    def stop(self) -> None:
        """Blocking: stop the reader thread and close the port."""
        self._reader.stop()

    def _hand_over(self, item: bytes | SerialPortError) -> None:  # on the reader thread
        with contextlib.suppress(RuntimeError):  # the loop is gone: nobody to hand it to
            self._loop.call_soon_threadsafe(self._chunks.put_nowait, item)

    def _closed(self, error: SerialPortError | None) -> None:  # on the reader thread
        self._hand_over(error or SerialPortError(self.name, "closed"))

    async def read(self) -> bytes:
        if self._lost is None:
            item = await self._chunks.get()
            if isinstance(item, bytes):
                return item
            self._lost = item
        raise self._lost

    async def write(self, data: bytes) -> None:
        if self._lost is not None:
            raise self._lost
        try:
            await asyncio.to_thread(self._reader.write, data)
        except SerialPortError as exc:
            self._lost = self._lost or exc
            self._chunks.put_nowait(exc)  # wakes a pending read, which raises it
            raise


@contextlib.asynccontextmanager
async def open_line(port: Port) -> AsyncIterator[SerialLine]:
    """``port`` as an asyncio byte stream (the reader thread hands each chunk to this loop),
    until the block ends; then the port is closed."""
    line = _Line(port, asyncio.get_running_loop())
    line.start()
    try:
        yield line
    finally:
        await asyncio.to_thread(line.stop)
