"""The public survey throttle counts in the database, shared by every process (issue 7, item 8)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from exceed.feedback.models import Response, ThrottleCount
from exceed.feedback.respondent import throttle_counts_purge, throttle_exceeded

CHILD = Path(__file__).with_name("throttle_child.py")
ANSWER = {"q_return": "5", "q_expectation": "met"}


def test_a_second_worker_process_continues_the_count_of_the_first(cast, client, settings):
    """Reproducer: two gunicorn workers, 20 answers allowed per address and link: 40 got through,
    since each worker counted in its own memory. The second worker is played by a cache of its
    own (a LocMemCache at another location is another process's memory)."""
    settings.EXCEED_SURVEY_RATE_LIMIT = 3
    link = f"/s/{cast.par_link.slug}/"
    assert [client.post(link, ANSWER).status_code for _ in range(3)] == [302, 302, 302]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "worker-2"}}
    assert client.post(link, ANSWER).status_code == 429
    assert Response.objects.count() == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_four_worker_processes_together_let_through_exactly_the_limit(tmp_path):
    """Four processes, each with its own memory and database connection, send ten answers each
    from one address to one link at once: exactly the 20 promised pass, not 20 per process."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("EXCEED_DATABASE")}
    env["EXCEED_SURVEY_RATE_LIMIT"], env["EXCEED_SURVEY_RATE_WINDOW"] = "20", "600"
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        env["EXCEED_DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        # The test database is in memory, out of a subprocess' reach: the workers share a file.
        env["EXCEED_DATA_DIR"] = str(tmp_path / "data")
        migrated = subprocess.run(
            [sys.executable, str(CHILD), "migrate"], env=env, capture_output=True, text=True, timeout=300
        )
        assert migrated.returncode == 0, migrated.stderr
    workers = [
        subprocess.Popen(
            [sys.executable, str(CHILD), "count", "10"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    passed = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err
        passed.append(int(out))
    assert sum(passed) == 20


def test_a_new_window_starts_when_the_old_one_ended_and_ended_windows_are_purged(db, settings, monkeypatch):
    import time

    settings.EXCEED_SURVEY_RATE_LIMIT = 1
    settings.EXCEED_SURVEY_RATE_WINDOW = 600
    assert throttle_exceeded(scope_key="link:1", client="a") is False
    assert throttle_exceeded(scope_key="link:1", client="a") is True
    later = time.time() + 601
    monkeypatch.setattr(time, "time", lambda: later)
    assert throttle_exceeded(scope_key="link:1", client="a") is False
    assert throttle_exceeded(scope_key="link:1", client="b") is False
    monkeypatch.setattr(time, "time", lambda: later + 601)
    assert throttle_counts_purge() == "2 expired throttle counts removed"
    assert not ThrottleCount.objects.exists()
