"""The embedded default broker: amqtt in-process, on loopback only, with generated credentials.

Credentials are not decoration: amqtt keeps the QoS 1 messages queued for a disconnected
persistent session only when that session is not anonymous. They are made fresh at each start
(``secrets``) and checked by :class:`GeneratedCredentialsAuth`; anonymous clients are refused.
The port is the caller's choice: a taken port is reported, never fought over (another broker
may own 1883 on this machine).
"""

from __future__ import annotations

import errno
import hmac
import logging
import secrets
import socket
from asyncio import StreamReader, StreamWriter
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self

from amqtt.adapters import StreamReaderAdapter, StreamWriterAdapter
from amqtt.broker import Broker
from amqtt.errors import BrokerError
from amqtt.plugins.base import BaseAuthPlugin
from amqtt.session import Session

from roverops.mqtt_url import MqttUrl
from spacelink.errors import BrokerUnavailableError

HOST = "127.0.0.1"
USERNAME = "roverops"

log = logging.getLogger(__name__)


def free_port(host: str = HOST) -> int:
    """A TCP port nobody listens on right now (the OS picks it; never 1883 in practice)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        port: int = sock.getsockname()[1]
        return port


def port_in_use(port: int, host: str = HOST) -> bool:
    """True when something already listens on ``host:port`` (bind like a server would)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
            sock.listen()
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return True
            raise
    return False


class GeneratedCredentialsAuth(BaseAuthPlugin):  # type: ignore[misc]  # amqtt is untyped
    """amqtt auth plugin accepting exactly one user name and password (from its config)."""

    @dataclass
    class Config:
        username: str = ""
        password: str = ""

    async def authenticate(self, *, session: Session) -> bool:
        expected: GeneratedCredentialsAuth.Config = self.context.config
        if not expected.username or session.username is None or session.password is None:
            return False
        return hmac.compare_digest(
            f"{session.username}\0{session.password}".encode(),
            f"{expected.username}\0{expected.password}".encode(),
        )


class _Broker(Broker):  # type: ignore[misc]  # amqtt is untyped
    """amqtt's broker, made to close every client socket once it is done with it.

    amqtt 0.12 leaks the socket (a ResourceWarning each) when a client hangs up right after
    DISCONNECT, as paho does (``write_eof()`` fails with ENOTCONN and the transport is never
    closed), and when a connection ends before a valid CONNECT.
    """

    async def stream_connected(
        self, reader: StreamReader, writer: StreamWriter, listener_name: str
    ) -> None:
        try:
            await self.external_connected(
                StreamReaderAdapter(reader), StreamWriterAdapter(writer), listener_name
            )
        finally:
            writer.close()


class EmbeddedBroker:
    """amqtt on ``127.0.0.1:port`` (``port=0``: a free one). ``async with`` starts and stops it."""

    def __init__(self, port: int = 0) -> None:
        if not 0 <= port <= 65535:
            raise ValueError(f"broker port must be within 0..65535, got {port}")
        self._port = port or free_port()
        self._password = secrets.token_urlsafe(24)
        self._broker: _Broker | None = None

    @property
    def url(self) -> MqttUrl:
        """Where to connect, credentials included (log only ``url.redacted()``)."""
        return MqttUrl(HOST, self._port, USERNAME, self._password)

    @property
    def running(self) -> bool:
        return self._broker is not None

    async def start(self) -> None:
        """Listen, or ``BrokerUnavailableError`` if the port is taken or amqtt fails."""
        if self._broker is not None:
            raise RuntimeError("the embedded broker is already running")
        _quiet_amqtt()
        if port_in_use(self._port):
            raise BrokerUnavailableError(
                self.url.redacted(),
                f"port {self._port} on {HOST} is already in use (another MQTT broker?); "
                "choose another port, or connect to that broker instead",
            )
        broker = _Broker(self._config())
        try:
            await broker.start()
        except BrokerError as exc:
            raise BrokerUnavailableError(
                self.url.redacted(), f"the embedded broker could not start: {exc}"
            ) from exc
        self._broker = broker
        log.info("embedded MQTT broker listening on %s", self.url.redacted())

    async def stop(self) -> None:
        broker, self._broker = self._broker, None
        if broker is not None:
            await broker.shutdown()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    def _config(self) -> dict[str, Any]:
        auth = f"{GeneratedCredentialsAuth.__module__}.{GeneratedCredentialsAuth.__qualname__}"
        return {
            "listeners": {"default": {"type": "tcp", "bind": f"{HOST}:{self._port}"}},
            # Only our auth plugin: no $SYS topics, no packet logging, no anonymous access.
            "plugins": {auth: {"username": USERNAME, "password": self._password}},
        }


def _quiet_amqtt() -> None:
    """amqtt (and the state machine library it uses) log chatty INFO; keep their warnings."""
    for name in ("amqtt", "transitions"):
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.WARNING)
