"""The real :class:`spacelink.bus.Bus`: MQTT 3.1.1 over aiomqtt (the only module importing it).

One supervisor task owns the connection and the whole reconnection policy. It connects with a
fixed client id and a persistent session (``clean_session=False``, QoS 1), subscribes to every
filter a subscriber registered, sends the outbox in order, and on any connection error starts
over with a NEW ``aiomqtt.Client`` (they are not reentrant) after an exponential backoff.

Callers never see a disconnection. ``publish`` returns once the broker acknowledged the message
(its PUBACK); a message cut off by a disconnection stays at the head of the outbox and is sent
again after reconnecting (at-least-once). A broker may deliver a message once per overlapping
filter (Mosquitto does), so overlapping subscriptions can see duplicates, as at-least-once
allows. ``publish_soon`` is the same without the wait: the message is taken (and, when the
window allows, written to the socket) before it returns, and its future says when the broker
acknowledged it; the DSN releases packets that way, each at its instant.

The hot paths skip aiomqtt's per-call machinery, which costs a task, an event, a timeout and
a loop turn or two per message: a publish goes to paho directly, in outbox order, at most
``SEND_WINDOW`` unacknowledged; paho's PUBACK callback completes it; paho's message callback
hands a message to its subscribers; and what paho has to write goes out in the same loop turn
(at once for a publish) instead of after a writer registration and another turn. aiomqtt
still owns the connection: connecting, subscribing, keepalive and noticing a dead socket.

Incoming messages are acknowledged only once they are handled. paho acknowledges a QoS 1
message as soon as its callback returns, before the application has done anything with it,
so a part killed a moment later loses it although the broker kept it for exactly that case.
We switch paho to manual acknowledgement and send the PUBACK when every subscriber that got
the message has asked for the next one: the body of ``async for message in sub:`` is the
handling (journal, commit, act), and a SIGKILL anywhere inside it means redelivery, never loss.
A subscriber that finishes handling later (the DSN commits its journal once per loop turn, for
every packet taken in that turn) says so with :meth:`Subscription.defer`: the message is then
acknowledged when the function it returns is called, and not before.
An acknowledgement is only ever sent on the connection the message came on (message ids are
per connection); what a dropped connection left unacknowledged the broker sends again. PUBACKs
may leave out of arrival order when subscribers finish at different times: Mosquitto and amqtt
match them by message id, and one slow subscriber must not hold back the others' windows.

With a persistent session the broker delivers what it held for us right after CONNACK, before
the part has had a chance to subscribe again. A message that matches no registered
subscription is therefore held, unacknowledged, and handed to the first subscription that
matches it: nothing is dropped for want of a subscriber, whenever it arrives. Held messages
still count against the broker's in-flight window (Mosquitto's 20), so a part that must read
retained state before it subscribes to its data subscribes to that state with QoS 0, which
the window does not hold back (see :class:`spacelink.bus.Bus`).
"""

from __future__ import annotations

import asyncio
import collections
import logging
import socket
import threading
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

import aiomqtt
import paho.mqtt.client as paho

from roverops.mqtt_url import MqttUrl
from spacelink.bus import Message, topic_matches
from spacelink.errors import BrokerUnavailableError

__all__ = ["MqttBus", "MqttUrl", "OnConnect", "Subscription"]

log = logging.getLogger(__name__)

BACKOFF_FIRST_S = 0.1
BACKOFF_MAX_S = 5.0
KEEPALIVE_S = 15
"""Seconds between pings: a silently dead broker is noticed within about twice this."""

OnConnect = Callable[[], Awaitable[None]]
"""Run after every (re)connection, e.g. to publish retained presence again."""


UNCLAIMED_LIMIT = 10_000
"""Messages held for a subscription that never came: past this, the oldest is acknowledged and
dropped, with a warning (a bound against a broker session full of long-retired filters)."""

SEND_WINDOW = 16
"""Publishes awaiting their PUBACK at once: pipelined, so throughput is not one per round trip
(kept below Mosquitto's and paho's default of 20 in flight)."""

ROUTE_CACHE_SIZE = 4096
"""Topics whose subscribers are remembered (the cache starts over when it is full)."""


@dataclass(eq=False, slots=True)
class _Outgoing:
    topic: str
    payload: bytes
    retain: bool
    qos: int
    done: asyncio.Future[None]
    acked: bool = False


@dataclass(eq=False, slots=True)
class _Delivery:
    """One incoming message, acknowledged once no subscriber that took it still handles it."""

    message: Message
    connection: int  # the connection it came on: the only one its message id means anything on
    mid: int
    qos: int
    arrived: float  # wall time it came off the socket
    holders: int = 0


@dataclass(frozen=True, slots=True)
class _End:
    """Ends a subscriber's iteration: cleanly when ``error`` is None, else by raising it."""

    error: str | None = None
    cause: BaseException | None = None


@dataclass(eq=False, slots=True)
class _Route:
    filters: tuple[str, ...]
    qos: int
    queue: asyncio.Queue[_Delivery | _End] = field(default_factory=asyncio.Queue)
    ended: bool = False

    def matches(self, topic: str) -> bool:
        return any(topic_matches(f, topic) for f in self.filters)


class Subscription:
    """Messages matching any of some filters, as an async iterator; close it to unsubscribe.

    ``async with bus.subscribe(...) as sub:`` also waits until the broker confirmed the
    filters, so nothing published after entering is missed, and unsubscribes on exit.
    """

    def __init__(self, bus: MqttBus, route: _Route) -> None:
        self._bus = bus
        self._route = route
        self._handling: _Delivery | None = None  # taken, and not yet done with
        self._arrived = 0.0
        # Unregister even if the subscriber is dropped without being closed (a cancelled
        # task): what it was handling stays unacknowledged, for the broker to send again.
        self._finalizer = weakref.finalize(self, bus._unregister, route, _End())
        self._finalizer.atexit = False

    @property
    def filters(self) -> tuple[str, ...]:
        return self._route.filters

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> Message:
        """The next message; asking for it says the previous one is handled (and acks it)."""
        self._done_handling()
        if self._route.ended and self._route.queue.empty():
            raise StopAsyncIteration
        item = await self._route.queue.get()
        if isinstance(item, _End):
            if item.error is None:
                raise StopAsyncIteration
            raise BrokerUnavailableError(self._bus.url.redacted(), item.error) from item.cause
        self._handling = item
        self._arrived = item.arrived
        return item.message

    @property
    def arrived(self) -> float:
        """When the message taken last came off the socket (wall time): before the loop got
        round to handing it over."""
        return self._arrived

    async def aclose(self) -> None:
        """Unsubscribe: the message taken last is handled; those not yet taken are dropped,
        as the subscriber asked (acknowledged, unless another subscriber still has them)."""
        self._done_handling()
        while not self._route.queue.empty():
            item = self._route.queue.get_nowait()
            if isinstance(item, _Delivery):
                self._bus._release(item)
        self._finalizer()

    def _done_handling(self) -> None:
        handled, self._handling = self._handling, None
        if handled is not None:
            self._bus._release(handled)

    def defer(self) -> Callable[[], None]:
        """The message taken last is handled later: asking for the next one no longer
        acknowledges it; calling the function returned does (once; later calls do nothing).
        Never called (the part died first), the broker sends the message again."""
        deferred, self._handling = self._handling, None
        if deferred is None:
            raise RuntimeError("no message taken to defer")
        bus = self._bus

        def handled() -> None:
            nonlocal deferred
            if deferred is not None:
                bus._release(deferred)
                deferred = None

        return handled

    async def wait_subscribed(self) -> None:
        """Wait until the broker confirmed the filters (or the subscription ended)."""
        await self._bus._until(lambda: self._route.ended or self._bus._subscribed(self.filters))

    async def __aenter__(self) -> Self:
        await self.wait_subscribed()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


class MqttBus:
    """A :class:`spacelink.bus.Bus` over MQTT that survives broker restarts.

    Use as ``async with MqttBus(url, "ground") as bus:``; the client id must be stable and
    unique per part, since the broker keeps our session (and queued messages) under it.
    ``will`` is what the broker publishes (QoS 1) if we vanish without disconnecting.
    """

    def __init__(
        self,
        url: MqttUrl,
        client_id: str,
        *,
        will: Message | None = None,
        on_connect: OnConnect | None = None,
    ) -> None:
        if not client_id or len(client_id.encode()) > 65535:
            raise ValueError(f"MQTT client id must be 1..65535 bytes, got {client_id!r}")
        if will is not None:
            _check_topic(will.topic)
        self.url = url
        self.client_id = client_id
        self._will = will
        self._on_connect = on_connect
        self._outbox: collections.deque[_Outgoing] = collections.deque()  # not yet sent
        self._in_flight: collections.deque[_Outgoing] = collections.deque()  # sent, not acked
        self._wire: _Wire | None = None  # the connection we may publish on, once subscribed
        self._routes: list[_Route] = []
        self._wanted: collections.Counter[str] = collections.Counter()
        self._active: set[str] = set()  # confirmed on the current connection
        self._stale: set[str] = set()  # maybe still in the broker's session, no longer wanted
        self._subs_dirty = asyncio.Event()
        self._changed = asyncio.Event()
        self._connected = False
        self._last_error = "no connection attempted yet"
        self._supervisor: asyncio.Task[None] | None = None
        self._closing = False
        self._connections = 0
        self._closed_because: str | None = None
        self._routes_of: dict[str, tuple[_Route, ...]] = {}  # topic -> its subscribers
        self._client: aiomqtt.Client | None = None  # of the current connection, for PUBACKs
        self._attempt = 0  # numbers connection attempts: a message id is valid on one only
        self._unclaimed: collections.deque[_Delivery] = collections.deque()

    @property
    def connected(self) -> bool:
        return self._connected

    async def __aenter__(self) -> Self:
        if self._supervisor is not None:
            raise RuntimeError("an MqttBus can be entered only once")
        self._supervisor = asyncio.create_task(self._supervise(), name=f"mqtt-bus {self.client_id}")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        task = self._supervisor
        if task is None:
            return
        self._closing = True
        task.cancel()
        await asyncio.wait([task])
        self._finish("the bus is closed", _End())
        if not task.cancelled() and (error := task.exception()) is not None and exc is None:
            raise error

    async def wait_connected(self, timeout: float) -> None:  # noqa: ASYNC109 (the CLI's API)
        """Wait for the broker; ``BrokerUnavailableError`` (with the last reason) on timeout."""
        try:
            async with asyncio.timeout(timeout):
                await self._until(lambda: self._connected)
        except TimeoutError as exc:
            raise BrokerUnavailableError(
                self.url.redacted(), f"no connection within {timeout:g} s: {self._last_error}"
            ) from exc

    async def publish(
        self, topic: str, payload: bytes, *, retain: bool = False, qos: int = 1
    ) -> None:
        """Send and wait for the broker's acknowledgement, across reconnections if need be.

        Cancelling the wait does not withdraw the message: the bus has taken it.
        """
        await self.publish_soon(topic, payload, retain=retain, qos=qos)

    def publish_soon(
        self, topic: str, payload: bytes, *, retain: bool = False, qos: int = 1
    ) -> asyncio.Future[None]:
        """Take the message now, in call order, and write it at once if the window allows;
        the future is done when the broker acknowledged it (or failed, if the bus closed).

        Cancelling the future does not withdraw the message.
        """
        _check_topic(topic)
        if qos not in (0, 1, 2):
            raise ValueError(f"MQTT QoS must be 0, 1 or 2, got {qos!r}")
        self._check_open()
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._outbox.append(_Outgoing(topic, bytes(payload), retain, qos, done))
        if self._wire is not None:
            self._pump(self._wire)
        return done

    def subscribe(self, *topic_filters: str, qos: int = 1) -> Subscription:
        """Register now (no message is missed from here on) and iterate later."""
        if not topic_filters:
            raise ValueError("subscribe needs at least one topic filter")
        for topic_filter in topic_filters:
            _check_filter(topic_filter)
        if qos not in (0, 1):
            raise ValueError(f"subscriptions are QoS 0 or 1, got {qos!r}")
        self._check_open(started=False)
        route = _Route(tuple(dict.fromkeys(topic_filters)), qos)
        self._routes.append(route)
        self._routes_of.clear()
        self._claim_held(route)
        self._wanted.update(route.filters)
        self._subs_dirty.set()
        return Subscription(self, route)

    # -- the supervisor and its per-connection tasks ------------------------------------------

    async def _supervise(self) -> None:
        try:
            await self._connect_forever()
        except Exception as exc:  # a failing on_connect hook, or a bug: the bus is dead
            log.exception("MQTT bus %s to %s failed", self.client_id, self.url)
            reason = f"the bus failed: {exc!r}"
            self._finish(reason, _End(reason, exc))
            raise

    async def _connect_forever(self) -> None:
        delay = BACKOFF_FIRST_S
        connections = self._connections
        while not self._closing:
            # One task per connection: on Python 3.11 a TaskGroup whose child failed leaves
            # its parent's cancel request count raised; that must not outlive the connection.
            connection = asyncio.create_task(
                self._connect_once(), name=f"mqtt-bus {self.client_id}: connection"
            )
            try:
                await connection
            except* aiomqtt.MqttError as group:
                self._last_error = "; ".join(_describe(e) for e in group.exceptions)
            finally:
                self._set_connected(False)
            if self._closing:  # our cancellation may have come back as connection errors
                return
            if connections != self._connections:  # it had connected: start afresh
                connections, delay = self._connections, BACKOFF_FIRST_S
                log.warning(
                    "MQTT %s lost %s: %s; reconnecting", self.client_id, self.url, self._last_error
                )
            else:  # not worth a warning: wait_connected reports a broker that never came
                log.debug(
                    "MQTT %s cannot reach %s: %s; retrying in %.1f s",
                    self.client_id,
                    self.url,
                    self._last_error,
                    delay,
                )
            await asyncio.sleep(delay)
            delay = min(delay * 2, BACKOFF_MAX_S)

    async def _connect_once(self) -> None:
        client = self._new_client()
        self._attempt += 1  # before CONNACK: held messages arrive right after it
        self._client = client
        wire = _Wire(self, client)
        try:
            async with client:
                _reraise_swallowed_cancel()
                self._connections += 1
                await self._serve(client, wire)
        finally:
            self._wire = None
            self._client = None

    def _new_client(self) -> aiomqtt.Client:
        will = None
        if self._will is not None:
            will = aiomqtt.Will(self._will.topic, self._will.payload, 1, self._will.retain)
        client = aiomqtt.Client(
            self.url.host,
            self.url.port,
            username=self.url.username,
            password=self.url.password,
            identifier=self.client_id,
            protocol=aiomqtt.ProtocolVersion.V311,
            clean_session=False,
            will=will,
            keepalive=KEEPALIVE_S,
            # Without it, Nagle's algorithm meets the broker's delayed ACKs and every publish
            # that follows a PUBACK waits ~40 ms: the light time must be the only delay.
            socket_options=((socket.IPPROTO_TCP, socket.TCP_NODELAY, 1),),
        )
        client.pending_calls_threshold = SEND_WINDOW  # our window, by design: no warning
        client._client.manual_ack_set(True)  # PUBACK once handled: see the module docstring
        return client

    async def _serve(self, client: aiomqtt.Client, wire: _Wire) -> None:
        self._stale |= self._active
        self._active = set()
        name = f"mqtt-bus {self.client_id}"
        async with asyncio.TaskGroup() as tg:
            tg.create_task(self._watch(client), name=f"{name}: watch")
            await self._sync_subscriptions(client)
            self._set_connected(True)
            log.info("MQTT %s connected to %s", self.client_id, self.url)
            tg.create_task(self._keep_subscriptions(client), name=f"{name}: subscriptions")
            tg.create_task(self._send(wire), name=f"{name}: send")
            if self._on_connect is not None:
                tg.create_task(self._run_on_connect(self._on_connect), name=f"{name}: on_connect")

    @staticmethod
    async def _run_on_connect(hook: OnConnect) -> None:
        await hook()

    @staticmethod
    async def _watch(client: aiomqtt.Client) -> None:
        """Raise ``MqttError`` when the connection drops (the queue itself stays empty)."""
        async for _ in client.messages:
            pass

    async def _send(self, wire: _Wire) -> None:
        # What the last connection sent but never saw acknowledged goes again, first, in order.
        self._outbox.extendleft(reversed(self._in_flight))
        self._in_flight.clear()
        for item in self._outbox:
            item.acked = False
        self._wire = wire
        while True:  # publishes go out as they come (publish_soon); this is for the rest
            await self._until(lambda: self._active.issuperset(self._wanted))
            self._pump(wire)
            await self._changed.wait()

    def _pump(self, wire: _Wire) -> None:
        """Hand the outbox to paho, in order, while the window has room; write it out."""
        if not self._active.issuperset(self._wanted):
            # What we subscribed to before publishing is live first: a part that says
            # "I am here" on the bus is already listening.
            return
        outbox, in_flight = self._outbox, self._in_flight
        sent = False
        while outbox and len(wire.unacked) < SEND_WINDOW:
            item = outbox[0]
            if not wire.publish(item):
                break  # the connection is going: the next one sends it
            outbox.popleft()
            in_flight.append(item)
            sent = True
        if sent:
            wire.flush()

    def _acked(self, wire: _Wire, item: _Outgoing) -> None:
        """The broker acknowledged ``item``: complete what is acknowledged, in order."""
        item.acked = True
        in_flight = self._in_flight
        while in_flight and in_flight[0].acked:
            done = in_flight.popleft().done
            if not done.done():
                done.set_result(None)
        if self._wire is wire and self._outbox:  # the window has room again
            wire.pump_soon()

    async def _keep_subscriptions(self, client: aiomqtt.Client) -> None:
        while True:
            await self._subs_dirty.wait()
            await self._sync_subscriptions(client)

    async def _sync_subscriptions(self, client: aiomqtt.Client) -> None:
        self._subs_dirty.clear()
        new = sorted(set(self._wanted) - self._active)
        if new:
            codes = await client.subscribe([(f, self._qos_of(f)) for f in new])
            _reraise_swallowed_cancel()
            refused = {f for f, code in zip(new, codes, strict=True) if _is_failure(code)}
            self._active.update(set(new) - refused)
            self._stale.difference_update(new)
            for route in [r for r in self._routes if refused.intersection(r.filters)]:
                self._unregister(route, _End(f"the broker refused to subscribe {sorted(refused)}"))
            self._notify()
        gone = sorted((self._active | self._stale) - set(self._wanted))
        if gone:
            await client.unsubscribe(gone)
            _reraise_swallowed_cancel()
            self._active.difference_update(gone)
            self._stale.difference_update(gone)

    # -- bookkeeping ---------------------------------------------------------------------------

    def _deliver(self, message: Message, mid: int, qos: int) -> None:
        delivery = _Delivery(message, self._attempt, mid, qos, time.time())
        routes = self._routes_of.get(message.topic)
        if routes is None:
            if len(self._routes_of) >= ROUTE_CACHE_SIZE:
                self._routes_of.clear()
            routes = self._routes_of[message.topic] = tuple(
                r for r in self._routes if r.matches(message.topic))
        for route in routes:
            delivery.holders += 1
            route.queue.put_nowait(delivery)
        if delivery.holders == 0:
            self._hold(delivery)

    def _hold(self, delivery: _Delivery) -> None:
        """Keep a message nobody subscribes to yet, unacknowledged, for the first who does."""
        self._unclaimed.append(delivery)
        if len(self._unclaimed) > UNCLAIMED_LIMIT:
            oldest = self._unclaimed.popleft()
            log.warning("MQTT %s: no subscriber for %s after %d later messages; dropped",
                        self.client_id, oldest.message.topic, UNCLAIMED_LIMIT)
            self._acknowledge(oldest)

    def _claim_held(self, route: _Route) -> None:
        """A new subscription takes the held messages it matches, in their order."""
        kept: collections.deque[_Delivery] = collections.deque()
        for delivery in self._unclaimed:
            if route.matches(delivery.message.topic):
                delivery.holders += 1
                route.queue.put_nowait(delivery)
            else:
                kept.append(delivery)
        self._unclaimed = kept

    def _qos_of(self, topic_filter: str) -> int:
        """The highest QoS any subscriber asked of this filter."""
        return max(r.qos for r in self._routes if topic_filter in r.filters)

    def _release(self, delivery: _Delivery) -> None:
        """One holder is done with it; the last one acknowledges it."""
        delivery.holders -= 1
        if delivery.holders == 0:
            self._acknowledge(delivery)

    def _acknowledge(self, delivery: _Delivery) -> None:
        client = self._client
        if delivery.qos == 0 or client is None or delivery.connection != self._attempt:
            return  # QoS 0 has no PUBACK; an older connection's message comes again anyway
        client._client.ack(delivery.mid, delivery.qos)

    def _unregister(self, route: _Route, end: _End) -> None:
        if route.ended:
            return
        route.ended = True
        self._routes.remove(route)
        self._routes_of.clear()
        # What it never took goes back to be held, unacknowledged: a subscriber that went
        # away without closing (a cancelled task) did not handle it.
        while not route.queue.empty():
            item = route.queue.get_nowait()
            if isinstance(item, _Delivery):
                item.holders -= 1
                if item.holders == 0:
                    self._hold(item)
        route.queue.put_nowait(end)  # wakes a subscriber waiting in __anext__
        self._wanted -= collections.Counter(route.filters)
        self._subs_dirty.set()
        self._notify()

    def _subscribed(self, filters: tuple[str, ...]) -> bool:
        return self._connected and self._active.issuperset(filters)

    async def _until(self, predicate: Callable[[], bool]) -> None:
        while not predicate():
            self._check_open()
            await self._changed.wait()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    def _set_connected(self, connected: bool) -> None:
        if connected != self._connected:
            self._connected = connected
            self._notify()

    def _check_open(self, *, started: bool = True) -> None:
        if self._closed_because is not None:
            raise BrokerUnavailableError(self.url.redacted(), self._closed_because)
        if started and self._supervisor is None:
            raise BrokerUnavailableError(
                self.url.redacted(), "the bus is not started (use `async with MqttBus(...)`)"
            )

    def _finish(self, reason: str, end: _End) -> None:
        """Close for good: fail waiting publishers, end every subscriber."""
        if self._closed_because is not None:
            return
        self._closed_because = reason
        self._set_connected(False)
        for item in (*self._in_flight, *self._outbox):
            if not item.done.done():
                item.done.set_exception(BrokerUnavailableError(self.url.redacted(), reason))
        self._in_flight.clear()
        self._outbox.clear()
        self._wire = None
        for route in list(self._routes):
            self._unregister(route, end)
        self._notify()


class _Wire:
    """One connection's fast paths through paho, all on the event loop's thread.

    paho asks its host to watch the socket for writing whenever it queued a packet; aiomqtt's
    answer costs a cross-thread wake-up and a loop turn before the write and another for the
    writer's removal. Here the write happens in the same turn (at once after a publish), and
    a writer is registered only if the socket is full. paho calls in from aiomqtt's connect
    thread too (the CONNECT packet): those calls cross over with ``call_soon_threadsafe``.
    """

    def __init__(self, bus: MqttBus, client: aiomqtt.Client) -> None:
        self._bus = bus
        self._aiomqtt = client
        self._paho: paho.Client = client._client
        self._loop = asyncio.get_running_loop()
        self._thread = threading.get_ident()
        self._flush_pending = False
        self._pump_pending = False
        self._writer_fd: int | None = None
        self.unacked: dict[int, _Outgoing] = {}  # by message id, this connection only
        self._paho.on_socket_register_write = self._register_write
        self._paho.on_socket_unregister_write = self._unregister_write
        self._paho.on_publish = self._on_publish
        self._paho.on_message = self._on_message

    def publish(self, item: _Outgoing) -> bool:
        """Queue it in paho (written by the next :meth:`flush`); False if paho refuses."""
        info = self._paho.publish(item.topic, item.payload, item.qos, item.retain)
        if info.rc != paho.MQTT_ERR_SUCCESS:
            return False
        self.unacked[info.mid] = item
        return True

    def pump_soon(self) -> None:
        """Send more of the outbox, in a turn of its own (not from inside paho's callbacks)."""
        if not self._pump_pending:
            self._pump_pending = True
            self._loop.call_soon(self._pump)

    def _pump(self) -> None:
        self._pump_pending = False
        if self._bus._wire is self:
            self._bus._pump(self)

    def flush(self) -> None:
        """Write what paho has queued, now; what the socket cannot take waits for a writer."""
        self._flush_pending = False
        try:
            self._paho.loop_write()
        except Exception as exc:  # as aiomqtt's writer does: the connection is broken
            if not self._aiomqtt._disconnected.done():
                self._aiomqtt._disconnected.set_exception(exc)
            return
        if self._paho.want_write() and self._writer_fd is None:
            sock = self._paho.socket()
            if sock is not None:
                self._writer_fd = sock.fileno()
                self._loop.add_writer(self._writer_fd, self.flush)

    def _register_write(self, client: paho.Client, userdata: object, sock: object) -> None:
        if threading.get_ident() != self._thread:
            self._loop.call_soon_threadsafe(self._flush_soon)
        else:
            self._flush_soon()

    def _flush_soon(self) -> None:
        if not self._flush_pending:
            self._flush_pending = True
            self._loop.call_soon(self.flush)

    def _unregister_write(self, client: paho.Client, userdata: object, sock: object) -> None:
        if threading.get_ident() != self._thread:
            self._loop.call_soon_threadsafe(self._remove_writer)
        else:
            self._remove_writer()

    def _remove_writer(self) -> None:
        fd, self._writer_fd = self._writer_fd, None
        if fd is not None:
            self._loop.remove_writer(fd)

    def _on_publish(self, client: paho.Client, userdata: object, mid: int,
                    reason: object = None, properties: object = None) -> None:
        item = self.unacked.pop(mid, None)
        if item is not None:
            self._bus._acked(self, item)

    def _on_message(self, client: paho.Client, userdata: object,
                    incoming: paho.MQTTMessage) -> None:
        try:
            topic = incoming.topic
        except UnicodeDecodeError:
            log.warning("MQTT %s: a message on a topic that is not UTF-8; dropped",
                        self._bus.client_id)
            self._paho.ack(incoming.mid, incoming.qos)
            return
        message = Message(topic, bytes(incoming.payload), bool(incoming.retain))
        self._bus._deliver(message, incoming.mid, incoming.qos)


def _reraise_swallowed_cancel() -> None:
    """Re-raise a cancellation lost inside aiomqtt (call right after awaiting it).

    aiomqtt awaits acknowledgements with ``asyncio.wait_for``, which on Python 3.11 returns the
    result and drops the cancellation when both arrive together; a connection task would then
    carry on after being told to stop. Our tasks are fresh per connection, so a pending
    cancel request here is always ours to honour.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


def _is_failure(code: object) -> bool:
    value = getattr(code, "value", code)
    return isinstance(value, int) and value >= 0x80


def _describe(exc: BaseException) -> str:
    cause = exc.__cause__
    return f"{exc}: {cause}" if cause is not None and str(cause) not in str(exc) else str(exc)


def _check_topic(topic: str) -> None:
    if not topic or "+" in topic or "#" in topic or "\0" in topic:
        raise ValueError(f"not a valid MQTT topic to publish to: {topic!r}")
    if len(topic.encode()) > 65535:
        raise ValueError("MQTT topic longer than 65535 bytes")


def _check_filter(topic_filter: str) -> None:
    levels = topic_filter.split("/")
    bad = (
        not topic_filter
        or "\0" in topic_filter
        or any(("+" in lv and lv != "+") or ("#" in lv and lv != "#") for lv in levels)
        or "#" in levels[:-1]
    )
    if bad:
        raise ValueError(f"not a valid MQTT topic filter: {topic_filter!r}")
