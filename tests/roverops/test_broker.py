"""The embedded amqtt broker: loopback only, generated credentials, persistent sessions kept."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest

from roverops.broker import HOST, EmbeddedBroker, free_port, port_in_use
from roverops.mqtt import MqttBus, MqttUrl
from spacelink.bus import Message
from spacelink.errors import BrokerUnavailableError

pytestmark = pytest.mark.integration

TIMEOUT_S = 10.0


@pytest.fixture
async def broker() -> AsyncIterator[EmbeddedBroker]:
    async with EmbeddedBroker() as running:
        yield running


async def take(sub: AsyncIterator[Message], count: int = 1) -> list[Message]:
    async with asyncio.timeout(TIMEOUT_S):
        return [await anext(sub) for _ in range(count)]


async def test_accepts_the_generated_credentials(broker: EmbeddedBroker) -> None:
    assert broker.url.username and broker.url.password
    async with MqttBus(broker.url, "ground") as bus, bus.subscribe("roverops/#") as sub:
        await bus.publish("roverops/clock", b"{}", retain=True)
        assert await take(sub) == [Message("roverops/clock", b"{}")]


@pytest.mark.parametrize(
    ("username", "password"), [(None, None), ("roverops", "wrong"), ("intruder", None)]
)
async def test_refuses_other_clients(
    broker: EmbeddedBroker, username: str | None, password: str | None
) -> None:
    url = MqttUrl(HOST, broker.url.port, username, password)
    async with MqttBus(url, "stranger") as bus:
        with pytest.raises(BrokerUnavailableError, match=r"(?i)refused|authori"):
            await bus.wait_connected(1.0)


async def test_listens_on_loopback_address_only(broker: EmbeddedBroker) -> None:
    assert broker.url.host == "127.0.0.1"
    with socket.create_connection((HOST, broker.url.port), timeout=TIMEOUT_S):
        pass
    # All of 127/8 is loopback on Linux: a broker bound to 0.0.0.0 would answer here too.
    with (
        pytest.raises(ConnectionRefusedError),
        socket.create_connection(("127.0.0.2", broker.url.port), 2),
    ):
        pass


async def test_keeps_qos1_messages_for_a_disconnected_persistent_session(
    broker: EmbeddedBroker,
) -> None:
    consumer = MqttBus(broker.url, "rover")
    subscription = consumer.subscribe("rovers/zhurong/mars/tc")
    async with consumer:
        await subscription.wait_subscribed()
    async with MqttBus(broker.url, "dsn") as producer:
        for i in range(10):
            await producer.publish("rovers/zhurong/mars/tc", bytes([i]))
    consumer = MqttBus(broker.url, "rover")
    subscription = consumer.subscribe("rovers/zhurong/mars/tc")
    async with consumer:
        assert [m.payload[0] for m in await take(subscription, 10)] == list(range(10))


async def test_a_taken_port_is_reported_not_fought_over() -> None:
    with socket.socket() as squatter:
        squatter.bind((HOST, 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        assert port_in_use(port)
        with pytest.raises(BrokerUnavailableError, match=f"port {port} .* already in use"):
            await EmbeddedBroker(port).start()


async def test_chosen_port_is_used_and_freed_on_stop() -> None:
    port = free_port()
    async with EmbeddedBroker(port) as broker:
        assert broker.url.port == port
        assert port_in_use(port)
    assert not broker.running
    assert not port_in_use(port)


def test_credentials_differ_per_broker_and_never_show() -> None:
    first, second = EmbeddedBroker(), EmbeddedBroker()
    assert first.url.password != second.url.password
    assert first.url.password is not None
    assert first.url.password not in f"{first.url} {first.url!r}"
