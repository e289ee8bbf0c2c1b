"""Recovery measures benchmark (issue 8, item 8): the owner's recovery measures page.

    .venv/bin/python benchmarks/recovery_measures.py --db sqlite                  # the demo chain
    .venv/bin/python benchmarks/recovery_measures.py --db sqlite --cases 100000   # a year, 100,000 cases
    .venv/bin/python benchmarks/recovery_measures.py --db postgres --cases 100000

1. A temp data directory (and, with --db postgres, a private PostgreSQL on loopback) is migrated and
   given the demo chain (``demo_chain_create``: 12 stores, --responses responses over 90 days, up to
   600 recovery cases with their steps, outcomes and visits), exactly as ``exceed demo`` makes it.
2. With --cases N above what the demo made, the rest is added by bulk SQL over the last 365 days:
   for each case a low response that opened it, five steps (some late, some not done), an outcome
   for half of the closed ones and a visit for some; and --per-case responses without a failure,
   a third of them with a consented contact (CustomerContact) that sometimes answers again; then
   ``rollup_rebuild()``, as after an import, and (where the tree stores whether a customer came
   back) ``returns_rebuild()``, the migration's backfill, timed on its own.
3. Timed, as the owner: the page itself (``GET /recovery/dashboard/``, grouped by location as it
   opens) through Django's test client, and ``recovery_measures`` ungrouped, by location, by month
   and by location and month: p50/p95 over --runs runs after one warm-up.
4. Everything started is stopped by PID and the temp directory removed.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Workspace, percentile

DAYS = 365


def _insert(model, rows: list[dict]) -> None:
    """Bulk insert by executemany with every other column at its default (bulk_create is ~5× slower)."""
    from django.db import connection

    fields = [
        field for field in model._meta.concrete_fields if not field.primary_key or rows and field.attname in rows[0]
    ]
    defaults = {field.attname: field.get_default() for field in fields}
    sql = (
        f"INSERT INTO {model._meta.db_table} ({', '.join(field.column for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    values = [
        [field.get_db_prep_save(row.get(field.attname, defaults[field.attname]), connection) for field in fields]
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(values), 20000):
            cursor.executemany(sql, values[start : start + 20000])


def add_cases(total: int, per_case: int, seed: int = 8) -> float:
    """Top the demo up to ``total`` cases over the last year; returns seconds taken."""
    from django.db import connection, transaction
    from django.db.models import Max
    from django.utils import timezone

    from exceed.feedback.models import ChannelKind, Response, Survey
    from exceed.feedback.rollup import rollup_rebuild
    from exceed.org.models import Location
    from exceed.recovery.defaults import DEADLINE_HOURS
    from exceed.recovery.identity import customer_hash
    from exceed.recovery.models import (
        CaseCategory,
        CaseStatus,
        CustomerContact,
        RecoveryCase,
        RecoveryStep,
        StepKind,
        TillVisit,
    )

    rng = random.Random(seed)
    started = time.perf_counter()
    missing = total - RecoveryCase.objects.count()
    if missing <= 0:
        return 0.0
    survey = Survey.objects.filter(in_measures=True).order_by("pk").first()
    locations = [(location.pk, location.zone) for location in Location.objects.all()]
    categories = list(CaseCategory.objects.values_list("pk", flat=True))
    now = timezone.now()
    response_id = (Response.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    case_id = (RecoveryCase.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    responses, contacts, cases, steps, visits = [], [], [], [], []
    for _ in range(missing):
        location, zone = rng.choice(locations)
        for index in range(per_case + 1):
            moment = now - timedelta(seconds=rng.randrange(DAYS * 86400))
            failed = index == 0
            email = f"customer{rng.randrange(total * per_case)}@example.net" if failed or rng.random() < 0.33 else ""
            responses.append(
                {
                    "id": response_id,
                    "survey_id": survey.pk,
                    "channel_kind": ChannelKind.LINK,
                    "location_id": location,
                    "language": "da",
                    "submitted_at": moment,
                    "local_date": moment.astimezone(zone).date(),
                    "return_likelihood": rng.randint(0, 4) if failed else rng.choice([10, 10, 9, 9, 8, 7, 6, 5, None]),
                    "expectation": -1 if failed else rng.choice([1, 0, 0, None]),
                    "contact_consent": bool(email),
                    "contact_email": email,
                }
            )
            if email:
                contacts.append(
                    {
                        "response_id": response_id,
                        "location_id": location,
                        "contact_hash": customer_hash(email),
                        "submitted_at": moment,
                    }
                )
            if failed:
                closed = rng.random() < 0.75
                acknowledged = rng.randint(120, 20000) if closed or rng.random() < 0.5 else None
                case = {
                    "id": case_id,
                    "source": "survey",
                    "response_id": response_id,
                    "location_id": location,
                    "category_id": rng.choice(categories),
                    "summary": "Benchmark failure",
                    "opened_at": moment,
                    "opened_date": moment.astimezone(zone).date(),
                    "alerted_at": moment,
                    "contact_consent": True,
                    "contact_email": email,
                    "contact_hash": customer_hash(email),
                    "status": CaseStatus.CLOSED if closed else CaseStatus.IN_PROGRESS,
                    "acknowledge_seconds": acknowledged,
                }
                if closed:
                    seconds = rng.randint(3600, 200000)
                    case.update(closed_at=moment + timedelta(seconds=seconds), close_seconds=seconds)
                    if rng.random() < 0.5:
                        rating = rng.choice([1, 2, 3, 4, 4, 5, 5])
                        case.update(
                            outcome_rating=rating,
                            outcome_return_likelihood=min(10, rating * 2),
                            impressed=rating >= 4,
                            double_deviation=rating <= 2,
                            outcome_at=moment + timedelta(days=8),
                        )
                cases.append(case)
                for kind in StepKind.values:
                    done = (
                        moment + timedelta(seconds=rng.randint(60, 40 * 3600)) if closed or rng.random() < 0.3 else None
                    )
                    steps.append(
                        {
                            "case_id": case_id,
                            "kind": kind,
                            "due_at": moment + timedelta(hours=DEADLINE_HOURS[kind]),
                            "done_at": done,
                        }
                    )
                if rng.random() < 0.3:
                    visits.append(
                        {
                            "external_id": f"bench-visit-{case_id}",
                            "location_id": location,
                            "visited_at": moment + timedelta(days=rng.randint(2, 80)),
                            "customer_hash": customer_hash(email),
                            "created_at": now,
                        }
                    )
                case_id += 1
            response_id += 1
    with transaction.atomic():
        _insert(Response, responses)
        _insert(RecoveryCase, cases)
        _insert(RecoveryStep, steps)
        _insert(CustomerContact, contacts)
        _insert(TillVisit, visits)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Response, RecoveryCase):
                    table = model._meta.db_table
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
                    )
    # The daily rollup counts every response, as response_submit and the importers keep it.
    rollup_rebuild()
    if hasattr(RecoveryCase, "return_seconds"):
        # Whether each customer came back, which the services store as answers and visits arrive:
        # rows inserted here pass no service, so it is computed as the migration's backfill does.
        from exceed.recovery.returns import returns_rebuild

        backfill = time.perf_counter()
        changed = returns_rebuild()
        print(f"stored returns backfilled: {changed:,} rows in {time.perf_counter() - backfill:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "sqlite":
            # One 500 MB transaction leaves the WAL that size until a checkpoint; in use SQLite
            # checkpoints every 1,000 pages, so measure the page against the checkpointed file.
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return time.perf_counter() - started


def timed(call, runs: int) -> tuple[float, float, float]:
    """p50 and p95 of the wall time, and p50 of this process's CPU time, in ms. SQLite runs in the
    process, so on a machine others load the CPU time is the steadier figure of the two."""
    call()  # warm-up
    timings, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        call()
        timings.append(1000 * (time.perf_counter() - started))
        cpu.append(1000 * (time.process_time() - started_cpu))
    timings.sort()
    return statistics.median(timings), percentile(timings, 0.95), statistics.median(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--responses", type=int, default=20000, help="the demo's responses (default 20000, as `exceed demo`)"
    )
    parser.add_argument("--cases", type=int, default=0, help="top the cases up to this many over the last year")
    parser.add_argument(
        "--per-case", type=int, default=3, help="responses without a failure added per case (default 3)"
    )
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--pg-fast", action="store_true", help="PostgreSQL without fsync (loads faster)")
    args = parser.parse_args()
    if args.cases > 200_000:
        parser.error("keep a run bounded: --cases ≤ 200000")

    print(f"load average at start: {os.getloadavg()[0]:.2f}", flush=True)
    with Workspace(args.db, pg_fast=args.pg_fast) as workspace:
        workspace.configure(EXCEED_ALLOWED_HOSTS="testserver")
        from django.contrib.auth import get_user_model
        from django.test import Client

        from exceed.demo import demo_chain_create
        from exceed.feedback.models import Response
        from exceed.org.scopes import scope_for
        from exceed.recovery.measures import recovery_measures
        from exceed.recovery.models import RecoveryCase

        started = time.perf_counter()
        print(demo_chain_create(responses=args.responses), f"({time.perf_counter() - started:.1f} s)", flush=True)
        if args.cases:
            seconds = add_cases(args.cases, args.per_case)
            print(
                f"topped up to {RecoveryCase.objects.count():,} cases and {Response.objects.count():,} responses "
                f"in {seconds:.1f} s",
                flush=True,
            )
        owner = get_user_model().objects.get(username="owner")
        scope = scope_for(owner)
        client = Client()
        client.force_login(owner)

        def page():
            response = client.get("/recovery/dashboard/")
            assert response.status_code == 200, response.status_code

        runs = [("page /recovery/dashboard/", page)]
        for label, group_by in [
            ("ungrouped", []),
            ("by location", ["location"]),
            ("by month", ["month"]),
            ("by location and month", ["location", "month"]),
        ]:
            runs.append(
                (f"recovery_measures {label}", lambda group_by=group_by: recovery_measures(scope, group_by=group_by))
            )
        for label, call in runs:
            p50, p95, cpu = timed(call, args.runs)
            print(
                f"  {label:<40} p50 {p50:8.1f} ms   p95 {p95:8.1f} ms   cpu p50 {cpu:8.1f} ms   ({args.runs} runs, "
                f"load {os.getloadavg()[0]:.1f})",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
