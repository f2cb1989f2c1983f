"""The DSN in a process of its own, started by another part (``roverops up``) and ended by it.

Why a process: in ``roverops up`` the ground's work (a history of 10,000 samples read, turned
into JSON, a request after another) holds the interpreter for milliseconds at a time, and a
thread of the same process waits that long for its turn, whatever its own event loop does.
A process of its own has its own interpreter, event loop, MQTT client and journal; only the
broker is shared, as when the parts run apart.

The starting side calls :func:`run_apart` (a coroutine, one of the parts ``up`` runs): it
starts ``python -m deepspace.apart``, hands it its settings on its standard input (the
broker's credentials never appear on a command line), and returns or raises when the relay
ends. Over that pipe:

- cancelled (``up`` stops), it says ``stop``: the relay states its link closed and exits; if
  it has not exited within :data:`STOP_TIMEOUT_S`, it is killed (the last will says closed);
- the relay failing ends :func:`run_apart` with :class:`RelayStoppedError`, one line saying why;
- the starting side dying (even SIGKILLed) closes the pipe: the relay exits at once, so a
  restarted ``up`` never finds an old relay still releasing from the same journal.

Ctrl-C reaches the whole process group: the relay ignores SIGINT and waits for its ``stop``,
so it always stops after the parts upstream and before the broker of ``up``.

The relay follows the mission clock the ground publishes (retained, ``roverops/clock``), as
``roverops dsn`` does. The bus is whatever the caller's picklable ``open_bus`` makes (an
:class:`roverops.mqtt.MqttBus`): this package still imports only :mod:`spacelink`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import pickle
import signal
import struct
import sys
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from deepspace.journal import JOURNAL_FILE, Journal
from deepspace.relay import Dsn
from spacelink import topics
from spacelink.bus import Bus, Message
from spacelink.clock import MissionClock
from spacelink.control import LinkState
from spacelink.errors import ClockError, LinkError, SpacelinkError
from spacelink.lighttime import parse_light_time

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 10.0
LAST_WORD_S = 2.0
CLOCK_WAIT_S = 30.0
_LENGTH = struct.Struct(">I")
_READY, _FAILED, _STOP = b"ready", b"failed ", b"stop\n"


class RelayStoppedError(LinkError):
    """The DSN's process ended while it should have been relaying."""


DSN_CLIENT_ID = "roverops-dsn"


class OpensBus(Protocol):
    """Opens a connected bus with a client id and a last will (``roverops.runtime.open_bus``
    with its URL bound, say); it must pickle: a module-level function, or a partial of one."""

    def __call__(self, client_id: str, *, will: Message | None = None
                 ) -> AbstractAsyncContextManager[Bus]: ...


@dataclass(frozen=True)
class Settings:
    """What the relay's process needs; pickled to it over its standard input."""

    open_bus: OpensBus
    light_time_spec: str
    data_dir: Path
    log_level: int = logging.INFO


async def run_apart(settings: Settings) -> None:
    """Run the relay in its own process until cancelled (then stop it cleanly) or until it
    ends by itself (:class:`RelayStoppedError`, with its reason)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "deepspace.apart",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        cwd=os.getcwd(), env={**os.environ, "PYTHONPATH": _import_path()})
    if process.stdin is None or process.stdout is None:  # asked for above: never
        raise RelayStoppedError("the DSN's process has no pipes")
    reason: str | None = None
    try:
        data = pickle.dumps(settings)
        process.stdin.write(_LENGTH.pack(len(data)) + data)
        await process.stdin.drain()
        while line := await process.stdout.readline():
            if line.startswith(_READY):
                log.info("DSN relaying in its own process (pid %d)", process.pid)
            elif line.startswith(_FAILED):
                reason = line[len(_FAILED):].decode(errors="replace").strip()
        code = await process.wait()
    except BaseException:  # cancelled (up stops), or anything else: stop it cleanly
        await _stop(process)
        raise
    raise RelayStoppedError(f"the DSN stopped: {reason or f'its process exited with {code}'}")


async def _stop(process: asyncio.subprocess.Process) -> None:
    if process.returncode is None and process.stdin is not None:
        with contextlib.suppress(OSError):  # it may be gone already
            process.stdin.write(_STOP)
            process.stdin.close()
    try:
        async with asyncio.timeout(STOP_TIMEOUT_S):
            await process.wait()
    except TimeoutError:
        log.warning("the DSN's process did not stop within %g s: killed", STOP_TIMEOUT_S)
        process.kill()
        await process.wait()


def _import_path() -> str:
    """Where this interpreter found our packages, first: the child imports the same code."""
    here = str(Path(__file__).resolve().parent.parent)
    inherited = os.environ.get("PYTHONPATH")
    return here if not inherited else os.pathsep.join([here, inherited])


# -- the relay's side ---------------------------------------------------------------------


def main() -> int:
    """``python -m deepspace.apart``: settings on stdin, ``ready``/``failed`` on stdout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent: it says stop
    header = _read_exactly(_LENGTH.size)
    if header is None:
        return 2  # no parent to serve
    data = _read_exactly(_LENGTH.unpack(header)[0])
    if data is None:
        return 2
    settings: Settings = pickle.loads(data)
    logging.basicConfig(level=settings.log_level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    try:
        asyncio.run(_relay(settings))
    except (SpacelinkError, OSError) as exc:
        _say(_FAILED + str(exc).replace("\n", " ").encode())
        return 1
    except Exception as exc:
        log.exception("the DSN failed")
        _say(_FAILED + f"{type(exc).__name__}: {exc}".replace("\n", " ").encode())
        return 1
    return 0


def _read_exactly(size: int) -> bytes | None:
    """From stdin, unbuffered: what follows (``stop``) stays for the event loop to read."""
    data = b""
    while len(data) < size:
        chunk = os.read(0, size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def _say(line: bytes) -> None:
    with contextlib.suppress(OSError):
        sys.stdout.buffer.write(line + b"\n")
        sys.stdout.buffer.flush()


async def _relay(settings: Settings) -> None:
    model = parse_light_time(settings.light_time_spec)
    journal = Journal(settings.data_dir / JOURNAL_FILE)
    try:
        will = Message(topics.LINK, LinkState.closed().to_json(), retain=True)
        async with settings.open_bus(DSN_CLIENT_ID, will=will) as bus:
            clock = _Clock()
            following = asyncio.create_task(clock.follow(bus), name="dsn: clock")
            relay: asyncio.Task[None] | None = None
            try:
                await clock.wait(CLOCK_WAIT_S)
                dsn = Dsn(bus, model, settings.light_time_spec, clock, journal=journal)
                relay = asyncio.create_task(dsn.run(), name="dsn")
                told = asyncio.create_task(_told_to_stop(), name="dsn: parent")
                _say(_READY)
                await asyncio.wait([relay, told], return_when=asyncio.FIRST_COMPLETED)
                if relay.done():
                    told.cancel()
                    relay.result()  # its failure, if it failed
                    return
                relay.cancel()
                await asyncio.gather(relay, return_exceptions=True)
                if told.result():  # a clean stop: say the link is closed (else the will does)
                    try:
                        async with asyncio.timeout(LAST_WORD_S):
                            await dsn.close_link()
                    except TimeoutError:
                        log.warning("could not say the link is closed before exiting")
            finally:
                for task in (following, relay):
                    if task is not None:
                        task.cancel()
                await asyncio.gather(following, return_exceptions=True)
    finally:
        journal.close()  # after the bus: late acknowledgements land in it


async def _told_to_stop() -> bool:
    """True when the parent said stop; False when it vanished (the pipe closed)."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    return await reader.readline() == _STOP


class _Clock:
    """The mission clock the ground publishes retained on ``roverops/clock``."""

    def __init__(self) -> None:
        self._clock: MissionClock | None = None
        self._received = asyncio.Event()

    def __call__(self) -> MissionClock:
        if self._clock is None:
            raise ClockError("no mission clock received yet")
        return self._clock

    async def wait(self, patience_s: float) -> None:
        try:
            async with asyncio.timeout(patience_s):
                await self._received.wait()
        except TimeoutError:
            raise ClockError(f"no mission clock on {topics.CLOCK} within {patience_s:g} s: "
                             "is the ground running on this broker?") from None

    async def follow(self, bus: Bus) -> None:
        async for message in bus.subscribe(topics.CLOCK, qos=0):  # restated state
            try:
                self._clock = MissionClock.from_json(message.payload)
            except ClockError as exc:
                log.warning("ignoring a bad mission clock: %s", exc)
                continue
            self._received.set()


if __name__ == "__main__":
    sys.exit(main())
