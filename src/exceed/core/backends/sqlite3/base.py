"""Django's SQLite backend, with writers queueing on a file lock instead of in SQLite's busy handler.

Every write transaction is ``BEGIN IMMEDIATE`` (settings.py), so two processes that write at once
contend for SQLite's one write lock. The loser is parked in SQLite's busy handler, which sleeps
1, 2, 5, 10, 15, 20, 25 … 100 ms between tries, however soon the lock was freed: under load the
web workers spent about 14 % of their wall time asleep there (issue 11). Here a write transaction
first takes an exclusive ``flock`` on a file beside the database, in the kernel's queue: the next
writer wakes the moment the previous one commits, and then finds SQLite's lock free.

Only transactions (``atomic``) queue here; a single statement in autocommit mode, another program
or a backup still meets the busy handler, as before, and an in-memory database (the tests') takes
no lock. The kernel frees the lock of a process that dies, so a killed writer blocks nobody. A
writer waits as long as the transaction before it lasts, bounded by the web server's worker
timeout, where before it gave up after ``timeout`` seconds with "database is locked".
"""

import fcntl
import os

from django.db.backends.sqlite3 import base


class DatabaseWrapper(base.DatabaseWrapper):
    _lock_fd: int | None = None
    _lock_held = False

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if self._lock_fd is None and not self.is_in_memory_db():
            # One open file per connection: flock locks of two descriptors conflict, even in one process.
            self._lock_fd = os.open(f"{self.settings_dict['NAME']}.writers", os.O_RDWR | os.O_CREAT, 0o600)
        return connection

    def _start_transaction_under_autocommit(self):
        self.ensure_connection()  # opens the lock file with the first connection
        if self._lock_fd is not None:
            fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
            self._lock_held = True
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]  # Django's, untyped
        except BaseException:
            self._lock_release()
            raise

    def _commit(self):
        try:
            super()._commit()  # type: ignore[misc]  # Django's, untyped
        finally:
            self._lock_release()

    def _rollback(self):
        try:
            super()._rollback()  # type: ignore[misc]  # Django's, untyped
        finally:
            self._lock_release()

    def _close(self):
        try:
            super()._close()  # type: ignore[misc]  # Django's, untyped
        finally:
            self._lock_release()
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None

    def _lock_release(self) -> None:
        if self._lock_held and self._lock_fd is not None:
            self._lock_held = False
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
