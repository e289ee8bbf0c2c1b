"""Work for the second core: a function run in a forked copy of this process, its result read back.

An import checks a million lines in Python, which holds one core; the other can check half of
them meanwhile. A fork (POSIX) gives the copy everything already loaded — the stores, surveys
and people an import checks against — without pickling any of it. The copy never touches the
database: the connection is the parent's, and a query from the child would interleave with the
parent's on the same socket or file, so every query there raises. It leaves by ``os._exit``, so
neither Django's nor a test runner's clean-up runs twice. The result comes back through a
temporary file, not a pipe, so the child never waits for a busy parent to read it.
"""

import os
import pickle
import signal
import tempfile
import traceback
from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import connections

T = TypeVar("T")


def available() -> bool:
    return hasattr(os, "fork")


class ForkFailed(RuntimeError):
    """The child raised, or died; the message carries its traceback or its exit status."""


class Forked(Generic[T]):
    """``function`` running in a child process: ``result()`` waits for it, ``cancel()`` stops it."""

    def __init__(self, function: Callable[[], T]):
        self._file = tempfile.TemporaryFile()
        self._pid = os.fork()
        if self._pid == 0:
            self._run_as_child(function)

    def _run_as_child(self, function: Callable[[], T]) -> None:
        code = 0
        try:
            for alias in connections:
                connections[alias].execute_wrappers.append(_refuse_queries)
            outcome: tuple[bool, object] = (True, function())
        except BaseException:
            outcome, code = (False, traceback.format_exc()), 1
        try:
            pickle.dump(outcome, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._file.flush()
        finally:
            os._exit(code)

    def result(self) -> T:
        _pid, status = os.waitpid(self._pid, 0)
        try:
            self._file.seek(0)
            succeeded, value = pickle.load(self._file)
        except EOFError:
            raise ForkFailed(f"the child process ended without a result (status {status})") from None
        finally:
            self._file.close()
        if not succeeded:
            raise ForkFailed(str(value))
        return value

    def cancel(self) -> None:
        try:
            os.kill(self._pid, signal.SIGKILL)
            os.waitpid(self._pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        self._file.close()


def _refuse_queries(execute, sql, params, many, context):
    raise RuntimeError("a forked child must not use its parent's database connection")
