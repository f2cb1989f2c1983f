"""A fault-injecting serial proxy: a new pty in front of a board's device, flipping bits.

``FaultyLine(device).start()`` opens the board's device and makes a pty (``.path``) for the
bridge; bytes cross both ways on two threads, and each byte has its bits flipped with
probability ``flip_rate`` (seeded, reproducible). Every flip is recorded with its direction
and the byte's offset in that direction's stream, so a test can tell which frames the fault
physically destroyed.
"""

from __future__ import annotations

import os
import random
import select
import threading
import tty
from dataclasses import dataclass, field
from typing import Literal

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
    flips: list[Flip] = field(default_factory=list)
    path: str = ""
    _threads: list[threading.Thread] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _fds: list[int] = field(default_factory=list)

    def start(self) -> FaultyLine:
        board = os.open(self.device, os.O_RDWR | os.O_NOCTTY)
        tty.setraw(board)
        master, slave = os.openpty()
        tty.setraw(slave)
        self.path = os.ttyname(slave)
        self._fds = [board, master, slave]  # the slave stays open: the pty lives with us
        rng = random.Random(self.seed)
        for src, dst, direction in ((master, board, "down"), (board, master, "up")):
            thread = threading.Thread(target=self._pump, args=(src, dst, direction, rng),
                                      name=f"faulty line {direction}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=2)
        for fd in self._fds:
            os.close(fd)
        self._fds = []

    def flips_in(self, direction: Direction) -> list[Flip]:
        with self._lock:
            return [f for f in self.flips if f.direction == direction]

    def _pump(self, src: int, dst: int, direction: Direction, rng: random.Random) -> None:
        offset = 0
        while not self._stop.is_set():
            ready, _, _ = select.select([src], [], [], 0.05)
            if not ready:
                continue
            try:
                data = bytearray(os.read(src, 4096))
            except OSError:
                continue  # EIO: the other side has no reader at the moment
            with self._lock:
                for i in range(len(data)):
                    if self.flip_rate and rng.random() < self.flip_rate:
                        mask = 1 << rng.randrange(8)
                        data[i] ^= mask
                        self.flips.append(Flip(direction, offset + i, mask))
            offset += len(data)
            view = memoryview(data)
            while view and not self._stop.is_set():
                try:
                    view = view[os.write(dst, view):]
                except BlockingIOError:
                    select.select([], [dst], [], 0.05)
                except OSError:
                    break  # nobody on the other side: the bytes are lost, as on a cable
