"""The downlink accounting rules: order, gaps, late packets, restarts, duplicates."""

from __future__ import annotations

from ground.downlink import DownlinkAccount
from spacelink.packets import SEQ_COUNT_MODULO

S = 1_000_000  # a second in microseconds


def feed(account: DownlinkAccount, *packets: tuple[int, int]) -> DownlinkAccount:
    for seq, t in packets:
        account = account.arrived(seq, t * S)
    return account


def test_in_order_then_a_gap() -> None:
    account = feed(DownlinkAccount(), (10, 1), (11, 2), (14, 3))
    assert (account.packets, account.gaps, account.late, account.last_seq) == (3, 2, 0, 14)


def test_a_late_packet_fills_its_gap_and_leaves_the_last_count() -> None:
    account = feed(DownlinkAccount(), (10, 1), (12, 3), (11, 2))
    assert (account.packets, account.gaps, account.late, account.last_seq) == (3, 0, 1, 12)
    assert account.last_time_us == 3 * S


def test_a_late_packet_is_not_a_restart() -> None:
    account = feed(DownlinkAccount(), *[(n, n) for n in range(100)], (40, 40))
    assert account.late == 1 and account.last_seq == 99
    after = account.arrived(100, 100 * S)
    assert after.gaps == 0, "the next packet in order counts no gap after a late one"


def test_a_rover_restart_counts_neither_a_gap_nor_a_late_packet() -> None:
    account = feed(DownlinkAccount(), (500, 1), (501, 2), (0, 3), (1, 4))
    assert (account.gaps, account.late, account.last_seq) == (0, 0, 1)


def test_the_count_wraps_in_order() -> None:
    account = feed(DownlinkAccount(), (SEQ_COUNT_MODULO - 1, 1), (0, 2))
    assert account.gaps == 0 and account.last_seq == 0


def test_a_clock_that_jumps_back_behind_one_count_is_in_order() -> None:
    # A board reset behind the bridge: the count goes on, the board's time starts over.
    account = feed(DownlinkAccount(), (7, 1000), (8, 1), (9, 2))
    assert (account.gaps, account.late, account.last_seq) == (0, 0, 9)


def test_duplicates_and_rejections_move_only_their_counter() -> None:
    account = feed(DownlinkAccount(), (1, 1)).duplicate().reject("CrcError").reject("CrcError")
    assert account.packets == 1 and account.duplicates == 1
    assert account.rejected == {"CrcError": 2}


def test_round_trip_through_the_store_format() -> None:
    account = feed(DownlinkAccount(), (1, 1), (3, 3)).duplicate().reject("wrong APID")
    assert DownlinkAccount.loads(account.dumps()) == account
    assert set(account.to_json()) == {"packets", "duplicates", "gaps", "late", "rejected",
                                      "last_seq"}
