"""Numbering of outgoing TM: one sequence count per rover (14 bits) and, as PUS-C asks, a
message-type counter per (service, subtype) (16 bits).

The sequence count resumes where the non-volatile memory left it, so the ground's numbering
runs on across a reset; the message-type counters start again from zero (nobody checks them).
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from datetime import datetime

from spacelink.packets import SEQ_COUNT_MODULO, Report, Telemetry, report_tm


class TmSequencer:
    def __init__(self, apid: int, seq_count: int = 0) -> None:
        self.apid = apid
        self.seq_count = seq_count % SEQ_COUNT_MODULO
        self._message_counters: Counter[tuple[int, int]] = Counter()

    def packet(self, report: Report, time: datetime) -> Telemetry:
        tm = report_tm(self.apid, self.seq_count, time, report)
        kind = (tm.service, tm.subtype)
        tm = dataclasses.replace(tm, message_counter=self._message_counters[kind])
        self._message_counters[kind] = (self._message_counters[kind] + 1) & 0xFFFF
        self.seq_count = (self.seq_count + 1) % SEQ_COUNT_MODULO
        return tm
