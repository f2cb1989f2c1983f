"""End-to-end delivery of commands, as pure rules: retransmission and the radiation window.

The bus can lose a TC or a verification report (a broker killed between two saves of its
persistence). So, as CCSDS COP-1 does on top of a lossy link, the ground radiates again what
stays silent: a command with no acceptance by its predicted acknowledgement plus a grace, or
with no final report by its deadline, goes again **with the same sequence count** (the same TC
bytes). The rover remembers its last 64 request ids and answers a repeat with its acceptance and
a replay of its final report, executing nothing twice. Only after ``MAX_RETRANSMISSIONS`` does
the ground give the command up as ``timed_out`` (and a report arriving later still wins).

A retransmission needs the rover to still remember the original: the radiation window keeps
every command in flight within ``RADIATION_WINDOW`` sequence counts of the next one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal, Protocol

from ground.lifecycle import State, grace_s
from spacelink.packets import SEQ_COUNT_MODULO

# Radiations after the first before a silent command is given up: 4 in all, so that a TC or
# report lost to a broker crash, and then one more to the next, still gets through.
MAX_RETRANSMISSIONS: Final = 3
# At most this many sequence counts from the oldest command in flight (radiated, not ended) to
# the next one radiated; the rest wait in ``queued``. Under the rover's 64-entry memory, so that
# whatever the rover accepted after a command in flight (at most 31 other request ids, however
# many of them ended meanwhile) cannot push it out: when that command is radiated again, the
# rover still knows it and does not execute it twice. A plain count of commands in flight would
# not do: newer commands that end quickly would let a silent old one slide out of the memory.
RADIATION_WINDOW: Final = 32


class InFlight(Protocol):
    """What the rules read of a radiated command (a ``CommandRecord`` is one)."""

    @property
    def state(self) -> State: ...
    @property
    def radiated_at(self) -> float | None: ...
    @property
    def predicted_ack(self) -> float | None: ...
    @property
    def deadline(self) -> float | None: ...
    @property
    def retransmissions(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Move:
    """What to do with a silent command: radiate it again (``attempt`` of the maximum), or give
    it up."""

    action: Literal["retransmit", "time_out"]
    reason: str
    attempt: int

    @property
    def detail(self) -> str:
        if self.action == "retransmit":
            return f"retransmitted {self.attempt}/{MAX_RETRANSMISSIONS}: {self.reason}"
        return (f"{self.reason}, after {self.attempt} retransmission"
                f"{'' if self.attempt == 1 else 's'}")


def silence(command: InFlight, now: float) -> str | None:
    """Why a radiated command is overdue, or None while it may still answer."""
    if command.predicted_ack is None or command.radiated_at is None or command.deadline is None:
        return None
    if command.state == "radiated":
        grace = grace_s(command.predicted_ack - command.radiated_at)
        if now > command.predicted_ack + grace:
            return f"no acceptance {grace:.0f} s after the predicted acknowledgement"
    elif command.state in ("accepted", "started") and now > command.deadline:
        return "no completion report by the deadline"
    return None


def next_move(command: InFlight, now: float, link_open: bool) -> Move | None:
    """Retransmit a silent command while retransmissions are left and the link is open (a
    closed link waits: nothing is radiated into a DSN that is not listening); give it up once
    they are spent, link or not. None: nothing to do now."""
    reason = silence(command, now)
    if reason is None:
        return None
    if command.retransmissions >= MAX_RETRANSMISSIONS:
        return Move("time_out", reason, command.retransmissions)
    if not link_open:
        return None
    return Move("retransmit", reason, command.retransmissions + 1)


def window_allows(next_seq: int, in_flight: Iterable[int]) -> bool:
    """May the command numbered ``next_seq`` be radiated, given the counts still in flight?"""
    return all((next_seq - seq) % SEQ_COUNT_MODULO < RADIATION_WINDOW for seq in in_flight)
