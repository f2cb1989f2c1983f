"""The bridge between a real broker and the firmware on simavr (or no board at all)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from hil.bridge import BridgeConfig
from rover_fw_sim.flight import FlightSoftware
from spacelink import topics
from spacelink.dictionary import DICTIONARY
from spacelink.packets import FailureCode, VerificationReport, decode_report
from spacelink.rovers import ZHURONG
from tests.hil.boards import SimavrBoard
from tests.hil.bridging import bridged
from tests.support.mosquitto import Mosquitto

COMPLETE = ["ACCEPTANCE_SUCCESS", "START_SUCCESS", "COMPLETION_SUCCESS"]


@pytest.mark.hil
async def test_ping_crosses_the_bridge(mosquitto: Mosquitto, simavr_board: SimavrBoard) -> None:
    config = BridgeConfig(str(simavr_board.path), ZHURONG)
    async with bridged(mosquitto.url, config) as (bridge, ground):
        await ground.until(lambda: ground.state == "online", "presence online")
        assert ground.status[-1]["kind"] == "bridge"
        rid = await ground.send(ground.tc("PING"))
        await ground.until(lambda: ground.reports(rid) == COMPLETE, "PING completed")
        assert ground.pongs() == 1
        await ground.until(lambda: int(str(ground.counters.get("frames_down", 0))) >= 1,
                           "counters")
        # The bridge's own SYNC_TIME (and its reports) never reached the ground.
        known = {rid}
        assert all(r.request_id in known for _, r in ground.tms
                   if hasattr(r, "request_id")), "reports for a TC the ground never sent"
        assert bridge.counters.crc_errors == 0
        assert ground.counters["board_online"] is True


@pytest.mark.hil
async def test_device_pulled_and_back(mosquitto: Mosquitto, simavr_board: SimavrBoard) -> None:
    config = BridgeConfig(str(simavr_board.path), ZHURONG, queue_bound_s=60)
    async with bridged(mosquitto.url, config) as (bridge, ground):
        await ground.until(lambda: ground.state == "online", "presence online")
        simavr_board.stop()  # the device vanishes
        await ground.until(lambda: ground.state == "offline", "presence offline")
        rid = await ground.send(ground.tc("DRIVE", {"distance_m": 0.05}))
        await ground.until(lambda: bridge.counters.queued == 1, "the TC queued")
        simavr_board.start()  # a new board process, back under the same name
        await ground.until(lambda: ground.state == "online", "presence online again")
        await ground.until(lambda: ground.reports(rid)[-1:] == ["COMPLETION_SUCCESS"],
                           "the queued DRIVE executed", within=30)
        assert ground.reports(rid).count("ACCEPTANCE_SUCCESS") == 1
        assert bridge.counters.reopenings >= 1
        assert bridge.counters.expired == 0


@pytest.mark.integration
async def test_tc_for_an_absent_board_is_answered(mosquitto: Mosquitto, tmp_path: Path) -> None:
    config = BridgeConfig(str(tmp_path / "no-such-device"), ZHURONG, queue_bound_s=1.0)
    async with bridged(mosquitto.url, config) as (bridge, ground):
        await ground.until(lambda: ground.state == "offline", "presence offline")
        rid = await ground.send(ground.tc("PING"))
        await ground.until(lambda: ground.failures(rid), "an answer for the queued TC")
        (failure,) = ground.failures(rid)
        assert failure.kind.name == "ACCEPTANCE_FAILURE"
        assert failure.failure == FailureCode.BOARD_UNREACHABLE
        assert bridge.counters.expired == 1
        await ground.until(lambda: ground.counters.get("expired") == 1, "expired counted")


@pytest.mark.hil
async def test_bytes_that_are_not_a_tc_are_answered_as_the_emulator_would(
        mosquitto: Mosquitto, simavr_board: SimavrBoard) -> None:
    config = BridgeConfig(str(simavr_board.path), ZHURONG)
    async with bridged(mosquitto.url, config) as (bridge, ground):
        await ground.until(lambda: ground.state == "online", "presence online")
        ping = bytearray(ground.tc("PING").pack())
        ping[-1] ^= 0x5A
        short = ground.tc("PING").pack()[:9]
        lying = bytearray(ground.tc("PING").pack())
        lying[5] += 1
        written = bridge.counters.frames_down
        for raw in (bytes(ping), short, bytes(lying), b"\x18"):
            emulator = FlightSoftware(ZHURONG, datetime.now(UTC))
            (expected,) = [r for r in (decode_report(DICTIONARY, tm) for tm in
                                       emulator.handle_tc(raw, datetime.now(UTC)))
                           if isinstance(r, VerificationReport)]
            await ground.bus.publish(topics.mars_tc(ZHURONG.id), raw, qos=1)
            rid = expected.request_id
            await ground.until(lambda: ground.failures(rid), "the bridge's answer")  # noqa: B023
            (got,) = ground.failures(expected.request_id)
            assert (got.kind, got.request_id, got.failure, got.reason) == (
                expected.kind, expected.request_id, expected.failure, expected.reason)
        assert bridge.counters.screened == 4
        assert bridge.counters.frames_down == written, "a non-TC went down the wire"
        rid = await ground.send(ground.tc("PING"))
        await ground.until(lambda: ground.reports(rid) == COMPLETE, "PING completed")
