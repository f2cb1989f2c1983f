"""The store's transactions: atomic, nestable, announcements only after the commit."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ground.store import Store

AT = datetime(2031, 5, 1, tzinfo=UTC)


class Boom(Exception):
    pass


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "ground.sqlite3")
    yield store
    store.close()


def cancel_then_fail(store: Store, announced: list[str]) -> None:
    with store.transaction(synced=True):
        record = store.add_command("zhurong", "PING", {}, AT)
        store.transition(record.id, "cancelled", AT, "by operator")
        store.put_setting("held:zhurong", "1")
        store.after_commit(lambda: announced.append("cancelled"))
        raise Boom


def test_a_failure_mid_transaction_leaves_nothing(store: Store) -> None:
    announced: list[str] = []
    with pytest.raises(Boom):
        cancel_then_fail(store, announced)
    assert store.commands("zhurong") == []
    assert store.setting("held:zhurong") is None
    assert announced == []
    # and the store still works: the failed transaction is not left open
    assert store.add_command("zhurong", "PING", {}, AT).id >= 1


def test_announcements_wait_for_the_outermost_commit(store: Store) -> None:
    announced: list[int] = []
    with store.transaction(synced=True):
        record = store.add_command("zhurong", "PING", {}, AT)
        store.after_commit(lambda: announced.append(record.id))
        assert announced == []
    assert announced == [record.id]
    store.after_commit(lambda: announced.append(0))  # outside a transaction: at once
    assert announced == [record.id, 0]


def test_an_inner_failure_undoes_only_the_inner_block(store: Store) -> None:
    announced: list[str] = []
    with store.transaction(synced=True):
        kept = store.add_command("zhurong", "PING", {}, AT)
        store.after_commit(lambda: announced.append("kept"))
        with pytest.raises(Boom):
            cancel_then_fail(store, announced)  # synced inside: the outer one is
    assert [c.id for c in store.commands("zhurong")] == [kept.id]
    assert store.setting("held:zhurong") is None
    assert announced == ["kept"]


def test_a_synced_write_inside_an_unsynced_transaction_is_refused(store: Store) -> None:
    with pytest.raises(RuntimeError, match="synced"), store.transaction():
        store.add_command("zhurong", "PING", {}, AT)  # a new command must be synced
    assert store.commands("zhurong") == []
    with store.transaction(synced=True):
        store.add_command("zhurong", "PING", {}, AT)
    assert len(store.commands("zhurong")) == 1


def test_another_connection_sees_all_or_nothing(store: Store, tmp_path: Path) -> None:
    reader = sqlite3.connect(tmp_path / "ground.sqlite3")
    try:
        with store.transaction(synced=True):
            record = store.add_command("zhurong", "PING", {}, AT)
            store.transition(record.id, "cancelled", AT, "by operator")
            assert reader.execute("SELECT COUNT(*) FROM commands").fetchone() == (0,)
        assert reader.execute("SELECT state FROM commands").fetchall() == [("cancelled",)]
        assert reader.execute("SELECT COUNT(*) FROM command_history").fetchone() == (2,)
    finally:
        reader.close()


def test_a_store_made_before_retransmissions_gains_the_column(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path)
    old.execute("CREATE TABLE commands (id INTEGER PRIMARY KEY AUTOINCREMENT, rover TEXT NOT NULL,"
                " name TEXT NOT NULL, args TEXT NOT NULL, state TEXT NOT NULL, seq_count INTEGER,"
                " radiated_at REAL, predicted_arrival REAL, predicted_ack REAL, deadline REAL,"
                " error TEXT, progress INTEGER)")
    old.execute("INSERT INTO commands (rover, name, args, state) "
                "VALUES ('zhurong', 'PING', '{}', 'queued')")
    old.commit()
    old.close()
    store = Store(path)
    try:
        record = store.command(1)
        assert record is not None and record.retransmissions == 0
    finally:
        store.close()
