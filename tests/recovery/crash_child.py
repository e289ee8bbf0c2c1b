"""The processes of test_pending_evaluations' crash test; run as `python crash_child.py STEP`.

store: store a low answer through response_submit, then SIGKILL this process in the first
       on-commit callback: after the response's commit, before any recovery work.
retry: a till's retry with the same external id; prints the 409 and what is stored.
sweep: the worker's periodic work once (`manage.py recovery_tick`); prints what is stored.
"""

import io
import json
import os
import signal
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exceed.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from exceed.errors import DomainError  # noqa: E402
from exceed.feedback.models import PendingEvaluation, Response, Survey  # noqa: E402
from exceed.feedback.services import default_survey_install, response_submit  # noqa: E402
from exceed.org.models import Location  # noqa: E402
from exceed.org.services import location_create, region_get_or_create  # noqa: E402
from exceed.recovery import defaults  # noqa: E402
from exceed.recovery.models import RecoveryCase, RecoveryRule, RecoveryStep  # noqa: E402
from exceed.recovery.services import categories_install  # noqa: E402

EXTERNAL_ID = "till-9-crash"


def submit():
    return response_submit(
        survey=Survey.objects.get(slug="visit"),
        location=Location.objects.get(code="crash"),
        raw_answers={"return": "1", "expectation": "below", "difference": "Nobody came to the till."},
        language="en",
        channel_kind="api",
        external_id=EXTERNAL_ID,
    )


def stored() -> dict:
    response = Response.objects.filter(external_id=EXTERNAL_ID)
    return {
        "responses": response.count(),
        "cases": RecoveryCase.objects.filter(response__in=response).count(),
        "pending": PendingEvaluation.objects.filter(response__in=response).count(),
        "alerts": DBTaskResult.objects.filter(task_path__endswith=".case_alert").count(),
    }


def main(step: str) -> int:
    if step == "store":
        call_command("migrate", verbosity=0)  # a fresh SQLite file; the test's PostgreSQL as it is
        location_create(code="crash", name="Crash", region=region_get_or_create(code="crash"))
        default_survey_install()
        categories_install()
        if not RecoveryRule.objects.filter(active=True).exists():
            RecoveryRule.objects.create(**defaults.DEFAULT_RULE)
        with transaction.atomic():
            # Registered before response_submit's own callbacks, so it runs first after the commit.
            transaction.on_commit(lambda: os.kill(os.getpid(), signal.SIGKILL))
            submit()
        return 3  # not reached
    if step == "retry":
        try:
            submit()
            status = 201
        except DomainError as error:
            status = error.status
        print(json.dumps({"status": status, **stored()}))
        return 0
    if step == "sweep":
        call_command("recovery_tick", stdout=io.StringIO())
        result = stored()
        result["steps"] = RecoveryStep.objects.filter(case__response__external_id=EXTERNAL_ID).count()
        print(json.dumps(result))
        return 0
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
