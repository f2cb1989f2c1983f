"""Control messages: round trips, and a clear error naming what is wrong, never a guess."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from spacelink.clock import MissionClock
from spacelink.control import BridgeCounters, LinkState, Presence
from spacelink.errors import ClockError, ControlMessageError
from spacelink.lighttime import parse_light_time

CLOCK = MissionClock(datetime(2021, 5, 22, tzinfo=UTC), 1000.0, 10.0)


def test_link_state_measures_and_round_trips() -> None:
    state = LinkState.measure(parse_light_time("fixed:600"), "fixed:600", CLOCK, 1001.0, 7)
    assert state.state == "open" and state.owlt_s == 600.0 and state.in_flight == 7
    assert state.now == "2021-05-22T00:00:10.000Z"
    assert state.distance_km == round(600 * 299_792.458)
    assert LinkState.from_json(state.to_json()) == state
    assert json.loads(state.to_json())["v"] == 1


def test_a_closed_link_carries_no_measurement() -> None:
    assert LinkState.from_json(LinkState.closed().to_json()) == LinkState("closed")
    assert LinkState.from_json(b'{"state": "closed"}') == LinkState("closed")  # the old will


def test_presence_round_trips_and_reads_the_bare_will() -> None:
    online = Presence("online", "zhurong", "bridge", "2021-05-22T00:00:00.000Z", "/dev/ttyACM0",
                      ("PING", "DRIVE"))
    assert Presence.from_json(online.to_json()) == online
    assert online.online and not Presence.from_json(b"offline").online


def test_bridge_counters_round_trip() -> None:
    counters = BridgeCounters(frames_up=3, crc_errors=1, board_online=True)
    assert BridgeCounters.from_json(counters.to_json()) == counters


@pytest.mark.parametrize(("payload", "named"), [
    (b"\xff\xfe", "not JSON"),
    (b"[1, 2]", "not a JSON object"),
    (b'{"v": 2, "state": "open"}', "version"),
    (b'{"state": "ajar"}', "'state'"),
    (b'{"state": "open", "light_time": "fixed:1"}', "'model'"),
    (b'{"state": "open", "light_time": "fixed:1", "model": "fixed", "owlt_s": "1",'
     b' "time_scale": 1, "now": "x", "distance_km": 1}', "'owlt_s'"),
    (b'{"state": "open", "light_time": "fixed:1", "model": "fixed", "owlt_s": 1,'
     b' "time_scale": 1, "now": "x", "distance_km": true}', "'distance_km'"),
])
def test_a_bad_link_state_names_its_fault(payload: bytes, named: str) -> None:
    with pytest.raises(ControlMessageError, match=named) as caught:
        LinkState.from_json(payload)
    assert caught.value.kind == "link state"


@pytest.mark.parametrize(("payload", "named"), [
    (b'{"state": "online", "kind": "robot"}', "'kind'"),
    (b'{"state": "online", "supports": [1]}', "'supports'"),
    (b'{"rover": "zhurong"}', "'state'"),
])
def test_a_bad_presence_names_its_fault(payload: bytes, named: str) -> None:
    with pytest.raises(ControlMessageError, match=named):
        Presence.from_json(payload)


def test_bad_bridge_counters_name_their_fault() -> None:
    with pytest.raises(ControlMessageError, match="'queued'"):
        BridgeCounters.from_json(b'{"queued": "many"}')


def test_the_clock_is_versioned_and_names_a_bad_one() -> None:
    assert json.loads(CLOCK.to_json())["v"] == 1
    assert MissionClock.from_json(CLOCK.to_json()) == CLOCK
    unversioned = b'{"epoch": "2021-05-22T00:00:00.000Z", "anchor": 1000.0, "scale": 10.0}'
    assert MissionClock.from_json(unversioned) == CLOCK  # the first contract's form
    with pytest.raises(ClockError, match="version 2"):
        MissionClock.from_json(b'{"v": 2, "epoch": "x", "anchor": 0, "scale": 1}')
    with pytest.raises(ClockError, match="not a mission clock"):
        MissionClock.from_json(b"[1, 2]")
