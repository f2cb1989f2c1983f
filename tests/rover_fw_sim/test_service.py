"""The emulator on a bus: in memory, and on a real Mosquitto through `roverops rover`."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import time
from pathlib import Path

import pytest

from rover_fw_sim.service import RoverEmulator
from roverops import cmd_rover
from roverops.mqtt import MqttBus
from spacelink import topics
from spacelink.clock import MissionClock
from spacelink.control import Presence
from spacelink.packets import Telemetry, Verification, parse_tm
from spacelink.rovers import ZHURONG
from tests.rover_fw_sim.tctools import T0, kinds, tc
from tests.support.memory_bus import MemoryBroker
from tests.support.mosquitto import Mosquitto
from tests.support.waiting import wait_for

TC, TM, STATUS = (f(ZHURONG.id) for f in (topics.mars_tc, topics.mars_tm, topics.mars_status))


def _tms(broker: MemoryBroker) -> list[Telemetry]:
    return [parse_tm(m.payload) for m in broker.published if m.topic == TM]


async def test_emulator_on_a_memory_bus(memory_broker: MemoryBroker) -> None:
    clock = MissionClock(T0, time.time(), 60.0)
    emulator = RoverEmulator(memory_broker.client(), ZHURONG, lambda: clock, seed=1)
    task = asyncio.create_task(emulator.run())
    try:
        await wait_for(lambda: STATUS in memory_broker.retained, 2.0, "presence")
        presence = Presence.from_json(memory_broker.retained[STATUS].payload)
        assert (presence.state, presence.kind, presence.rover) == ("online", "emulator",
                                                                   "zhurong")
        assert presence.supports is None  # every command of the dictionary
        assert presence.since is not None and presence.since.startswith("2021-06-01T00:0")
        await memory_broker.client().publish(TC, tc("DRIVE", seq=1, distance_m=0.5))
        await wait_for(lambda: Verification.COMPLETION_SUCCESS in kinds(_tms(memory_broker), 1),
                       5.0, "the drive to complete at 60x")
        tms = _tms(memory_broker)
        assert tms[0].service == 5  # BOOT first
        assert [tm.seq_count for tm in tms] == list(range(len(tms)))  # published in order
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    await emulator.retire()
    assert not Presence.from_json(memory_broker.retained[STATUS].payload).online


async def test_retained_tc_is_not_executed(memory_broker: MemoryBroker) -> None:
    await memory_broker.client().publish(TC, tc("PING", seq=1), retain=True)
    clock = MissionClock(T0, time.time())
    emulator = RoverEmulator(memory_broker.client(), ZHURONG, lambda: clock)
    task = asyncio.create_task(emulator.run())
    try:
        await wait_for(lambda: STATUS in memory_broker.retained, 2.0, "presence")
        await memory_broker.client().publish(TC, tc("PING", seq=2))
        await wait_for(lambda: kinds(_tms(memory_broker), 2), 2.0, "the live PING")
        assert kinds(_tms(memory_broker), 1) == []
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    cmd_rover.register(parser.add_subparsers())
    return parser.parse_args(["rover", *argv])


def test_command_line_options() -> None:
    args = _args("--pty", "--seed", "4")
    assert (args.pty, args.serial, args.seed, args.rover) == (True, None, 4, ZHURONG)
    assert args.data_dir == Path("var")  # as every other part's
    assert str(args.mqtt) == "mqtt://127.0.0.1:1883"
    assert args.handler is cmd_rover.run
    with pytest.raises(SystemExit):
        _args("--pty", "--serial", "DEVICE")


@pytest.mark.integration
async def test_roverops_rover_on_mosquitto(mosquitto: Mosquitto, tmp_path: Path) -> None:
    seen: list[bytes] = []
    statuses: list[bytes] = []
    async with MqttBus(mosquitto.url, "test-ground") as ground:
        await ground.wait_connected(5.0)
        clock = MissionClock(T0, time.time(), 10.0)
        await ground.publish(topics.CLOCK, clock.to_json(), retain=True)

        async def watch() -> None:
            async for message in ground.subscribe(TM, STATUS):
                (seen if message.topic == TM else statuses).append(message.payload)

        watcher = asyncio.create_task(watch())
        rover = asyncio.create_task(cmd_rover._main(_args(
            "--mqtt", mosquitto.url.with_secret(), "--data-dir", str(tmp_path / "data"))))
        try:
            await wait_for(lambda: any(Presence.from_json(s).online for s in statuses), 10.0,
                           "presence")
            await ground.publish(TC, tc("PING", seq=1))
            await ground.publish(TC, tc("PING", seq=1))  # delivered twice: executed once
            await wait_for(lambda: kinds([parse_tm(p) for p in seen], 1).count(
                Verification.COMPLETION_SUCCESS) == 2, 10.0, "completion and its replay")
            tms = [parse_tm(p) for p in seen]
            assert kinds(tms, 1).count(Verification.ACCEPTANCE_SUCCESS) == 2
            assert sum((tm.service, tm.subtype) == (17, 2) for tm in tms) == 1
            assert tms[-1].time.year == 2021  # on the published mission clock
            os.kill(os.getpid(), signal.SIGINT)  # handled by the rover's loop: a clean stop
            await asyncio.wait_for(rover, 10.0)
            await wait_for(lambda: not Presence.from_json(statuses[-1]).online, 5.0,
                           "offline on a clean exit")
            assert (tmp_path / "data" / "rover-zhurong.sqlite3").exists()  # its memory
        finally:
            rover.cancel()
            watcher.cancel()
            await asyncio.gather(rover, watcher, return_exceptions=True)
