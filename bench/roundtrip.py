"""End-to-end command round trips per second, beside the raw throughput of the same broker.

A round trip: POST a PING over HTTP; the ground radiates it; the DSN relays it (zero light
time); the emulator executes it; its ST[01] reports come back the same way; the command is
``completed`` on the WebSocket stream. Eight operators send concurrently. The raw figure is a
minimal aiomqtt client publishing QoS 1 one by one to a subscriber on the same Mosquitto, in
the same run. The ratio is the cost of everything we add.

    .venv/bin/python bench/roundtrip.py
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import aiomqtt
import httpx
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from roverops.broker import free_port
from tests.support.mosquitto import Mosquitto
from tests.support.processes import Part

TOKEN = "bench-token-0123456789"
SECONDS = 10.0
OPERATORS = 32
RAW_MESSAGES = 5000


async def raw_broker_rate(port: int) -> float:
    async with (aiomqtt.Client("127.0.0.1", port, identifier="raw-sub") as sub,
                aiomqtt.Client("127.0.0.1", port, identifier="raw-pub") as pub):
        await sub.subscribe("bench/raw", qos=1)
        received = 0
        done = asyncio.Event()

        async def count() -> None:
            nonlocal received
            async for _ in sub.messages:
                received += 1
                if received == RAW_MESSAGES:
                    done.set()
                    return

        counter = asyncio.create_task(count())
        start = time.perf_counter()
        for n in range(RAW_MESSAGES):
            await pub.publish("bench/raw", n.to_bytes(4, "big") + bytes(60), qos=1)
        await asyncio.wait_for(done.wait(), 60)
        counter.cancel()
        return RAW_MESSAGES / (time.perf_counter() - start)


async def round_trips(http_port: int) -> tuple[float, list[float]]:
    completed: dict[int, float] = {}
    waiting: dict[int, asyncio.Event] = {}
    sent: dict[int, float] = {}
    async with websockets.connect(
            f"ws://127.0.0.1:{http_port}/api/v1/stream?token={TOKEN}") as stream:

        async def listen() -> None:
            async for text in stream:
                message = json.loads(text)
                if message["type"] == "command" and message["data"]["state"] == "completed":
                    command_id = message["data"]["id"]
                    completed.setdefault(command_id, time.perf_counter())
                    waiting.setdefault(command_id, asyncio.Event()).set()

        listener = asyncio.create_task(listen())
        deadline = time.perf_counter() + SECONDS
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{http_port}",
                                     headers={"Authorization": f"Bearer {TOKEN}"}) as http:

            async def operator() -> None:
                while time.perf_counter() < deadline:
                    t0 = time.perf_counter()
                    response = await http.post("/api/v1/rovers/zhurong/commands",
                                               json={"name": "PING"})
                    command_id = response.json()["id"]
                    sent[command_id] = t0
                    # The stream may announce the completion before the POST answers.
                    await waiting.setdefault(command_id, asyncio.Event()).wait()

            start = time.perf_counter()
            await asyncio.gather(*(operator() for _ in range(OPERATORS)))
            elapsed = time.perf_counter() - start
        listener.cancel()
    latencies = sorted(completed[i] - sent[i] for i in sent if i in completed)
    return len(latencies) / elapsed, latencies


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        broker = Mosquitto(Path(tmp) / "broker")
        broker.start()
        http_port = free_port()
        os.environ["ROVEROPS_TOKEN"] = TOKEN
        up = Part(Path(tmp), "up", ["up", "--mqtt", str(broker.url), "--http-port",
                                    str(http_port), "--light-time", "fixed:0",
                                    "--data-dir", str(Path(tmp) / "data")])
        up.start()
        try:
            up.wait_for_output(r"roverops console")
            async with httpx.AsyncClient(headers={"Authorization": f"Bearer {TOKEN}"}) as http:
                for _ in range(300):
                    rovers = (await http.get(f"http://127.0.0.1:{http_port}/api/v1/rovers")).json()
                    if rovers[0]["online"]:
                        break
                    await asyncio.sleep(0.1)
            raw = await raw_broker_rate(broker.port)
            rate, latencies = await round_trips(http_port)
        finally:
            up.stop()
            broker.stop()
    median = latencies[len(latencies) // 2] * 1000
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))] * 1000
    print(f"raw broker (one client, QoS 1 one by one): {raw:,.0f} messages/s")
    print(f"command round trips ({OPERATORS} operators, HTTP -> broker -> DSN (0 s) -> rover -> "
          f"back, 5 broker relays each way): {rate:,.1f}/s, median {median:.1f} ms, "
          f"p99 {p99:.1f} ms")
    print(f"ratio: one round trip costs the time of {raw / rate:.1f} raw broker messages")


if __name__ == "__main__":
    asyncio.run(main())
