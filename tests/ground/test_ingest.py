"""Each TM packet applied once, whatever the redelivery, and the accounting kept in the store."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from ground.store import Store
from spacelink.packets import Verification
from tests.ground.groundkit import START, Ground, event, housekeeping


def hk(seq: int) -> bytes:
    return housekeeping(seq, START + timedelta(seconds=seq))


@pytest.fixture
def ground(tmp_path: Path) -> Ground:
    return Ground(tmp_path / "ground.sqlite3")


def test_a_redelivered_run_of_packets_is_archived_once(ground: Ground) -> None:
    run = [hk(n) if n % 2 else event(n, START + timedelta(seconds=n)) for n in range(20)]
    for packet in run:
        ground.ingest.on_packet("zhurong", packet)
    for packet in run[5:15]:  # a broker that lost its acknowledgements sends a run again
        ground.ingest.on_packet("zhurong", packet)
    for packet in run:  # and a DSN restarted from its journal, all of it
        ground.ingest.on_packet("zhurong", packet)
    assert ground.archived_samples() == 10
    assert ground.archived_events() == 10
    account = ground.ingest.counters["zhurong"]
    assert (account.packets, account.duplicates, account.gaps, account.late) == (20, 30, 0, 0)
    assert account.last_seq == 19


def test_an_old_packet_after_newer_ones_is_archived_as_late(ground: Ground) -> None:
    for seq in [*range(5), *range(6, 10)]:
        ground.ingest.on_packet("zhurong", hk(seq))
    assert ground.ingest.counters["zhurong"].gaps == 1
    ground.ingest.on_packet("zhurong", hk(5))  # overtaken on the way
    ground.ingest.on_packet("zhurong", hk(5))  # and redelivered
    account = ground.ingest.counters["zhurong"]
    assert (account.packets, account.duplicates, account.gaps, account.late) == (10, 1, 0, 1)
    assert account.last_seq == 9
    assert ground.archived_samples() == 10
    latest = ground.ingest.latest("zhurong")["odometer_m"]
    assert latest["value"] == 9, "a late packet does not replace a newer value"


def test_the_same_count_at_another_time_is_a_new_packet(ground: Ground) -> None:
    ground.ingest.on_packet("zhurong", housekeeping(7, START))
    later = START + timedelta(hours=5)  # after a wrap of the count, or a rover restart
    ground.ingest.on_packet("zhurong", housekeeping(7, later))
    assert ground.archived_samples() == 2
    assert ground.ingest.counters["zhurong"].duplicates == 0


async def test_a_redelivered_report_is_applied_once(ground: Ground) -> None:
    command = ground.commanding.submit("zhurong", "PING", {})
    await ground.commanding.radiate_ready("zhurong")
    seq = ground.store.command(command.id).seq_count  # type: ignore[union-attr]
    assert seq is not None
    ground.report(0, Verification.ACCEPTANCE_SUCCESS, seq)
    ground.report(1, Verification.COMPLETION_SUCCESS, seq)
    ground.report(0, Verification.ACCEPTANCE_SUCCESS, seq)
    ground.report(1, Verification.COMPLETION_SUCCESS, seq)
    record = ground.store.command(command.id)
    assert record is not None and record.state == "completed"
    assert [h.state for h in record.history] == ["queued", "radiated", "accepted", "completed"]
    assert ground.ingest.counters["zhurong"].duplicates == 2


def test_the_accounting_and_the_memory_survive_a_restart(ground: Ground) -> None:
    for seq in [0, 1, 2, 4]:
        ground.ingest.on_packet("zhurong", hk(seq))
    ground.ingest.on_packet("zhurong", hk(2))
    ground.ingest.on_packet("zhurong", b"\x00garbage")
    before = ground.ingest.counters["zhurong"]
    ground.restart()
    assert ground.ingest.counters["zhurong"] == before
    assert before.to_json() == {"packets": 4, "duplicates": 1, "gaps": 1, "late": 0,
                                "rejected": {"MalformedPacketError": 1}, "last_seq": 4}
    ground.ingest.on_packet("zhurong", hk(4))  # the packet in hand when the ground died
    ground.ingest.on_packet("zhurong", hk(3))  # late, after the restart
    ground.ingest.on_packet("zhurong", hk(6))  # a gap counted from the stored last count
    after = ground.ingest.counters["zhurong"]
    assert (after.packets, after.duplicates, after.gaps, after.late) == (6, 2, 1, 1)
    assert ground.archived_samples() == 6


def test_a_failure_mid_packet_leaves_nothing_and_the_redelivery_applies_it(
        ground: Ground, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> None:
        raise OSError("disk full")

    with monkeypatch.context() as patch:
        patch.setattr(ground.store, "add_housekeeping", broken)
        with pytest.raises(OSError, match="disk full"):
            ground.ingest.on_packet("zhurong", hk(0))
    assert ground.ingest.counters["zhurong"].packets == 0
    assert ground.store.downlink("zhurong").packets == 0
    assert ground.store.received_packets("zhurong") == 0
    ground.ingest.on_packet("zhurong", hk(0))  # the bus never acknowledged it: it comes again
    assert ground.archived_samples() == 1
    assert ground.ingest.counters["zhurong"].packets == 1
    assert ground.ingest.counters["zhurong"].duplicates == 0


def test_the_memory_is_bounded(ground: Ground) -> None:
    store: Store = ground.store
    for seq in range(5):
        store.remember_packet("zhurong", 0x0C8, seq, seq)
    store.remember_packet("other", 0x0C9, 0, 0)
    store.forget_packets("zhurong", 3)
    assert store.received_packets("zhurong") == 3
    assert store.received_packets("other") == 1
    assert not store.remember_packet("zhurong", 0x0C8, 4, 4), "the newest are kept"
    assert store.remember_packet("zhurong", 0x0C8, 0, 0), "the oldest are forgotten"


def test_the_ingest_prunes_its_memory(ground: Ground, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ground.telemetry.TM_MEMORY", 8)
    monkeypatch.setattr("ground.telemetry.PRUNE_EVERY", 4)
    for seq in range(30):
        ground.ingest.on_packet("zhurong", hk(seq))
    assert 8 <= ground.store.received_packets("zhurong") <= 8 + 4
    ground.ingest.on_packet("zhurong", hk(29))
    assert ground.ingest.counters["zhurong"].duplicates == 1, "the newest are remembered"
