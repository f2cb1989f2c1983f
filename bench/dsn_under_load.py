"""The DSN's hold error in ``roverops up``, alone and while four consoles reload long histories.

``roverops up --mqtt`` on a real Mosquitto (settings as in ``dsn_timing.py``), its ground
holding 12,000 housekeeping packets of Zhurong (every channel, 1 Hz). The hold error is
measured from outside exactly as ``dsn_timing.py`` does (1,000 packets/s through the DSN, a raw
one-hop stream beside it for the floor), twice in each round: with no client, then with four
console clients (one process apart, a thread each) reloading
``GET /api/v1/rovers/zhurong/telemetry/{channel}?limit=10000`` in a loop, each its own
channel. The goal: the p99 under load within 1.5 x the p99 without.

    .venv/bin/python bench/dsn_under_load.py [--rounds 3] [--seconds 10]
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dsn_timing import (
    OWLT_S,
    BenchMosquitto,
    Figures,
    load,
    measure,
    report_header,
    report_row,
    wait_link_open,
)

from ground.segment import STORE_FILE
from ground.store import Store
from roverops.broker import free_port
from spacelink.dictionary import DICTIONARY, HousekeepingStructure, Value

ROOT = Path(__file__).resolve().parent.parent
ROVER = "zhurong"
TOKEN = "bench-token-0123456789"
HISTORY_PACKETS = 12_000  # each channel: more than the 10,000 a request asks for
CLIENTS = 4
RATE = 1000.0


def _value_maker(structure: HousekeepingStructure) -> Callable[[int], dict[str, Value]]:
    def make(k: int) -> dict[str, Value]:
        values: dict[str, Value] = {}
        for index, channel in enumerate(structure.channels):
            choices = channel.field.choices
            values[channel.name] = (choices[k % len(choices)] if choices else
                                    (k % 4000) * 0.25 + index if channel.field.type == "f32"
                                    else (k + index) % 65_536)
        return values

    return make


def seed(data_dir: Path) -> list[str]:
    """The ground's archive, the last 12,000 seconds of every structure; four channels."""
    data_dir.mkdir(parents=True, exist_ok=True)
    store = Store(data_dir / STORE_FILE)
    start_us = int((time.time() - HISTORY_PACKETS - 60) * 1e6)
    try:
        for structure in DICTIONARY.housekeeping:
            make = _value_maker(structure)
            store.add_housekeeping_many(ROVER, structure, [
                (start_us + k * 1_000_000, start_us + k * 1_000_000 + 500_000, k % 16_384,
                 make(k)) for k in range(HISTORY_PACKETS)])
    finally:
        store.close()
    channels = [c.name for s in DICTIONARY.housekeeping for c in s.channels
                if not c.field.choices]
    return channels[:CLIENTS]


def clients(base_url: str, channels: list[str], seconds: float) -> None:
    """``--clients``: reload each channel's 10,000 newest samples in a loop, a thread each;
    prints the requests answered and their median time."""
    stop = time.monotonic() + seconds
    times: list[float] = []
    errors: list[str] = []

    def reload(channel: str) -> None:
        with httpx.Client(base_url=base_url, timeout=30,
                          headers={"Authorization": f"Bearer {TOKEN}"}) as http:
            while time.monotonic() < stop:
                started = time.perf_counter()
                answer = http.get(f"/api/v1/rovers/{ROVER}/telemetry/{channel}",
                                  params={"limit": 10_000})
                if answer.status_code != 200 or len(answer.json()["samples"]) < 10_000:
                    errors.append(f"{channel}: {answer.status_code} {answer.text[:200]}")
                    return
                times.append(time.perf_counter() - started)

    threads = [threading.Thread(target=reload, args=(c,)) for c in channels]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        print(f"errors: {errors[0]}", flush=True)
    print(f"requests {len(times)} median {statistics.median(times) * 1000:.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="rounds (default 3)")
    parser.add_argument("--seconds", type=float, default=10.0, help="per run (default 10)")
    parser.add_argument("--clients-nice", type=int, default=0, metavar="N",
                        help="run the clients' process at this niceness (default 0: they "
                             "compete for the CPU as equals)")
    parser.add_argument("--clients", nargs="+", metavar="ARG", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.clients:
        base_url, seconds, *channels = args.clients
        clients(base_url, channels, float(seconds))
        return
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"
        channels = seed(data_dir)
        broker = BenchMosquitto(Path(tmp) / "mosquitto")
        broker.start()
        port = free_port()
        base_url = f"http://127.0.0.1:{port}"
        out = (Path(tmp) / "up.log").open("w+b")
        up = subprocess.Popen(
            [sys.executable, "-m", "roverops.cli", "up", "--mqtt", broker.url.with_secret(),
             "--http-port", str(port), "--light-time", f"fixed:{OWLT_S:g}",
             "--time-scale", "1", "--data-dir", str(data_dir)],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
            env={**os.environ, "ROVEROPS_TOKEN": TOKEN})
        try:
            wait_link_open(broker.url)
            print(f"DSN hold error in `roverops up --mqtt` (Mosquitto on loopback), "
                  f"{RATE:g} packets/s for {args.seconds:g} s a run, OWLT {OWLT_S:g} s; "
                  f"{CLIENTS} clients reloading {', '.join(channels)} (10,000 samples each, "
                  f"niceness {args.clients_nice}); "
                  f"{load()}")
            report_header()
            quiet: list[tuple[float, float, float, float]] = []
            loaded: list[tuple[float, float, float, float]] = []
            for round_ in range(args.rounds):
                quiet.append(report_row(f"{round_ + 1}q",
                                        measure(broker.url, RATE, args.seconds,
                                                tag=f"-q{round_}")))
                hammer = subprocess.Popen(
                    ["nice", "-n", str(args.clients_nice), sys.executable, __file__,
                     "--clients", base_url,
                     str(args.seconds + OWLT_S + 4), *channels],
                    stdout=subprocess.PIPE, text=True, cwd=ROOT)
                time.sleep(2.0)  # the clients are in their stride
                figures: Figures = measure(broker.url, RATE, args.seconds, tag=f"-l{round_}")
                served, _ = hammer.communicate(timeout=120)
                loaded.append(report_row(f"{round_ + 1}L", figures))
                match = re.search(r"requests (\d+) median ([\d.]+)", served)
                print(f"      clients: {served.strip().splitlines()[-1] if served else '?'}"
                      + (f" ({int(match[1]) / (args.seconds + OWLT_S + 2):.0f} requests/s)"
                         if match else ""), flush=True)
            q99 = statistics.median(r[3] for r in quiet)
            l99 = statistics.median(r[3] for r in loaded)
            print(f"hold error p99, median of {args.rounds} rounds: {q99:.2f} ms without clients,"
                  f" {l99:.2f} ms with {CLIENTS}: {l99 / q99:.2f}x (goal: at most 1.5x) "
                  f"{'met' if l99 <= 1.5 * q99 else 'NOT met'}")
            print(f"after: {load()}")
        finally:
            up.send_signal(signal.SIGINT)
            try:
                code = up.wait(30)
            except subprocess.TimeoutExpired:
                up.kill()
                code = up.wait()
            out.seek(0)
            if code != 0:
                print(f"roverops up exited with {code}:\n{out.read().decode()[-3000:]}",
                      file=sys.stderr)
            out.close()
            broker.stop()


if __name__ == "__main__":
    main()
