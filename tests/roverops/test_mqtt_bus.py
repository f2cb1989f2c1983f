"""MqttBus against a real Mosquitto: delivery, reconnection, persistent sessions, last will."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from roverops.broker import free_port
from roverops.mqtt import MqttBus, MqttUrl
from spacelink.bus import Bus, Message
from spacelink.errors import BrokerUnavailableError
from tests.support.mosquitto import Mosquitto
from tests.support.waiting import wait_for

pytestmark = pytest.mark.integration

TIMEOUT_S = 10.0


async def take(sub: AsyncIterator[Message], count: int = 1) -> list[Message]:
    """The next ``count`` messages, or fail after the deadline."""
    async with asyncio.timeout(TIMEOUT_S):
        return [await anext(sub) for _ in range(count)]


def test_mqtt_bus_is_a_bus() -> None:
    bus: Bus = MqttBus(MqttUrl("localhost"), "typing-check")
    assert not bus.connected


async def test_round_trip(mosquitto: Mosquitto) -> None:
    async with MqttBus(mosquitto.url, "rt") as bus:
        await bus.wait_connected(TIMEOUT_S)
        async with bus.subscribe("rovers/zhurong/mars/tc") as sub:
            await bus.publish("rovers/zhurong/mars/tc", b"\x18\x01\x00")
            assert await take(sub) == [Message("rovers/zhurong/mars/tc", b"\x18\x01\x00")]


async def test_retained_message_reaches_later_subscriber(mosquitto: Mosquitto) -> None:
    async with MqttBus(mosquitto.url, "publisher") as pub:
        await pub.publish("rovers/zhurong/mars/status", b"online", retain=True)
    async with MqttBus(mosquitto.url, "late") as bus, bus.subscribe("rovers/+/mars/status") as sub:
        assert await take(sub) == [Message("rovers/zhurong/mars/status", b"online", retain=True)]


async def test_wildcard_filters(mosquitto: Mosquitto) -> None:
    async with (
        MqttBus(mosquitto.url, "wild") as bus,
        bus.subscribe("rovers/+/earth/tm", "roverops/#") as sub,
    ):
        for topic in (
            "rovers/a/earth/tm",
            "rovers/a/earth/tc",  # no
            "rovers/a/b/earth/tm",  # no: + is one level
            "roverops/clock",
            "roverops",  # yes: # also matches the parent level
            "elsewhere/roverops/x",  # no
            "rovers/b/earth/tm",
        ):
            await bus.publish(topic, topic.encode())
        # One publisher's messages arrive in order: the last match proves the others absent.
        got = [m.topic for m in await take(sub, 4)]
    assert got == ["rovers/a/earth/tm", "roverops/clock", "roverops", "rovers/b/earth/tm"]


async def test_two_subscribers_each_get_every_message(mosquitto: Mosquitto) -> None:
    async with MqttBus(mosquitto.url, "two") as bus:
        first = bus.subscribe("t/#")
        async with bus.subscribe("t/#") as second:
            await bus.publish("t/1", b"1")
            assert [m.payload for m in await take(first)] == [b"1"]
            assert [m.payload for m in await take(second)] == [b"1"]
            await first.aclose()
            await bus.publish("t/2", b"2")
            assert [m.payload for m in await take(second)] == [b"2"]
            assert [m async for m in first] == []  # closed: ends at once


async def test_closing_the_bus_ends_subscriptions(mosquitto: Mosquitto) -> None:
    bus = MqttBus(mosquitto.url, "closer")
    async with bus:
        sub = bus.subscribe("x/#")
        consumer = asyncio.create_task(anext(sub, None))
        await bus.wait_connected(TIMEOUT_S)
    assert await asyncio.wait_for(consumer, TIMEOUT_S) is None
    with pytest.raises(BrokerUnavailableError, match="closed"):
        await bus.publish("x/1", b"")


async def test_publish_before_start_is_an_error() -> None:
    with pytest.raises(BrokerUnavailableError, match="not started"):
        await MqttBus(MqttUrl("127.0.0.1", free_port()), "early").publish("x", b"")


@pytest.mark.parametrize("topic", ["", "a/+", "a/#", "a\0b"])
async def test_publish_rejects_bad_topics(topic: str) -> None:
    with pytest.raises(ValueError, match="topic"):
        await MqttBus(MqttUrl("localhost"), "bad").publish(topic, b"")


@pytest.mark.parametrize("topic_filter", ["", "a/#/b", "a/b+", "a#"])
def test_subscribe_rejects_bad_filters(topic_filter: str) -> None:
    with pytest.raises(ValueError, match="filter"):
        MqttBus(MqttUrl("localhost"), "bad").subscribe(topic_filter)


async def test_wait_connected_fails_fast_without_broker() -> None:
    url = MqttUrl("127.0.0.1", free_port())
    started = time.monotonic()
    async with MqttBus(url, "lonely") as bus:
        with pytest.raises(BrokerUnavailableError, match="refused") as caught:
            await bus.wait_connected(0.5)
    assert time.monotonic() - started < 3
    assert caught.value.url == url.redacted()


async def test_publish_while_broker_down_completes_after_it_returns(mosquitto: Mosquitto) -> None:
    async with MqttBus(mosquitto.url, "patient") as bus, bus.subscribe("d/#") as sub:
        await asyncio.to_thread(mosquitto.stop)
        await wait_for(lambda: not bus.connected, TIMEOUT_S, "the bus to notice the broker left")
        sending = asyncio.create_task(bus.publish("d/1", b"late"))
        await wait_for(lambda: bus._outbox, TIMEOUT_S, "the message to be queued")
        assert not sending.done()
        await asyncio.to_thread(mosquitto.start)
        await asyncio.wait_for(sending, TIMEOUT_S)
        assert [m.payload for m in await take(sub)] == [b"late"]


async def test_persistent_session_receives_what_was_sent_while_away(
    mosquitto: Mosquitto,
) -> None:
    consumer = MqttBus(mosquitto.url, "consumer")
    subscription = consumer.subscribe("q/#")
    async with consumer:
        await subscription.wait_subscribed()
    # The broker now holds a persistent session subscribed to q/#, and we are away.
    async with MqttBus(mosquitto.url, "producer") as producer:
        for i in range(20):
            await producer.publish(f"q/{i}", str(i).encode())
    await asyncio.to_thread(mosquitto.restart)  # and the queue survives a broker restart
    consumer = MqttBus(mosquitto.url, "consumer")
    sub = consumer.subscribe("q/#")  # registered before the first connection: nothing missed
    async with consumer:
        got = [int(m.payload) for m in await take(sub, 20)]
    assert got == list(range(20))


async def test_broker_restart_mid_traffic_loses_nothing_and_keeps_order(
    mosquitto: Mosquitto,
) -> None:
    count = 300
    async with (
        MqttBus(mosquitto.url, "tm-consumer") as consumer,
        consumer.subscribe("tm/#") as sub,
        MqttBus(mosquitto.url, "tm-producer") as producer,
    ):
        received: list[int] = []

        async def consume() -> None:
            async for message in sub:
                received.append(int(message.payload))
                if set(received) >= set(range(count)):
                    return

        async def produce() -> None:
            for i in range(count):
                await producer.publish("tm/seq", str(i).encode())

        async with asyncio.timeout(30), asyncio.TaskGroup() as tg:
            tg.create_task(consume())
            tg.create_task(produce())
            await wait_for(lambda: len(received) >= count // 3, TIMEOUT_S, "a third of them")
            await asyncio.to_thread(mosquitto.restart)
    first_seen = list(dict.fromkeys(received))  # at-least-once: duplicates allowed, not gaps
    assert first_seen == list(range(count))


async def test_subscriptions_are_restored_when_the_broker_forgot_them(
    mosquitto: Mosquitto, tmp_path: Path
) -> None:
    async with MqttBus(mosquitto.url, "forgotten") as bus, bus.subscribe("f/#") as sub:
        await bus.wait_connected(TIMEOUT_S)
        await asyncio.to_thread(mosquitto.stop)
        amnesiac = Mosquitto(tmp_path / "fresh", port=mosquitto.port)  # no saved sessions
        await asyncio.to_thread(amnesiac.start)
        try:
            await bus.wait_connected(TIMEOUT_S)
            await asyncio.wait_for(sub.wait_subscribed(), TIMEOUT_S)
            async with MqttBus(mosquitto.url, "other") as other:
                await other.publish("f/1", b"back")
            assert [m.payload for m in await take(sub)] == [b"back"]
        finally:
            await asyncio.to_thread(amnesiac.stop)


async def test_on_connect_runs_after_every_connection(mosquitto: Mosquitto) -> None:
    runs: list[bool] = []

    async def announce() -> None:
        runs.append(True)
        await bus.publish("p/status", b"online", retain=True)

    bus = MqttBus(mosquitto.url, "presence", on_connect=announce)
    async with bus:
        await wait_for(lambda: len(runs) == 1, TIMEOUT_S, "the first on_connect")
        await asyncio.to_thread(mosquitto.restart)
        await wait_for(lambda: len(runs) == 2, TIMEOUT_S, "on_connect after reconnecting")


WILL_SCRIPT = """
import asyncio, sys
from roverops.mqtt import MqttBus, MqttUrl
from spacelink.bus import Message

async def main() -> None:
    will = Message("w/zhurong/status", b"offline", retain=True)
    async with MqttBus(MqttUrl.parse(sys.argv[1]), "doomed", will=will) as bus:
        await bus.publish("w/zhurong/status", b"online", retain=True)
        print("ready", flush=True)
        await asyncio.Event().wait()

asyncio.run(main())
"""


async def test_last_will_is_published_on_abrupt_loss(mosquitto: Mosquitto) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        WILL_SCRIPT,
        mosquitto.url.with_secret(),
        stdout=asyncio.subprocess.PIPE,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), TIMEOUT_S)
        assert line == b"ready\n"
        async with MqttBus(mosquitto.url, "watcher") as bus, bus.subscribe("w/+/status") as sub:
            assert [m.payload for m in await take(sub)] == [b"online"]
            process.send_signal(signal.SIGKILL)
            assert [m.payload for m in await take(sub)] == [b"offline"]
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()


async def _fill_session(mosquitto: Mosquitto, client_id: str, topic_filter: str,
                        messages: list[tuple[str, bytes]]) -> None:
    """Leave a persistent session subscribed to ``topic_filter`` with ``messages`` queued."""
    absent = MqttBus(mosquitto.url, client_id)
    subscription = absent.subscribe(topic_filter)
    async with absent:
        await subscription.wait_subscribed()
    async with MqttBus(mosquitto.url, f"{client_id}-producer") as producer:
        for topic, payload in messages:
            await producer.publish(topic, payload)


async def test_messages_held_for_us_reach_a_subscription_made_after_connecting(
    mosquitto: Mosquitto,
) -> None:
    """The broker sends a session's queue right after CONNACK, before any SUBSCRIBE of ours:
    those messages wait for the subscription that claims them instead of being dropped."""
    await _fill_session(mosquitto, "late-joiner", "h/#",
                        [(f"h/{i}", str(i).encode()) for i in range(30)])
    async with MqttBus(mosquitto.url, "late-joiner") as bus:
        await bus.wait_connected(TIMEOUT_S)
        # Unacknowledged, they fill Mosquitto's in-flight window (20) and the rest wait there.
        await wait_for(lambda: len(bus._unclaimed) == 20, TIMEOUT_S,
                       "held messages to arrive with no subscriber yet")
        other = bus.subscribe("elsewhere/#")  # claims none of them
        async with bus.subscribe("h/#") as sub:
            got = [int(m.payload) for m in await take(sub, 30)]
        await other.aclose()
    assert got == list(range(30))


async def test_a_message_taken_but_not_handled_comes_again(mosquitto: Mosquitto) -> None:
    """Acknowledgement follows handling: a subscriber that took a message and never asked for
    the next (it died mid-handling) gets it again from its session; handled ones do not."""
    await _fill_session(mosquitto, "handler", "a/#", [("a/1", b"1"), ("a/2", b"2")])
    first = MqttBus(mosquitto.url, "handler")
    sub = first.subscribe("a/#")
    async with first:
        assert [m.payload for m in await take(sub, 2)] == [b"1", b"2"]  # 1 handled, 2 not
        await wait_for(lambda: first._client is not None, TIMEOUT_S, "a connection")
        # Leave without closing the subscription: as a process killed inside its handler.
    again = MqttBus(mosquitto.url, "handler")
    sub = again.subscribe("a/#")
    async with again:
        assert [m.payload for m in await take(sub)] == [b"2"]
        await sub.aclose()  # handled now: acknowledged
    async with MqttBus(mosquitto.url, "handler-probe") as probe:
        await probe.publish("a/3", b"3")
    last = MqttBus(mosquitto.url, "handler")
    sub = last.subscribe("a/#")
    async with last:
        assert [m.payload for m in await take(sub)] == [b"3"]  # neither 1 nor 2 again


async def test_a_message_two_subscribers_share_waits_for_both(mosquitto: Mosquitto) -> None:
    await _fill_session(mosquitto, "pair", "s/#", [("s/1", b"1")])
    bus = MqttBus(mosquitto.url, "pair")
    fast, slow = bus.subscribe("s/#"), bus.subscribe("s/+")
    async with bus:
        assert [m.payload for m in await take(fast)] == [b"1"]
        assert [m.payload for m in await take(slow)] == [b"1"]
        await fast.aclose()  # one of two done: not yet acknowledged
    again = MqttBus(mosquitto.url, "pair")
    sub = again.subscribe("s/#")
    async with again:
        assert [m.payload for m in await take(sub)] == [b"1"]


async def test_state_at_qos_0_is_not_stuck_behind_held_data(mosquitto: Mosquitto) -> None:
    """A part that needs retained state (the clock) before it takes its data: with a full
    in-flight window of held data, QoS 1 state would never come; QoS 0 state does."""
    await _fill_session(mosquitto, "needs-clock", "data/#",
                        [(f"data/{i}", str(i).encode()) for i in range(25)])
    async with MqttBus(mosquitto.url, "clock-keeper") as keeper:
        await keeper.publish("state/clock", b"t0", retain=True)
    async with MqttBus(mosquitto.url, "needs-clock") as bus:
        await wait_for(lambda: len(bus._unclaimed) == 20, TIMEOUT_S, "a full in-flight window")
        async with bus.subscribe("state/clock", qos=0) as clock:
            assert [m.payload for m in await take(clock)] == [b"t0"]
        async with bus.subscribe("data/#") as data:
            got = [int(m.payload) for m in await take(data, 25)]
    assert got == list(range(25))


async def test_a_deferred_message_is_acknowledged_only_when_said(mosquitto: Mosquitto) -> None:
    """``defer`` moves the acknowledgement from asking for the next message to the function it
    returns (the DSN's commit per loop turn): never called, the message comes again."""
    await _fill_session(mosquitto, "deferrer", "j/#", [("j/1", b"1"), ("j/2", b"2")])
    first = MqttBus(mosquitto.url, "deferrer")
    sub = first.subscribe("j/#")
    async with first:
        assert [m.payload for m in await take(sub)] == [b"1"]
        handled = sub.defer()
        assert sub.arrived <= time.time()
        assert [m.payload for m in await take(sub)] == [b"2"]  # 1 not acknowledged by this
        await sub.aclose()  # 2 handled: acknowledged; 1 still waits for `handled`
    again = MqttBus(mosquitto.url, "deferrer")
    sub = again.subscribe("j/#")
    async with again:
        assert [m.payload for m in await take(sub)] == [b"1"]
        handled = sub.defer()
        handled()
        handled()  # once only
        await wait_for(lambda: again._client is not None, TIMEOUT_S, "a connection")
    async with MqttBus(mosquitto.url, "deferrer-probe") as probe:
        await probe.publish("j/3", b"3")
    last = MqttBus(mosquitto.url, "deferrer")
    sub = last.subscribe("j/#")
    async with last:
        assert [m.payload for m in await take(sub)] == [b"3"]


async def test_publish_soon_keeps_call_order_and_completes_on_acknowledgement(
    mosquitto: Mosquitto,
) -> None:
    async with MqttBus(mosquitto.url, "soon") as bus, bus.subscribe("n/#") as sub:
        futures = [bus.publish_soon("n/seq", str(i).encode()) for i in range(100)]
        await asyncio.wait_for(asyncio.gather(*futures), TIMEOUT_S)
        got = [int(m.payload) for m in await take(sub, 100)]
    assert got == list(range(100))
