"""A worker process of test_shared_throttle; run as `python throttle_child.py STEP`.

migrate: prepare a fresh SQLite file (the test's PostgreSQL is ready as it is).
count N: send N answers from one address to one link through the throttle; print how many passed.
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exceed.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

from exceed.feedback.respondent import throttle_exceeded  # noqa: E402


def main(step: str, times: str = "0") -> int:
    if step == "migrate":
        call_command("migrate", verbosity=0)
        return 0
    if step == "count":
        passed = sum(not throttle_exceeded(scope_key="link:1", client="203.0.113.9") for _ in range(int(times)))
        print(passed)
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
