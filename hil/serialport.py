"""The serial port, as a blocking reader on its own thread that hands bytes on.

pyserial does not reopen a port after its device vanished: :func:`open_port` is called again
by whoever supervises the link (the bridge retries; the conformance suite gives up). A pty has
no modem lines, so nothing here touches them beyond what opening does (on an Arduino, opening
drops DTR and resets the board: wait for it to boot).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import serial

from spacelink.errors import SerialPortError

READ_TIMEOUT_S = 0.05
READ_CHUNK = 4096


def open_port(device: str, baud: int) -> serial.Serial:
    """The port opened exclusively, or :class:`SerialPortError` saying why not."""
    try:
        return serial.Serial(device, baud, timeout=READ_TIMEOUT_S, write_timeout=2.0,
                             exclusive=True)
    except (serial.SerialException, OSError, ValueError) as exc:
        raise SerialPortError(device, _describe(exc)) from exc


def _describe(exc: BaseException) -> str:
    text = str(exc)
    if "Permission denied" in text:
        return f"{text} (is this user in the dialout group?)"
    if "Resource temporarily unavailable" in text or "exclusively" in text:
        return f"{text} (another program holds the port)"
    return text


class PortReader:
    """Reads ``port`` on a daemon thread until it fails or :meth:`stop` is called.

    ``on_bytes`` gets every chunk read; ``on_closed`` is called once at the end with the
    :class:`SerialPortError` that ended it (``None`` after :meth:`stop`). Both run on the
    reader thread: hand the data to the owner's loop, do not block.
    """

    def __init__(self, port: serial.Serial, device: str,
                 on_bytes: Callable[[bytes], None],
                 on_closed: Callable[[SerialPortError | None], None]) -> None:
        self._port = port
        self._device = device
        self._on_bytes = on_bytes
        self._on_closed = on_closed
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"serial {device}", daemon=True)
        self._write_lock = threading.Lock()

    def start(self) -> None:
        self._thread.start()

    def write(self, data: bytes) -> None:
        """Write all of ``data`` (blocking), or :class:`SerialPortError`."""
        try:
            with self._write_lock:
                self._port.write(data)
                self._port.flush()
        except (serial.SerialException, OSError) as exc:
            raise SerialPortError(self._device, f"write failed: {exc}") from exc

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout=2.0)
        self._close_port()

    def _close_port(self) -> None:
        # closing a port whose device is gone: nothing left to release
        with contextlib.suppress(serial.SerialException, OSError):
            self._port.close()

    def _run(self) -> None:
        error: SerialPortError | None = None
        try:
            while not self._stopping.is_set():
                data = self._port.read(max(1, min(self._port.in_waiting, READ_CHUNK)))
                if data:
                    self._on_bytes(bytes(data))
        except (serial.SerialException, OSError, TypeError) as exc:
            # pyserial raises SerialException for a vanished device ("device reports
            # readiness to read but returned no data"), or TypeError once closed under us.
            if not self._stopping.is_set():
                error = SerialPortError(self._device, f"read failed: {exc}")
                error.__cause__ = exc
        finally:
            self._close_port()
            self._on_closed(error)
