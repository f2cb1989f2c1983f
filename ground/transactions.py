"""Explicit transactions on a SQLite connection in autocommit mode: atomic, nestable, synced on
request, with actions held back until the commit.

The connection runs with ``isolation_level=None``, so each statement would otherwise commit
alone. The outermost block is ``BEGIN IMMEDIATE ... COMMIT`` (IMMEDIATE takes the write lock at
once, so a commit never fails for a lock another writer took in between); an inner block is a
savepoint, so a failure inside it undoes its own writes and leaves the caller's to decide. An
error that escapes the outermost block rolls everything back.

The sync level (``PRAGMA synchronous``) cannot change inside a transaction, so the outermost
block decides it: an inner block that asks for a synced commit inside an unsynced one is a
programming error, refused at once rather than silently weakened.

Everything runs on the event loop's thread and a block never awaits: another task's writes
would otherwise join a transaction that is not theirs. Reads may run elsewhere, on read-only
connections of their own (:mod:`ground.reads`): they see only what is committed.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator


class Transactions:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self._depth = 0
        self._synced = False
        self._after: list[Callable[[], None]] = []
        self._set_synchronous(False)

    @property
    def open(self) -> bool:
        return self._depth > 0

    @contextlib.contextmanager
    def begin(self, synced: bool = False) -> Iterator[None]:
        """One atomic unit; ``synced``: committed and synced to the disk before it returns."""
        if self._depth == 0:
            with self._outermost(synced):
                yield
            return
        if synced and not self._synced:
            raise RuntimeError("a synced transaction inside an unsynced one: "
                               "open the outermost one synced")
        with self._savepoint():
            yield

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` once what was written so far is committed (now, outside a block);
        never if it is rolled back. So nothing is announced that could still vanish."""
        if self._depth == 0:
            action()
        else:
            self._after.append(action)

    @contextlib.contextmanager
    def _outermost(self, synced: bool) -> Iterator[None]:
        if synced:
            self._set_synchronous(True)
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._depth, self._synced = 1, synced
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                self._after.clear()
                raise
            finally:
                self._depth, self._synced = 0, False
        finally:
            if synced:
                self._set_synchronous(False)
        actions, self._after = self._after, []
        for action in actions:
            action()

    @contextlib.contextmanager
    def _savepoint(self) -> Iterator[None]:
        name = f"nested_{self._depth}"
        mark = len(self._after)
        self._db.execute(f"SAVEPOINT {name}")
        self._depth += 1
        try:
            yield
        except BaseException:
            self._db.execute(f"ROLLBACK TO {name}")
            self._db.execute(f"RELEASE {name}")
            del self._after[mark:]
            raise
        else:
            self._db.execute(f"RELEASE {name}")
        finally:
            self._depth -= 1

    def _set_synchronous(self, synced: bool) -> None:
        """FULL syncs each commit to the disk; NORMAL lets the OS write it out (WAL keeps
        the order, so a power cut loses only the last commits, never a torn one)."""
        self._db.execute(f"PRAGMA synchronous={'FULL' if synced else 'NORMAL'}")
