"""SQLite's writers queue for the write lock and none fails (issue 11, item 4).

Write transactions begin IMMEDIATE (settings.py) and, in Exceed's backend
(core/backends/sqlite3), first take a file lock beside the database, so a waiting writer wakes
when the one before it commits instead of sleeping in SQLite's busy handler. The test database is
in memory, out of other processes' reach: these tests share a file between processes.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

CHILD = Path(__file__).with_name("writers_child.py")

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's write lock")


@pytest.fixture(scope="module")
def shared(tmp_path_factory) -> tuple[dict, Path]:
    """An environment whose SQLite file is migrated, with a store and the default survey."""
    directory = tmp_path_factory.mktemp("writers") / "data"
    env = {key: value for key, value in os.environ.items() if not key.startswith("EXCEED_DATABASE")}
    env["EXCEED_DATA_DIR"] = str(directory)
    env["EXCEED_LOG_LEVEL"] = "WARNING"
    _run(env, "setup")
    return env, directory / "exceed.sqlite3"


def _run(env, *args) -> str:
    done = subprocess.run([sys.executable, str(CHILD), *args], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_four_processes_writing_at_once_all_store_every_response(shared):
    """Before IMMEDIATE transactions, a writer whose read lock could not be upgraded failed at
    once with "database is locked"; here four processes store 40 responses each, all of them."""
    env, database_file = shared
    writers = [
        subprocess.Popen([sys.executable, str(CHILD), "submit", "40"], env=env, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    for writer in writers:
        _out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err[-2000:]
    import sqlite3

    with sqlite3.connect(database_file) as database:
        stored = database.execute("SELECT COUNT(*) FROM feedback_response").fetchone()[0]
        counted = database.execute("SELECT SUM(responses) FROM feedback_dailymeasure WHERE person_id = 0").fetchone()[0]
    assert (stored, counted) == (160, 160)


def test_a_write_transaction_holds_the_writers_lock_until_it_ends(shared):
    env, _database_file = shared
    held_inside, free_after = _run(env, "probe").split()
    assert (held_inside, free_after) == ("True", "True")


def test_a_writer_gives_up_after_the_timeout_while_another_holds_the_lock(shared):
    """A long import holding the lock must not keep a live answer waiting until the web server
    kills its worker: the writer fails after the database's timeout, as SQLite's own would."""
    import fcntl

    env, database_file = shared
    descriptor = os.open(f"{database_file}.writers", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    try:
        words = _run(env, "wait").split()
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        os.close(descriptor)
    assert words[:3] == ["database", "is", "locked"]
    assert 0.9 <= float(words[3]) < 5
    assert _run(env, "wait").strip() == "written"  # the lock free again: the write goes through
