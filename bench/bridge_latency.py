"""Bench of the serial bridge: latency it adds, framing overhead, packets per second.

    .venv/bin/python bench/bridge_latency.py [--count 500]

Starts a real Mosquitto on a free port and the bridge in-process on one end of a pty; on
the other end an echo "board" (a thread) reads each TC frame, timestamps it and writes it
straight back, which the bridge publishes on mars/tm. So:

- down: MQTT publish of a TC -> its frame readable on the board's side of the pty;
- up: frame written by the board -> the packet delivered to a subscriber on mars/tm;
- throughput: packets/s through bridge and broker, beside raw pyserial on the same pty in
  the same run (frames written and read back with nothing in between).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import struct
import sys
import tempfile
import threading
import time
import tty
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import serial

from hil.bridge import Bridge, BridgeConfig
from roverops.mqtt import MqttBus
from spacelink import topics
from spacelink.clock import MissionClock
from spacelink.dictionary import DICTIONARY
from spacelink.framing import Deframer, frame
from spacelink.packets import Telecommand, build_tc
from spacelink.rovers import ZHURONG
from tests.support.mosquitto import Mosquitto


class EchoBoard:
    """Reads frames on the pty master, notes when each arrived, writes it back at once."""

    def __init__(self, master: int) -> None:
        self.master = master
        self.arrived: dict[int, float] = {}  # seq count -> perf_counter at arrival
        self.echoed: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        deframer = Deframer()
        while not self.stop.is_set():
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            now = time.perf_counter()
            for packet in deframer.feed(data):
                seq = struct.unpack(">H", packet[2:4])[0] & 0x3FFF
                self.arrived[seq] = now
                self.echoed[seq] = time.perf_counter()
                os.write(self.master, frame(packet))

    def heartbeat(self) -> None:
        """Any frame makes the bridge consider the board online."""
        os.write(self.master, frame(Telecommand(ZHURONG.apid, 0, 17, 1, b"").pack()))


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


async def through_bridge(count: int, slave_path: str, board: EchoBoard,
                         mosquitto: Mosquitto) -> tuple[list[float], list[float], float]:
    config = BridgeConfig(slave_path, ZHURONG, silence_s=30)
    received: dict[int, float] = {}
    arrivals: dict[int, asyncio.Event] = {}
    done = asyncio.Event()
    async with MqttBus(mosquitto.url, "bench-bridge") as bbus, \
            MqttBus(mosquitto.url, "bench-ground") as gbus:
        await bbus.wait_connected(10)
        await gbus.wait_connected(10)
        clock = MissionClock.starting_now(time.time())
        bridge_task = asyncio.create_task(Bridge(bbus, config, lambda: clock).run())

        async def watch() -> None:
            async with gbus.subscribe(topics.mars_tm(ZHURONG.id)) as sub:
                async for message in sub:
                    seq = struct.unpack(">H", message.payload[2:4])[0] & 0x3FFF
                    received[seq] = time.perf_counter()
                    arrivals.setdefault(seq, asyncio.Event()).set()
                    if len([s for s in received if s >= 1]) >= count:
                        done.set()

        watcher = asyncio.create_task(watch())
        board.heartbeat()
        while not bridge_task.done() and "online" not in str(await _status(gbus)):
            board.heartbeat()
        tcs = [build_tc(DICTIONARY, ZHURONG.apid, 1 + i, "PING", {}) for i in range(count)]
        sent: dict[int, float] = {}
        # latency: one at a time
        for tc in tcs[: count // 2]:
            sent[tc.seq_count] = time.perf_counter()
            await gbus.publish(topics.mars_tc(ZHURONG.id), tc.pack())
            await arrivals.setdefault(tc.seq_count, asyncio.Event()).wait()
        down = [board.arrived[s] - sent[s] for s in sent]
        up = [received[s] - board.echoed[s] for s in sent]
        # throughput: the other half back to back
        start = time.perf_counter()
        for tc in tcs[count // 2:]:
            await gbus.publish(topics.mars_tc(ZHURONG.id), tc.pack())
        await asyncio.wait_for(done.wait(), 60)
        rate = (count - count // 2) / (time.perf_counter() - start)
        watcher.cancel()
        bridge_task.cancel()
        await asyncio.gather(watcher, bridge_task, return_exceptions=True)
    return down, up, rate


async def _status(bus: MqttBus) -> bytes:
    async with bus.subscribe(topics.mars_status(ZHURONG.id)) as sub:
        try:
            async with asyncio.timeout(0.2):
                return (await anext(sub)).payload
        except TimeoutError:
            return b""


def raw_pyserial(count: int) -> float:
    master, slave = os.openpty()
    tty.setraw(master)
    tty.setraw(slave)
    port = serial.Serial(os.ttyname(slave), 115200, timeout=1)
    packets = [frame(build_tc(DICTIONARY, ZHURONG.apid, i, "PING", {}).pack())
               for i in range(count)]
    deframer = Deframer()
    got = 0
    start = time.perf_counter()
    writer = threading.Thread(target=lambda: [os.write(master, p) for p in packets])
    writer.start()
    while got < count:
        got += len(deframer.feed(port.read(max(1, port.in_waiting))))
    rate = count / (time.perf_counter() - start)
    writer.join()
    port.close()
    os.close(master)
    os.close(slave)
    return rate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=500)
    args = parser.parse_args()
    sizes = {
        "PING TC": build_tc(DICTIONARY, ZHURONG.apid, 1, "PING", {}).pack(),
        "DRIVE TC": build_tc(DICTIONARY, ZHURONG.apid, 1, "DRIVE",
                             {"distance_m": 1.0, "speed_mps": 0.05}).pack(),
        "SID 1 TM (54 B)": bytes(range(1, 55)),
    }
    print("framing overhead (COBS + delimiter):")
    for name, packet in sizes.items():
        print(f"  {name:<18} {len(packet):4d} B -> {len(frame(packet)):4d} B "
              f"(+{len(frame(packet)) - len(packet)})")
    with tempfile.TemporaryDirectory() as tmp:
        mosquitto = Mosquitto(Path(tmp) / "mosquitto")
        mosquitto.start()
        master, slave = os.openpty()
        tty.setraw(master)
        tty.setraw(slave)
        board = EchoBoard(master)
        board.thread.start()
        try:
            down, up, rate = asyncio.run(
                through_bridge(args.count, os.ttyname(slave), board, mosquitto))
        finally:
            board.stop.set()
            mosquitto.stop()
            os.close(slave)
    raw = raw_pyserial(args.count)
    ms = 1000.0
    print(f"latency over {len(down)} one-at-a-time PINGs (ms):")
    print(f"  MQTT in -> bytes out  median {statistics.median(down) * ms:6.2f}  "
          f"p99 {pct(down, 0.99) * ms:6.2f}")
    print(f"  bytes in -> MQTT out  median {statistics.median(up) * ms:6.2f}  "
          f"p99 {pct(up, 0.99) * ms:6.2f}")
    print("throughput (packets/s, same pty kind, same run):")
    print(f"  through bridge + Mosquitto  {rate:8.0f}")
    print(f"  raw pyserial on a pty       {raw:8.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
