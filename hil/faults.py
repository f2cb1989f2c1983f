"""A fault-injecting serial proxy: a new pty in front of a board's device, flipping bits, and
a pty that can be closed and opened again (a cable pulled and plugged back).

``FaultyLine(device).start()`` opens the board's device and makes a pty (``.path``) for the
bridge; bytes cross both ways on two threads, and each byte has its bits flipped with
probability ``flip_rate`` (seeded, reproducible). Every flip is recorded with its direction
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
import fcntl
import os
import random
import select
import threading
import tty
from dataclasses import dataclass, field
from typing import Literal

Direction = Literal["down", "up"]  # down: towards the board; up: from the board
POLL_S = 0.05


@dataclass(frozen=True, slots=True)
class Flip:
    direction: Direction
    offset: int
    mask: int


def _nonblocking(fd: int) -> None:
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_NONBLOCK)


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
    _threads: list[threading.Thread] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _board: int = -1
    _master: int | None = None  # our end of the bridge's pty; None while unplugged
    _slave: int | None = None   # held open so the pty lives while the bridge reopens it
    _generation: int = 0        # bumped at every unplug/replug: an fd read before is stale

    def start(self) -> FaultyLine:
        self._board = os.open(self.device, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(self._board)
        _nonblocking(self._board)
        self._plug()
        rng = random.Random(self.seed)
        for direction in ("down", "up"):
            thread = threading.Thread(target=self._pump, args=(direction, rng),
                                      name=f"faulty line {direction}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)
        with self._lock:
            self._close_pty()
            if self._board >= 0:
                os.close(self._board)
                self._board = -1

    def unplug(self) -> None:
        """Close the bridge's pty: its end hangs up and its name is gone until :meth:`replug`."""
        with self._lock:
            if self._master is None:
                return
            self._close_pty()
            self.unplugs += 1
        if self.link is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.link)

    def replug(self) -> None:
        """A new pty under the same name (``link``); a no-op while plugged."""
        with self._lock:
            if self._master is not None:
                return
        self._plug()

    def flips_in(self, direction: Direction) -> list[Flip]:
        with self._lock:
            return [f for f in self.flips if f.direction == direction]

    # -- the pty -------------------------------------------------------------------------------

    def _plug(self) -> None:
        master, slave = os.openpty()
        tty.setraw(slave)
        _nonblocking(master)
        name = os.ttyname(slave)
        with self._lock:
            self._master, self._slave, self.pty = master, slave, name
            self._generation += 1
        if self.link is None:
            self.path = name
            return
        tmp = f"{self.link}.new"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        os.symlink(name, tmp)
        os.replace(tmp, self.link)
        self.path = self.link

    def _close_pty(self) -> None:
        """Under the lock."""
        for fd in (self._slave, self._master):
            if fd is not None:
                os.close(fd)
        self._master = self._slave = None
        self.pty = ""
        self._generation += 1

    # -- the pumps -----------------------------------------------------------------------------

    def _ends(self, direction: Direction) -> tuple[int, int | None, int | None]:
        """(generation, source fd, destination fd) now; under the lock."""
        if direction == "down":
            return self._generation, self._master, self._board
        return self._generation, self._board, self._master

    def _pump(self, direction: Direction, rng: random.Random) -> None:
        offset = 0
        while not self._stop.is_set():
            with self._lock:
                generation, src, _ = self._ends(direction)
            if src is None:  # unplugged, towards the board: nothing comes from the bridge
                self._stop.wait(POLL_S)
                continue
            try:
                ready, _, _ = select.select([src], [], [], POLL_S)
            except (OSError, ValueError):
                continue  # closed by an unplug meanwhile: look again under the lock
            if not ready:
                continue
            with self._lock:
                if generation != self._generation:
                    continue  # the pty changed under us: that fd is not ours any more
                try:
                    data = bytearray(os.read(src, 4096))
                except (BlockingIOError, OSError):
                    continue  # EIO: the other side has no reader at the moment
                for i in range(len(data)):
                    if self.flip_rate and rng.random() < self.flip_rate:
                        mask = 1 << rng.randrange(8)
                        data[i] ^= mask
                        self.flips.append(Flip(direction, offset + i, mask))
            offset += len(data)
            self._deliver(direction, generation, memoryview(data))

    def _deliver(self, direction: Direction, generation: int, view: memoryview) -> None:
        while view and not self._stop.is_set():
            with self._lock:
                _, _, dst = self._ends(direction)
                if dst is None or generation != self._generation:
                    self.lost[direction] += len(view)  # the cable is out: the bytes are lost
                    return
                try:
                    view = view[os.write(dst, view):]
                    continue
                except BlockingIOError:
                    pass
                except OSError:
                    self.lost[direction] += len(view)  # nobody on the other side
                    return
            with contextlib.suppress(OSError, ValueError):  # closed meanwhile: checked above
                select.select([], [dst], [], POLL_S)
