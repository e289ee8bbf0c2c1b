"""A writer process of test_sqlite_writers; run as `python writers_child.py STEP [N]` with
EXCEED_DATA_DIR set (an SQLite file shared by the processes).

setup: migrate and create a store with the default survey.
submit N: store N responses through response_submit, each in its own write transaction.
probe: inside a write transaction, check that the writers' file lock is held; after it, free.
wait: with the lock held by someone else, start a write transaction with a 1 s timeout; prints
"locked SECONDS" when it gives up.
"""

import fcntl
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exceed.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from exceed.feedback.models import ChannelKind, Survey  # noqa: E402
from exceed.feedback.services import default_survey_install, response_submit  # noqa: E402
from exceed.org.models import Location  # noqa: E402
from exceed.org.services import location_create, region_get_or_create  # noqa: E402


def _lock_is_free() -> bool:
    descriptor = os.open(f"{connection.settings_dict['NAME']}.writers", os.O_RDWR)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(descriptor)
    return True


def main(step: str, times: str = "0") -> int:
    if step == "setup":
        call_command("migrate", verbosity=0)
        region = region_get_or_create(code="north", name="North")
        location_create(code="cph", name="Copenhagen", region=region, timezone="Europe/Copenhagen")
        default_survey_install()
        return 0
    if step == "submit":
        survey, location = Survey.objects.get(slug="visit"), Location.objects.get(code="cph")
        for number in range(int(times)):
            response_submit(
                survey=survey,
                location=location,
                raw_answers={"return": number % 11, "expectation": "met"},
                language="da",
                channel_kind=ChannelKind.API,
            )
        return 0
    if step == "probe":
        with transaction.atomic():
            Location.objects.filter(code="cph").update(name="Copenhagen")
            held = not _lock_is_free()
        print(f"{held} {_lock_is_free()}")
        return 0
    if step == "wait":
        import time

        from django.db import OperationalError

        connection.settings_dict["OPTIONS"]["timeout"] = 1
        started = time.monotonic()
        try:
            with transaction.atomic():
                Location.objects.filter(code="cph").update(name="Copenhagen")
        except OperationalError as error:
            print(f"{error} {time.monotonic() - started:.1f}")
            return 0
        print("written")
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
