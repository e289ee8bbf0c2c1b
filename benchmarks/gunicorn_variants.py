"""Gunicorn settings for diagnostic runs of benchmarks/ingest.py; never used in production.

``EXCEED_BENCH_VARIANTS`` (comma-separated), set by ingest.py's --without-recovery and --undo:

- ``no-recovery``: disconnect the recovery app's reaction to each stored response (queueing its
  evaluation task), to measure feedback's own path;
- ``no-access-log``: the access log off in the workers, to measure what writing it costs;
- ``try-server-side-binding``: psycopg binds parameters on the server, so a statement run five
  times is prepared once and its plan reused (issue 11 item 4; Django's default binds client-side);
- ``undo-conn-max-age``: close the database connection after every request, as before;
- ``undo-question-cache``: load the survey's questions through the ORM on every submission;
- ``undo-lazy-staff``: query the location's staff on every submission;
- ``undo-writers-lock``: SQLite writers wait in SQLite's busy handler again, not on the file lock
  of core/backends/sqlite3 (issue 11).

Each ``undo-*`` puts back what a fix in BENCHMARKS.md removed, so its effect can be measured again.
"""

import os


def post_worker_init(worker):
    variants = set(filter(None, os.environ.get("EXCEED_BENCH_VARIANTS", "").split(",")))
    from django.db import connections

    from exceed.feedback import selectors, services
    from exceed.feedback.services import responses, survey_files

    if "no-recovery" in variants:
        services.evaluations_pending.disconnect(dispatch_uid="recovery.on_evaluations_pending")
    if "no-access-log" in variants:
        worker.log._access_log_enabled = False  # gunicorn's Logger.access_log_enabled reads it
    if "try-server-side-binding" in variants and connections["default"].vendor == "postgresql":
        connections["default"].settings_dict.setdefault("OPTIONS", {})["server_side_binding"] = True
        connections["default"].close()
    if "undo-conn-max-age" in variants:
        connections["default"].settings_dict["CONN_MAX_AGE"] = 0
    if "undo-question-cache" in variants:
        # As before: the view read the questions once, response_submit again with their choices.
        selectors.survey_questions = lambda survey: list(survey.questions.all())
        responses.survey_questions = survey_files._questions_of
    if "undo-lazy-staff" in variants:
        responses._names_staff = lambda questions, raw_answers: True
    if "undo-writers-lock" in variants:
        from django.db.backends.sqlite3.base import DatabaseWrapper as Djangos

        from exceed.core.backends.sqlite3.base import DatabaseWrapper as Ours

        Ours._start_transaction_under_autocommit = Djangos._start_transaction_under_autocommit
