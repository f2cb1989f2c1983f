"""The serial bridge: a board on a serial port plays the rover on the bus.

::

    rovers/{id}/mars/tc --> pending (ordered) --> COBS frame --> serial line --> board
    rovers/{id}/mars/tm <-- Deframer (counted) <-- serial line <--------------+

Named asyncio tasks under one TaskGroup: ``port`` (opens the port as a
:func:`~hil.serialport.open_line`, carries what it reads through the pure
:class:`~spacelink.framing.Deframer` to ``mars/tm``, QoS 1, and opens it again whenever the
device vanishes: pyserial will not), ``downlink`` (TCs from ``mars/tc``, screened, into the
pending queue), ``writer`` (pending TCs to the board while it answers), ``watchdog``
(presence, expiry) and ``counters``.

The board is *online* while telemetry arrives (its housekeeping comes every second): then the
retained presence says ``online``; after ``silence_s`` without a frame, or when the device
vanishes, ``offline``. Each time it comes (back) online the bridge first sends SYNC_TIME from
the mission clock its ``clock`` gives (and keeps that TC's own reports to itself), then the
TCs that waited. A TC that waited longer than ``queue_bound_s`` is answered upstream with
TM[1,2] BOARD_UNREACHABLE: never silently dropped.

Every TC is screened before it is queued, with :func:`spacelink.packets.screen_tc`, the
function the emulator screens with: bytes that are not a TC (bad CRC, too short, a lying
length field, ...) never go down the wire, where the board's framing would drop them
unanswered; the bridge answers them upstream with the very acceptance failure the emulator
sends (request id from the header bytes, code, reason). So the ground cannot tell the two
apart, and on the wire the CRC stays the frame check.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from hil.link_state import (
    REFERENCE_BOARD_SUPPORTS,
    presence,
    rejection_report,
    request_id_of,
    unreachable_report,
)
from hil.serialport import DEFAULT_BAUD, open_line, open_port
from spacelink import topics
from spacelink.bus import Bus
from spacelink.clock import MissionClock
from spacelink.control import BridgeCounters
from spacelink.dictionary import DICTIONARY
from spacelink.errors import PacketError, SerialPortError
from spacelink.framing import Deframer, frame
from spacelink.packets import (
    CUC_EPOCH,
    SEQ_COUNT_MODULO,
    EventReport,
    Report,
    RequestId,
    TcRejection,
    VerificationReport,
    build_tc,
    decode_report,
    parse_tm,
    resequence,
    screen_tc,
)
from spacelink.rovers import Rover
from spacelink.serial_line import SerialLine

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class BridgeConfig:
    device: str
    rover: Rover
    baud: int = DEFAULT_BAUD
    queue_bound_s: float = 30.0    # wall seconds a TC may wait for an absent board
    silence_s: float = 3.0         # no frame for this long: the board stopped answering
    reopen_interval_s: float = 0.5
    counters_period_s: float = 5.0
    supports: tuple[str, ...] = REFERENCE_BOARD_SUPPORTS  # commands the board executes

    def __post_init__(self) -> None:
        if self.baud <= 0:
            raise ValueError(f"baud must be positive, got {self.baud}")
        for name in ("queue_bound_s", "silence_s", "reopen_interval_s", "counters_period_s"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")


@dataclass(slots=True)
class _Pending:
    payload: bytes
    since: float  # time.monotonic() when it arrived


class Bridge:
    """Run with ``await Bridge(bus, config, clock).run()``; cancel to stop.

    ``clock`` gives the mission clock now (the wiring follows the one on ``roverops/clock``);
    the bridge reads it for SYNC_TIME and for the time of its own reports.
    """

    def __init__(self, bus: Bus, config: BridgeConfig,
                 clock: Callable[[], MissionClock]) -> None:
        self.bus = bus
        self.config = config
        self.counters = BridgeCounters()
        self.deframer = Deframer()
        self._pending: collections.deque[_Pending] = collections.deque()
        self._wake_writer = asyncio.Event()
        self._line: SerialLine | None = None
        self._last_frame = 0.0
        self._clock = clock
        self._sync_needed = False
        self._own_requests: collections.deque[RequestId] = collections.deque(maxlen=16)
        self._last_seq: int | None = None
        self._tm_seq = 0
        self._counters_changed = asyncio.Event()

    # -- the tasks -------------------------------------------------------------------------

    async def run(self) -> None:
        await self._publish_presence(False)
        async with asyncio.TaskGroup() as tg:
            tg.create_task(self._supervise_port(), name="bridge: port")
            tg.create_task(self._downlink(), name="bridge: downlink")
            tg.create_task(self._writer(), name="bridge: writer")
            tg.create_task(self._watchdog(), name="bridge: watchdog")
            tg.create_task(self._publish_counters(), name="bridge: counters")

    async def _supervise_port(self) -> None:
        """Open the port, carry what it reads until it is lost, open it again: the one
        reconnection policy."""
        opened_before = False
        announced_failure = False
        while True:
            try:
                port = await asyncio.to_thread(open_port, self.config.device, self.config.baud)
            except SerialPortError as exc:
                if not announced_failure:
                    log.warning("%s; retrying every %.1f s", exc, self.config.reopen_interval_s)
                    announced_failure = True
                await asyncio.sleep(self.config.reopen_interval_s)
                continue
            announced_failure = False
            if opened_before:
                self.counters.reopenings += 1
            opened_before = True
            async with open_line(port) as line:
                log.info("serial %s open at %d baud", self.config.device, self.config.baud)
                self.deframer = Deframer(errors=dict(self.deframer.errors))  # a fresh tail
                self._line = line
                self._set_port(True)
                try:
                    await self._uplink(line)
                except SerialPortError as exc:
                    log.warning("serial %s lost: %s", self.config.device, exc)
                finally:
                    self._line = None
            self._set_port(False)
            await self._board_gone()
            await asyncio.sleep(self.config.reopen_interval_s)

    async def _uplink(self, line: SerialLine) -> None:
        """What the board sends, to ``mars/tm``, until the line is lost."""
        while True:
            data = await line.read()
            self.counters.bytes_up += len(data)
            packets = self.deframer.feed(data)
            self._count_framing()
            for packet in packets:
                self._last_frame = time.monotonic()
                report = _decoded(packet)
                if not self.counters.board_online:
                    await self._board_back()
                elif _is_boot(report):  # restarted without going silent (a REBOOT): its
                    self._sync_needed = True  # clock starts again from 0 until synced
                    self._wake_writer.set()
                if self._is_own_report(report):
                    continue
                # One continuous numbering for all we publish (the board's packets, minus our
                # SYNC_TIME's reports, plus our own answers), as the emulator's is: a gap seen
                # upstream is then a real loss. Frames lost on the wire are our counters'.
                upstream = resequence(packet, self._next_tm_seq())
                await self.bus.publish(topics.mars_tm(self.config.rover.id), upstream, qos=1)
                self.counters.frames_up += 1
                self._counters_changed.set()

    async def _downlink(self) -> None:
        async for message in self.bus.subscribe(topics.mars_tc(self.config.rover.id)):
            if message.retain:  # as the emulator: a TC left retained would run at every start
                log.warning("ignoring a retained TC on %s", message.topic)
                continue
            screened = screen_tc(message.payload)
            if isinstance(screened, TcRejection):
                await self._answer_rejection(screened)
                continue
            self._pending.append(_Pending(message.payload, time.monotonic()))
            self._remember_seq(message.payload)
            self.counters.queued = len(self._pending)
            self._wake_writer.set()

    async def _writer(self) -> None:
        while True:
            await self._wake_writer.wait()
            self._wake_writer.clear()
            while self._line is not None and self.counters.board_online:
                if self._sync_needed:
                    if not await self._write(self._sync_time_frame()):
                        break
                    self._sync_needed = False
                    continue
                if not self._pending:
                    break
                if not await self._write(frame(self._pending[0].payload)):
                    break
                self._pending.popleft()
                self.counters.frames_down += 1
                self.counters.queued = len(self._pending)
                self._counters_changed.set()

    async def _watchdog(self) -> None:
        while True:
            await asyncio.sleep(0.1)
            now = time.monotonic()
            if self.counters.board_online and now - self._last_frame > self.config.silence_s:
                log.warning("board on %s stopped answering", self.config.device)
                await self._board_gone()
            while self._pending and now - self._pending[0].since > self.config.queue_bound_s:
                expired = self._pending.popleft()
                await self._answer_unreachable(expired, now - expired.since)

    async def _publish_counters(self) -> None:
        topic = topics.mars_bridge(self.config.rover.id)
        while True:
            await self.bus.publish(topic, self.counters.to_json(), retain=True, qos=1)
            self._counters_changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._counters_changed.wait(),
                                       self.config.counters_period_s)
            await asyncio.sleep(0.2)  # coalesce a burst of changes into one message

    # -- transitions -------------------------------------------------------------------------

    async def _board_back(self) -> None:
        log.info("board on %s answers: online", self.config.device)
        self.counters.board_online = True
        self._sync_needed = True
        self._counters_changed.set()
        await self._publish_presence(True)
        self._wake_writer.set()

    async def _board_gone(self) -> None:
        if not self.counters.board_online:
            return
        self.counters.board_online = False
        self._counters_changed.set()
        await self._publish_presence(False)

    async def _write(self, data: bytes) -> bool:
        line = self._line
        if line is None:
            return False
        try:
            await line.write(data)
        except SerialPortError as exc:
            log.warning("%s", exc)  # the line is lost: the supervisor reopens
            return False
        self.counters.bytes_down += len(data)
        return True

    async def _answer_unreachable(self, pending: _Pending, waited: float) -> None:
        # Counted when decided, before the answer's PUBACK: it may reach the ground first.
        self.counters.expired += 1
        self.counters.queued = len(self._pending)
        self._counters_changed.set()
        tm = unreachable_report(self.config.rover, pending.payload, self._next_tm_seq(),
                                self._mission_now(), waited)
        log.warning("TC %s waited %.0f s for the board: answered BOARD_UNREACHABLE",
                    request_id_of(pending.payload), waited)
        await self.bus.publish(topics.mars_tm(self.config.rover.id), tm.pack(), qos=1)

    async def _answer_rejection(self, rejection: TcRejection) -> None:
        self.counters.screened += 1  # when decided, as for expired TCs
        self._counters_changed.set()
        tm = rejection_report(self.config.rover, rejection, self._next_tm_seq(),
                              self._mission_now())
        log.warning("TC %s is not a TC (%s: %s): answered upstream, not sent to the board",
                    rejection.request_id, rejection.code.name, rejection.reason)
        await self.bus.publish(topics.mars_tm(self.config.rover.id), tm.pack(), qos=1)

    async def _publish_presence(self, online: bool) -> None:
        payload = presence(self.config.rover, online, self.config.device, self._mission_now(),
                           self.config.supports)
        await self.bus.publish(topics.mars_status(self.config.rover.id), payload.to_json(),
                               retain=True, qos=1)

    def _set_port(self, is_open: bool) -> None:
        self.counters.port_open = is_open
        self._counters_changed.set()
        self._wake_writer.set()

    # -- helpers ------------------------------------------------------------------------------

    def _count_framing(self) -> None:
        errors = self.deframer.errors
        self.counters.cobs_errors = errors["cobs"]
        self.counters.crc_errors = errors["crc"]
        self.counters.too_long = errors["too_long"]
        self.counters.too_short = errors["too_short"]
        if self.deframer.resyncs != self.counters.resyncs:
            self.counters.resyncs = self.deframer.resyncs
            self._counters_changed.set()

    def _mission_now(self) -> datetime:
        return self._clock().mission(time.time())

    def _sync_time_frame(self) -> bytes:
        clock = self._clock()
        now, scale = clock.mission(time.time()), clock.scale
        seconds = int((now - CUC_EPOCH).total_seconds())
        # Far from the sequence counts the ground is using, so the board's execute-once
        # memory never takes it for one of theirs (nor theirs for it).
        if self._last_seq is None:
            seq = secrets.randbelow(SEQ_COUNT_MODULO)
        else:
            seq = (self._last_seq + SEQ_COUNT_MODULO // 2 + len(self._own_requests)) \
                % SEQ_COUNT_MODULO
        tc = build_tc(DICTIONARY, self.config.rover.apid, seq, "SYNC_TIME",
                      {"seconds": seconds, "time_scale": scale})
        self._own_requests.append(tc.request_id)
        log.info("SYNC_TIME %s at x%g to the board", now.isoformat(), scale)
        return frame(tc.pack())

    def _is_own_report(self, report: Report | None) -> bool:
        """The board's verification reports for our SYNC_TIME are not the ground's business."""
        return isinstance(report, VerificationReport) and report.request_id in self._own_requests

    def _remember_seq(self, payload: bytes) -> None:
        rid = request_id_of(payload)
        if rid.apid == self.config.rover.apid:
            self._last_seq = rid.seq_count

    def _next_tm_seq(self) -> int:
        self._tm_seq = (self._tm_seq + 1) % SEQ_COUNT_MODULO
        return self._tm_seq


def _decoded(packet: bytes) -> Report | None:
    """A TM packet from the board, read (None if it does not read: it goes up as it is, and
    the ground counts it rejected, as it would the emulator's)."""
    try:
        return decode_report(DICTIONARY, parse_tm(packet))
    except PacketError:
        return None


def _is_boot(report: Report | None) -> bool:
    return isinstance(report, EventReport) and report.event.name == "BOOT"
