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
writer waits at most the database's ``timeout`` (settings.py, 20 s) and then fails with "database
is locked", as SQLite's own handler would: a long import must not hold a live answer until the web
server kills its worker. The wait polls every millisecond rather than blocking in the kernel, so it
can give up; a millisecond is still far finer than the busy handler's sleeps.
"""

import fcntl
import os
import time

from django.db import OperationalError
from django.db.backends.sqlite3 import base

POLL_SECONDS = 0.001


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
            self._lock_take(self._lock_fd)
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

    def _lock_take(self, fd: int) -> None:
        deadline = time.monotonic() + float(self.settings_dict.get("OPTIONS", {}).get("timeout", 5))
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OperationalError("database is locked") from None
                time.sleep(POLL_SECONDS)

    def _lock_release(self) -> None:
        if self._lock_held and self._lock_fd is not None:
            self._lock_held = False
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
