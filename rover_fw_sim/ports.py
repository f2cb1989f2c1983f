"""Byte ports for the serial link: a real serial device (pyserial) or our end of a pty.

Both are used from one reader thread (blocking ``read`` with a timeout) and one writer. Each
outlives the other side going away: a device that vanishes is reopened (pyserial does not do
it by itself), and a pty whose other end is closed is read again once someone reopens it.
Bytes written while nobody listens are dropped and counted, as a UART would lose them.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import select
import threading
import time
import tty
from typing import Protocol

import serial

from spacelink.errors import SerialPortError

log = logging.getLogger(__name__)

BAUDRATE = 115_200
WRITE_TIMEOUT_S = 1.0
RETRY_S = 0.05  # how often to look again for a peer that went away


class Port(Protocol):
    name: str
    dropped_bytes: int

    def read(self, timeout: float) -> bytes:
        """What arrived within ``timeout`` s; ``b""`` if nothing did or the peer is away."""
        ...

    def write(self, data: bytes) -> None: ...

    def close(self) -> None: ...


class PtyPort:
    """Our (master) end of a pseudo-terminal; ``path`` is the end to hand to the other side."""

    def __init__(self, master_fd: int, path: str) -> None:
        self._fd = master_fd
        self.path = self.name = path
        self.dropped_bytes = 0
        self.hangups = 0
        self._peer_away = False
        flags = fcntl.fcntl(master_fd, fcntl.F_GETFL)
        fcntl.fcntl(master_fd, fcntl.F_SETFL, flags | os.O_NONBLOCK)  # never block a writer

    def read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self._fd], [], [], timeout)
        if not ready:
            self._peer_away = False  # no hang-up pending: the other end is open
            return b""
        try:
            return os.read(self._fd, 4096)
        except BlockingIOError:
            return b""
        except OSError as exc:
            if exc.errno != errno.EIO:
                raise SerialPortError(self.path, exc.strerror or str(exc)) from exc
            # EIO: nobody has the other end open; it may be reopened at any time.
            if not self._peer_away:
                self._peer_away = True
                self.hangups += 1
                log.info("pty %s: the other end closed; waiting for it to reopen", self.path)
            time.sleep(min(timeout, RETRY_S))
            return b""

    def write(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            try:
                view = view[os.write(self._fd, view):]
            except (BlockingIOError, OSError):  # full (nobody reading) or hung up
                self.dropped_bytes += len(view)
                return

    def close(self) -> None:
        os.close(self._fd)


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


class SerialDevicePort:
    """A serial device through pyserial, reopened after it vanishes (a USB adapter pulled)."""

    def __init__(self, device: str, baudrate: int = BAUDRATE) -> None:
        self.name = device
        self.baudrate = baudrate
        self.dropped_bytes = 0
        self.reopens = 0
        self._lock = threading.Lock()
        self._serial: serial.Serial | None = self._open()

    def _open(self) -> serial.Serial:
        try:
            return serial.Serial(self.name, self.baudrate, timeout=0.1,
                                 write_timeout=WRITE_TIMEOUT_S)
        except (serial.SerialException, OSError) as exc:
            raise SerialPortError(self.name, str(exc)) from exc

    def read(self, timeout: float) -> bytes:
        port = self._serial
        if port is None:
            try:
                port = self._open()
            except SerialPortError:
                time.sleep(timeout)
                return b""
            with self._lock:
                self._serial = port
            self.reopens += 1
            log.info("serial %s: reopened", self.name)
        try:
            port.timeout = timeout
            data = bytes(port.read(1))
            return data + bytes(port.read(port.in_waiting)) if data else data
        except (serial.SerialException, OSError) as exc:
            log.warning("serial %s: %s; reopening", self.name, exc)
            self._drop_port(port)
            return b""

    def write(self, data: bytes) -> None:
        port = self._serial
        if port is None:
            self.dropped_bytes += len(data)
            return
        try:
            port.write(data)
        except serial.SerialTimeoutException:
            self.dropped_bytes += len(data)
        except (serial.SerialException, OSError):
            self.dropped_bytes += len(data)  # the reader notices and reopens

    def close(self) -> None:
        port = self._serial
        if port is not None:
            self._drop_port(port)

    def _drop_port(self, port: serial.Serial) -> None:
        with self._lock:
            if self._serial is port:
                self._serial = None
        port.close()
