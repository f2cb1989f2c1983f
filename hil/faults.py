"""A fault-injecting serial proxy: a new pty in front of a board's device, flipping bits, and
a pty that can be closed and opened again (a cable pulled and plugged back).

``FaultyLine(device).start()`` opens the board's device and makes a pty (``.path``) for the
bridge; bytes cross both ways, each port read by its :class:`~hil.serialport.PortReader`
thread, and each byte has its bits flipped with probability ``flip_rate`` (seeded,
reproducible). Every flip is recorded with its direction
and the byte's offset in that direction's stream, so a test can tell which frames the fault
physically destroyed.

With ``link`` set, ``.path`` is that stable name, a symlink to the current pty, as udev gives
a real board a stable ``/dev/serial/by-id/...`` name. :meth:`FaultyLine.unplug` closes the
pty (the bridge's end hangs up and the name vanishes; the board keeps running, and what it
sends meanwhile is lost, as on a pulled cable); :meth:`FaultyLine.replug` opens a new pty
under the same name. Bytes lost that way are counted per direction in ``lost``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import threading
from dataclasses import dataclass, field
from typing import Literal

from hil.serialport import PortReader, PtyPort, open_port, open_pty
from spacelink.errors import SerialPortError

log = logging.getLogger(__name__)

Direction = Literal["down", "up"]  # down: towards the board; up: from the board


@dataclass(frozen=True, slots=True)
class Flip:
    direction: Direction
    offset: int
    mask: int


@dataclass
class FaultyLine:
    device: str
    flip_rate: float = 0.0
    seed: int = 7
    link: str | None = None
    flips: list[Flip] = field(default_factory=list)
    lost: dict[Direction, int] = field(default_factory=lambda: {"down": 0, "up": 0})
    unplugs: int = 0
    path: str = ""
    pty: str = ""  # the current pty's own name ("" while unplugged)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _offsets: dict[Direction, int] = field(default_factory=lambda: {"down": 0, "up": 0})
    _rng: random.Random = field(default_factory=random.Random)
    _board: PortReader | None = None
    _plugged: tuple[PtyPort, PortReader] | None = None  # the bridge's pty; None while unplugged

    def start(self) -> FaultyLine:
        self._rng.seed(self.seed)
        self._board = PortReader(open_port(self.device), self.device,
                                 lambda data: self._carry("up", data), self._board_closed)
        self._plug()
        self._board.start()
        return self

    def stop(self) -> None:
        with self._lock:
            plugged, self._plugged = self._plugged, None
            self.pty = ""
        if plugged is not None:
            plugged[1].stop()
        if self._board is not None:
            self._board.stop()

    def unplug(self) -> None:
        """Close the bridge's pty: its end hangs up and its name is gone until :meth:`replug`."""
        with self._lock:
            plugged, self._plugged = self._plugged, None
            if plugged is None:
                return
            self.pty = ""
            self.unplugs += 1
        plugged[1].stop()  # closes our end: the bridge's end hangs up
        if self.link is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.link)

    def replug(self) -> None:
        """A new pty under the same name (``link``); a no-op while plugged."""
        with self._lock:
            if self._plugged is not None:
                return
        self._plug()

    def flips_in(self, direction: Direction) -> list[Flip]:
        with self._lock:
            return [f for f in self.flips if f.direction == direction]

    def _plug(self) -> None:
        pty = open_pty()
        reader = PortReader(pty, pty.path, lambda data: self._carry("down", data),
                            lambda _: None)  # closed by an unplug, or by stop
        with self._lock:
            self._plugged, self.pty = (pty, reader), pty.path
        reader.start()
        if self.link is None:
            self.path = pty.path
            return
        tmp = f"{self.link}.new"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        os.symlink(pty.path, tmp)
        os.replace(tmp, self.link)
        self.path = self.link

    def _board_closed(self, error: SerialPortError | None) -> None:
        if error is not None:
            log.warning("faulty line: the board's side is lost: %s", error)

    def _carry(self, direction: Direction, data: bytes) -> None:
        """On the reader thread of the side ``data`` came from: flip, then pass it on."""
        damaged = bytearray(data)
        with self._lock:
            offset = self._offsets[direction]
            self._offsets[direction] += len(damaged)
            for i in range(len(damaged)):
                if self.flip_rate and self._rng.random() < self.flip_rate:
                    mask = 1 << self._rng.randrange(8)
                    damaged[i] ^= mask
                    self.flips.append(Flip(direction, offset + i, mask))
            if direction == "up":  # to the bridge's pty, if it is plugged in
                if self._plugged is None:
                    self.lost["up"] += len(damaged)  # the cable is out: the bytes are lost
                    return
                pty = self._plugged[0]
                dropped = pty.dropped_bytes
                pty.write(bytes(damaged))  # never blocks: bytes nobody reads are dropped
                self.lost["up"] += pty.dropped_bytes - dropped
                return
        if self._board is None:
            return
        try:
            self._board.write(bytes(damaged))
        except SerialPortError:
            with self._lock:
                self.lost["down"] += len(damaged)  # nobody on the other side
