"""A command's whole path, across the light time and back, through real processes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from spacelink import topics
from spacelink.dictionary import DICTIONARY
from spacelink.packets import (
    FailureCode,
    Verification,
    VerificationReport,
    build_tc,
)
from spacelink.rovers import ZHURONG
from tests.e2e.conftest import OWLT_S, ROVER, System, mars_probe, mission
from tests.support.mosquitto import Mosquitto
from tests.support.waiting import wait_for, wait_for_sync

pytestmark = pytest.mark.integration


def test_drive_crosses_the_light_time_and_moves_the_rover(system: System) -> None:
    wait_for_sync(lambda: system.channel("odometer_m") is not None, 30, "housekeeping")
    odometer = system.channel("odometer_m")
    drive = system.send("DRIVE", distance_m=1.0)
    done = system.wait_state(drive["id"], "completed")
    states = [h["state"] for h in done["history"]]
    assert states[:3] == ["queued", "radiated", "accepted"] and states[-1] == "completed"
    radiated = mission(done["radiated_at"])
    accepted = mission(next(h["at"] for h in done["history"] if h["state"] == "accepted"))
    assert accepted - radiated >= timedelta(seconds=2 * OWLT_S)
    assert mission(done["predicted_ack"]) - radiated == timedelta(seconds=2 * OWLT_S)
    assert mission(done["predicted_arrival"]) - radiated == timedelta(seconds=OWLT_S)
    wait_for_sync(lambda: system.channel("odometer_m") >= odometer + 0.95, 30,
                  "the odometer to show the drive")
    samples = system.http.get(f"{ROVER}/telemetry/position_x_m").json()["samples"]
    assert len(samples) > 1 and samples[-1]["ground_time"] > samples[-1]["rover_time"]


def test_hold_and_cancel(system: System) -> None:
    assert system.http.put(f"{ROVER}/queue", json={"held": True}).json()["held"] is True
    doomed = system.send("PING")
    kept = system.send("PING")
    assert system.http.get(f"{ROVER}/queue").json() == {"held": True, "length": 2}
    assert system.http.delete(f"{ROVER}/commands/{doomed['id']}").json()["state"] == "cancelled"
    system.http.put(f"{ROVER}/queue", json={"held": False})
    system.wait_state(kept["id"], "completed")
    assert system.http.delete(f"{ROVER}/commands/{kept['id']}").status_code == 409
    cancelled = system.command(doomed["id"])
    assert cancelled["state"] == "cancelled" and cancelled["radiated_at"] is None


async def test_duplicate_delivery_executes_once(system: System, mosquitto: Mosquitto) -> None:
    await wait_for(lambda: system.channel("odometer_m") is not None, 30, "housekeeping")
    before = system.channel("odometer_m")
    args = DICTIONARY.command("DRIVE").validate({"distance_m": 1.0})
    tc = build_tc(DICTIONARY, ZHURONG.apid, 9000, "DRIVE", args).pack()
    async with mars_probe(mosquitto.url, "e2e-duplicate-probe") as (bus, heard):

        def reports() -> list[Verification]:
            return [r.kind for r in heard if isinstance(r, VerificationReport)
                    and r.request_id.seq_count == 9000]

        await bus.publish(topics.mars_tc("zhurong"), tc)
        await bus.publish(topics.mars_tc("zhurong"), tc)  # the same TC, delivered twice
        await wait_for(lambda: Verification.COMPLETION_SUCCESS in reports() and
                       reports().count(Verification.ACCEPTANCE_SUCCESS) == 2, 30,
                       "both acceptances and the completion")
        assert reports().count(Verification.START_SUCCESS) == 1
    await wait_for(lambda: system.channel("odometer_m") >= before + 0.95, 30, "odometer")
    assert system.channel("odometer_m") == pytest.approx(before + 1.0, abs=0.05)


async def test_malformed_tc_is_rejected_with_a_reason(system: System, mosquitto: Mosquitto
                                                      ) -> None:
    async with mars_probe(mosquitto.url, "e2e-garbage-probe") as (bus, heard):

        def failures() -> list[VerificationReport]:
            return [r for r in heard if isinstance(r, VerificationReport) and r.failure]

        corrupt = bytearray(build_tc(DICTIONARY, ZHURONG.apid, 9100, "PING", {}).pack())
        corrupt[-1] ^= 0xFF
        await bus.publish(topics.mars_tc("zhurong"), bytes(corrupt))
        await bus.publish(topics.mars_tc("zhurong"), b"\x07garbage")
        await wait_for(lambda: len(failures()) >= 2, 30, "two acceptance failures")
    assert {f.failure for f in failures()} >= {FailureCode.BAD_CRC, FailureCode.MALFORMED}
    assert all(f.kind == Verification.ACCEPTANCE_FAILURE and f.reason for f in failures())
    assert system.rovers()[0]["online"]  # still alive


def test_broker_restart_in_the_middle_loses_nothing(system: System, mosquitto: Mosquitto
                                                    ) -> None:
    wait_for_sync(lambda: system.channel("odometer_m") is not None, 30, "housekeeping")
    commands = [system.send("PING"), system.send("DRIVE", distance_m=0.5), system.send("PING")]
    wait_for_sync(lambda: all(system.command(c["id"])["state"] != "queued" for c in commands),
                  30, "all radiated")
    mosquitto.restart()  # while they cross the light time
    later = system.send("PING")  # accepted while the parts reconnect
    for command in [*commands, later]:
        system.wait_state(command["id"], "completed")
    downlink = system.rovers()[0]["downlink"]
    assert downlink["gaps"] == 0, downlink
    assert system.rovers()[0]["online"]


def test_dsn_crash_in_the_middle_loses_nothing(system: System) -> None:
    wait_for_sync(lambda: system.channel("odometer_m") is not None, 30, "housekeeping")
    drive = system.send("DRIVE", distance_m=0.5)
    system.wait_state(drive["id"], "radiated")
    system.dsn.kill()  # SIGKILL, with the DRIVE on its way to Mars
    queued_meanwhile = system.send("PING")  # the link is closed: it waits on the ground
    system.dsn.start()
    system.wait_state(drive["id"], "completed")
    system.wait_state(queued_meanwhile["id"], "completed")
    downlink = system.rovers()[0]["downlink"]
    assert downlink["gaps"] == 0, downlink


def test_ground_restart_keeps_history_and_tracks_what_is_in_flight(system: System) -> None:
    done = system.send("PING")
    system.wait_state(done["id"], "completed")
    in_flight = system.send("DRIVE", distance_m=0.5)
    system.wait_state(in_flight["id"], "radiated")
    system.restart_ground()  # while the DRIVE crosses to Mars
    again = system.command(done["id"])
    assert [h["state"] for h in again["history"]] == [
        h["state"] for h in system.wait_state(done["id"], "completed")["history"]]
    assert again["state"] == "completed"
    finished = system.wait_state(in_flight["id"], "completed")
    assert [h["state"] for h in finished["history"]][:2] == ["queued", "radiated"]
    after = system.send("PING")  # the sequence count survived: no false duplicate
    assert system.wait_state(after["id"], "completed")["seq_count"] == finished["seq_count"] + 1


def test_parts_agree_on_one_mission_clock(system: System) -> None:
    def link() -> dict[str, object]:
        return system.http.get("/api/v1/link").json()  # type: ignore[no-any-return]

    wait_for_sync(lambda: link()["state"] == "open", 30, "the ground to hear the DSN's link")
    state = link()
    assert state["time_scale"] == 10 and state["owlt_s"] == OWLT_S
    # The rover runs on the clock the ground published: its housekeeping is stamped in the
    # same mission time, one light time (1 s of wall time at scale 10) behind the ground.
    wait_for_sync(lambda: system.channel("odometer_m") is not None, 30, "housekeeping")
    sample = system.http.get(f"{ROVER}/telemetry").json()["channels"]["odometer_m"]
    lag = (mission(sample["ground_time"]) - mission(sample["rover_time"])).total_seconds()
    assert OWLT_S <= lag < OWLT_S + 5
