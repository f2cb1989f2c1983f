"""A part in a process of its own, started by ``roverops up`` and ended by it: the DSN.

Why a process: in ``roverops up`` the ground's work (a history of 10,000 samples read and
turned into JSON, request after request) holds the interpreter for milliseconds at a time,
and a thread of the same process would wait that long for its turn. A process of its own has
its own interpreter, event loop, MQTT client and journal; only the broker is shared, as when
the parts run apart. The child runs the DSN exactly as ``roverops dsn`` does
(:func:`roverops.parts.dsn`, following the retained mission clock): one wiring.

The parent calls :func:`run_apart` (a coroutine, one of the parts ``up`` runs): it starts
``python -m roverops.apart``, hands it its settings as one JSON line on its standard input
(the broker's credentials never appear on a command line), and returns or raises when the
relay ends. Over that pipe:

- cancelled (``up`` stops), it says ``stop``: the relay states its link closed and exits; if
  it has not exited within :data:`STOP_TIMEOUT_S`, it is killed (the last will says closed);
- the relay failing ends :func:`run_apart` with :class:`PartStoppedError`, one line saying why;
- the parent dying (even SIGKILLed) closes the pipe: the child exits at once, so a restarted
  ``up`` never finds an old relay still releasing from the same journal.

Ctrl-C reaches the whole process group: the child ignores SIGINT and waits for its ``stop``,
so it always stops after the parts upstream and before the broker of ``up``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

from roverops import parts
from roverops.mqtt_url import MqttUrl
from spacelink.errors import LinkError, SpacelinkError
from spacelink.lighttime import parse_light_time

log = logging.getLogger(__name__)

STOP_TIMEOUT_S = 10.0
_READY, _FAILED, _STOP = b"ready", b"failed ", b"stop\n"


class PartStoppedError(LinkError):
    """The part's process ended while it should have been running."""


@dataclass(frozen=True)
class DsnSettings:
    """What the DSN's process needs; sent to it as one JSON line (secrets included)."""

    url: MqttUrl
    light_time_spec: str
    data_dir: Path
    log_level: int = logging.INFO

    def to_line(self) -> bytes:
        return json.dumps({"url": self.url.with_secret(), "light_time": self.light_time_spec,
                           "data_dir": str(self.data_dir), "log_level": self.log_level}
                          ).encode() + b"\n"

    @classmethod
    def from_line(cls, line: bytes) -> DsnSettings:
        data = json.loads(line)
        return cls(MqttUrl.parse(data["url"]), data["light_time"], Path(data["data_dir"]),
                   int(data["log_level"]))


async def run_apart(settings: DsnSettings) -> None:
    """Run the DSN in its own process until cancelled (then stop it cleanly) or until it ends
    by itself (:class:`PartStoppedError`, with its reason)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "roverops.apart",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": _import_path()})
    if process.stdin is None or process.stdout is None:  # asked for above: never
        raise PartStoppedError("the DSN's process has no pipes")
    reason: str | None = None
    try:
        process.stdin.write(settings.to_line())
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
    raise PartStoppedError(f"the DSN stopped: {reason or f'its process exited with {code}'}")


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


# -- the child's side ---------------------------------------------------------------------


def main() -> int:
    """``python -m roverops.apart``: settings on stdin, ``ready``/``failed`` on stdout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the parent: it says stop
    line = _read_line()
    if line is None:
        return 2  # no parent to serve
    settings = DsnSettings.from_line(line)
    logging.basicConfig(level=settings.log_level, stream=sys.stderr,
                        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s")
    try:
        asyncio.run(_serve(settings))
    except (SpacelinkError, OSError) as exc:
        _say(_FAILED + str(exc).replace("\n", " ").encode())
        return 1
    except Exception as exc:
        log.exception("the DSN failed")
        _say(_FAILED + f"{type(exc).__name__}: {exc}".replace("\n", " ").encode())
        return 1
    return 0


def _read_line() -> bytes | None:
    """One line from stdin, unbuffered: what follows (``stop``) stays for the event loop."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(0, 1)
        if not chunk:
            return None
        data += chunk
    return data


def _say(line: bytes) -> None:
    with contextlib.suppress(OSError):
        sys.stdout.buffer.write(line + b"\n")
        sys.stdout.buffer.flush()


async def _serve(settings: DsnSettings) -> None:
    model = parse_light_time(settings.light_time_spec)
    async with parts.dsn(settings.url, settings.data_dir, model,
                         settings.light_time_spec) as (_, running):
        (relay_part,) = running.values()
        relay = asyncio.create_task(relay_part, name="dsn")
        told = asyncio.create_task(_told_to_stop(), name="dsn: parent")
        _say(_READY)
        await asyncio.wait([relay, told], return_when=asyncio.FIRST_COMPLETED)
        if relay.done():
            told.cancel()
            relay.result()  # its failure, if it failed
            return
        relay.cancel()
        await asyncio.gather(relay, return_exceptions=True)  # leaving parts.dsn: link closed


async def _told_to_stop() -> bool:
    """True when the parent said stop; False when it vanished (the pipe closed)."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    return await reader.readline() == _STOP


if __name__ == "__main__":
    sys.exit(main())
