"""The chaos run: the whole system as real processes, every part SIGKILLed in turn under load.

Ground, DSN and rover run as separate ``roverops`` processes on a Mosquitto with the documented
persistence settings. Several operators submit commands for a while (each POST carries an
``Idempotency-Key`` and is retried until answered, as a client that lost an answer to a dead
ground must); meanwhile the broker, the DSN, the ground and the rover are each killed with
SIGKILL and started again, one after another; last, the broker loses its disk while the DSN is
away, with the TCs it held for the DSN (only the ground's retransmission brings those back).
Then every command must end: none lost, none
``timed_out``, none executed twice (the rover's own non-volatile command counter says how many
it accepted), no telemetry sample or event archived twice. A command the rover was running
when it was killed ends ``failed`` with the reset code and is counted apart.

Used by the test in tests/e2e/test_chaos.py and by bench/chaos.py, which prints the figures.
"""

from __future__ import annotations

import collections
import itertools
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from roverops.broker import free_port
from spacelink.packets import FailureCode
from tests.support.mosquitto import Mosquitto
from tests.support.processes import Part
from tests.support.waiting import wait_for_sync

TOKEN = "chaos-token-0123456789"
ROVER = "/api/v1/rovers/zhurong"
OWLT_S = 10.0  # mission seconds, one way
SCALE = 10.0  # so a light time lasts one wall second, and a 30 s grace three
TERMINAL = {"completed", "rejected", "failed", "timed_out", "cancelled"}
# Short commands, instruments among them so that a rover killed mid-run has work to lose.
COMMANDS: tuple[tuple[str, dict[str, object]], ...] = (
    ("PING", {}),
    ("SET_HEATER", {"zone": "battery", "on": True}),
    ("SET_HEATER", {"zone": "battery", "on": False}),
    ("CLIMATE_SAMPLE", {"duration_s": 10}),
    ("MAG_SAMPLE", {"duration_s": 20}),
    ("TAKE_IMAGE", {"camera": "natecam"}),
)
POST_PATIENCE_S = 60.0  # how long an operator keeps retrying one submission
AWAY_S = 2.0  # how long the DSN is away before the broker loses its disk
KILLS = ("broker", "dsn", "ground", "rover", "amnesia")


@dataclass
class ChaosFigures:
    submitted: int = 0
    completed: int = 0
    failed_by_reset: int = 0
    failed_otherwise: list[str] = field(default_factory=list)
    timed_out: int = 0
    lost: int = 0  # answered 201, then missing or never ended
    rover_accepted: int = 0  # the rover's own count of TCs it executed (non-volatile)
    retransmissions: int = 0
    post_retries: int = 0
    duplicate_samples: int = 0
    duplicate_events: int = 0
    kills: list[str] = field(default_factory=list)
    submit_s: float = 0.0
    drain_s: float = 0.0  # from the end of submissions to every command ended

    @property
    def executed_twice(self) -> int:
        return max(0, self.rover_accepted - self.submitted)

    @property
    def never_executed(self) -> int:
        return max(0, self.submitted - self.rover_accepted)

    def summary(self) -> str:
        return (
            f"{self.submitted} commands over {self.submit_s:.0f} s, kills: "
            f"{', '.join(self.kills)}; completed {self.completed}, failed by reset "
            f"{self.failed_by_reset}, failed otherwise {len(self.failed_otherwise)}, timed out "
            f"{self.timed_out}, lost {self.lost}, executed twice {self.executed_twice}, never "
            f"executed {self.never_executed}; duplicate samples {self.duplicate_samples}, "
            f"duplicate events {self.duplicate_events}; retransmissions {self.retransmissions}, "
            f"POST retries {self.post_retries}; drained in {self.drain_s:.1f} s")


class ChaosSystem:
    """Broker, ground, DSN and rover as processes in ``directory``, each killable."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.broker = Mosquitto(directory / "broker")
        self.http_port = free_port()
        light = ["--light-time", f"fixed:{OWLT_S:g}"]
        mqtt = ["--mqtt", str(self.broker.url)]
        self.ground = Part(directory, "ground", [
            "ground", *mqtt, *light, "--time-scale", f"{SCALE:g}", "--http-port",
            str(self.http_port), "--data-dir", str(directory / "ground")],
            env={"ROVEROPS_TOKEN": TOKEN})
        self.dsn = Part(directory, "dsn", ["dsn", *mqtt, *light, "--data-dir",
                                           str(directory / "dsn")])
        self.rover = Part(directory, "rover", ["rover", *mqtt, "--data-dir",
                                               str(directory / "rover")])
        self.base_url = f"http://127.0.0.1:{self.http_port}"

    def client(self) -> httpx.Client:
        return api_client(self.base_url)

    def start(self) -> None:
        self.broker.start()
        self.start_ground()
        self.dsn.start()
        self.rover.start()
        with self.client() as http:
            wait_for_sync(lambda: online(http), 60, "the rover to come online")

    def start_ground(self) -> None:
        self.ground.start().wait_for_output(r"roverops console: (http://\S+)", 60)

    def stop(self) -> None:
        for part in (self.rover, self.dsn, self.ground):
            part.kill()
        self.broker.stop()

    def kill_and_restart(self, name: str, pause: threading.Event) -> None:
        if name == "amnesia":  # TCs queue in the broker for an absent DSN; then it loses them
            self.dsn.kill()
            pause.wait(AWAY_S)
            self.broker.kill(forget=True)
            self.broker.start()
            self.dsn.start()
            return
        restarts: dict[str, tuple[Callable[[], None], Callable[[], object]]] = {
            "broker": (self.broker.kill, self.broker.start),
            "dsn": (self.dsn.kill, self.dsn.start),
            "ground": (self.ground.kill, self.start_ground),
            "rover": (self.rover.kill, self.rover.start),
        }
        kill, start = restarts[name]
        kill()
        start()


def api_client(base_url: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=5.0,
                        headers={"Authorization": f"Bearer {TOKEN}"})


def online(http: httpx.Client) -> bool:
    try:
        return bool(http.get("/api/v1/rovers").json()[0]["online"])
    except (httpx.HTTPError, ValueError, KeyError, IndexError):
        return False


class Operator(threading.Thread):
    """Submits commands at a steady pace until told to stop; remembers every id it was given."""

    def __init__(self, client: Callable[[], httpx.Client], seed: int, period_s: float,
                 stop: threading.Event) -> None:
        super().__init__(name=f"operator-{seed}", daemon=True)
        self._client = client
        self._random = random.Random(seed)
        self._period_s = period_s
        self._halt = stop
        self.ids: list[int] = []
        self.retries = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with self._client() as http:
                while not self._halt.is_set():
                    name, args = self._random.choice(COMMANDS)
                    self.ids.append(self._submit(http, name, args))
                    self._halt.wait(self._period_s)  # pacing the load, not waiting on a state
        except BaseException as exc:  # reported by the caller, with the operator's name
            self.error = exc

    def _submit(self, http: httpx.Client, name: str, args: dict[str, object]) -> int:
        """POST until answered; the same key each time, so a lost answer queues nothing twice."""
        key = uuid.uuid4().hex
        answers: list[httpx.Response] = []

        def answered() -> bool:
            try:
                response = http.post(f"{ROVER}/commands", json={"name": name, "args": args},
                                     headers={"Idempotency-Key": key})
            except httpx.TransportError:
                self.retries += 1
                return False
            if response.status_code not in (200, 201):
                raise AssertionError(f"POST {name} answered {response.status_code}: "
                                     f"{response.text}")
            answers.append(response)
            return True

        wait_for_sync(answered, POST_PATIENCE_S, f"the ground to take a {name}")
        return int(answers[0].json()["id"])


def run_chaos(directory: Path, *, operators: int = 4, period_s: float = 0.5,
              kill_every_s: float = 6.0, order: tuple[str, ...] = KILLS,
              drain_timeout_s: float = 240.0) -> ChaosFigures:
    system = ChaosSystem(directory)
    figures = ChaosFigures()
    stop = threading.Event()
    crew = [Operator(system.client, seed, period_s, stop) for seed in range(operators)]
    system.start()
    try:
        started = time.monotonic()
        for operator in crew:
            operator.start()
        for name in order:
            stop.wait(kill_every_s)  # traffic flows between two kills
            system.kill_and_restart(name, stop)
            figures.kills.append(name)
        stop.wait(kill_every_s)
        stop.set()
        for operator in crew:
            operator.join(POST_PATIENCE_S + 10)
            if operator.error is not None:
                raise AssertionError(f"{operator.name} failed") from operator.error
        figures.submit_s = time.monotonic() - started
        ids = sorted(itertools.chain.from_iterable(o.ids for o in crew))
        figures.post_retries = sum(o.retries for o in crew)
        with system.client() as http:
            audit(http, ids, figures, drain_timeout_s)
        return figures
    finally:
        stop.set()
        system.stop()


def audit(http: httpx.Client, ids: list[int], figures: ChaosFigures,
          drain_timeout_s: float) -> None:
    """Wait until every command in ``ids`` ended, then count how each did, and what the rover
    and the archive say about repeats."""
    figures.submitted = len(ids)
    drained = time.monotonic()
    commands = _wait_all_ended(http, ids, drain_timeout_s)
    figures.drain_s = time.monotonic() - drained
    _count_outcomes(figures, ids, commands)
    figures.rover_accepted = _rover_accepted_after(http, commands)
    figures.duplicate_samples = _duplicate_samples(http)
    figures.duplicate_events = _duplicate_events(http)


def _commands(http: httpx.Client) -> dict[int, dict[str, Any]]:
    response = http.get(f"{ROVER}/commands", params={"limit": 1000})
    response.raise_for_status()
    return {c["id"]: c for c in response.json()}


def _wait_all_ended(http: httpx.Client, ids: list[int], timeout: float
                    ) -> dict[int, dict[str, Any]]:
    seen: list[dict[int, dict[str, Any]]] = [{}]

    def ended() -> bool:
        seen[0] = _commands(http)
        return all(seen[0].get(i, {}).get("state") in TERMINAL for i in ids)

    try:
        wait_for_sync(ended, timeout, "every command to end")
    except AssertionError:
        states = collections.Counter(seen[0].get(i, {}).get("state", "missing") for i in ids)
        raise AssertionError(f"not every command ended within {timeout:g} s: "
                             f"{dict(states)}") from None
    return seen[0]


def _count_outcomes(figures: ChaosFigures, ids: list[int],
                    commands: dict[int, dict[str, Any]]) -> None:
    reset = FailureCode.RESET.name
    for command_id in ids:
        command = commands.get(command_id)
        if command is None or command["state"] not in TERMINAL:
            figures.lost += 1
            continue
        figures.retransmissions += sum(
            1 for h in command["history"] if (h.get("detail") or "").startswith("retransmitted"))
        match command["state"]:
            case "completed":
                figures.completed += 1
            case "timed_out":
                figures.timed_out += 1
            case "failed" if (command["error"] or "").startswith(reset):
                figures.failed_by_reset += 1
            case _:
                figures.failed_otherwise.append(
                    f"{command['id']} {command['name']} {command['state']}: {command['error']}")


def _rover_accepted_after(http: httpx.Client, commands: dict[int, dict[str, Any]]) -> int:
    """The rover's ``cmd_accepted`` from housekeeping taken after the last command ended."""
    last_end = max(c["history"][-1]["at"] for c in commands.values())
    latest: list[dict[str, Any]] = [{}]

    def fresh() -> bool:
        latest[0] = http.get(f"{ROVER}/telemetry").json()["channels"].get("cmd_accepted", {})
        return bool(latest[0]) and latest[0]["rover_time"] > last_end

    wait_for_sync(fresh, 60, "housekeeping from after the last command")
    return int(latest[0]["value"])


def _duplicate_samples(http: httpx.Client) -> int:
    duplicates = 0
    for channel in ("battery_soc_pct", "cmd_accepted", "mode"):
        samples = http.get(f"{ROVER}/telemetry/{channel}", params={"limit": 10_000}).json()
        times = collections.Counter(s["rover_time"] for s in samples["samples"])
        duplicates += sum(n - 1 for n in times.values())
    return duplicates


def _duplicate_events(http: httpx.Client) -> int:
    events = http.get(f"{ROVER}/events", params={"limit": 1000}).json()
    keys = collections.Counter(e["seq_count"] for e in events)  # the packet that carried it
    return sum(n - 1 for n in keys.values())
