"""Bulk import benchmark (issue 11, item 7): `exceed import responses` of N NDJSON lines.

    PYTHONPATH=<tree>/src .venv/bin/python benchmarks/import_bulk.py --db sqlite   --lines 100000
    PYTHONPATH=<tree>/src .venv/bin/python benchmarks/import_bulk.py --db postgres --lines 100000
    ... --profile 20000        # cProfile of the import, the 25 costliest functions by own time

1. A temp data directory (and, with --db postgres, a private durable PostgreSQL on loopback) is
   migrated and given 12 stores, 60 people (each with an employee number) and the "visit" survey.
2. N lines are generated as a till system's history would be: every answer of the visit survey,
   a third naming a person in ``people`` and one in ten naming who served in ``served_by``, a
   fifth with a low score (which recovery's rules may open a case for), spread over 365 days.
3. ``exceed import responses FILE`` runs in this process, as the CLI runs it, and is timed.
4. Checked after: responses stored = lines, one pending evaluation per response (the workers'
   queue), the rollup equal to a rebuild from the responses, and a second run of the same file
   storing nothing (--rerun, timed as well).
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import random
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Workspace

STORES = 12
PEOPLE = 60


def chain_create() -> list[tuple[str, list[str]]]:
    from exceed.feedback.services import default_survey_install
    from exceed.org.models import Location, Person, Region

    region = Region.objects.create(code="bench", name="Bench")
    stores = []
    for number in range(STORES):
        location = Location.objects.create(
            code=f"s{number}",
            name=f"Store {number}",
            region=region,
            timezone="Europe/Copenhagen",
            default_language="da",
        )
        refs = []
        for n in range(PEOPLE // STORES):
            person = Person.objects.create(name=f"Person {number}-{n}", external_ref=f"E{number}-{n}")
            person.locations.add(location)
            refs.append(person.external_ref)
        stores.append((location.code, refs))
    default_survey_install()
    return stores


def lines_write(path: Path, count: int, stores, *, order: str = "random", seed: int = 11) -> None:
    from exceed.org.models import Person

    ids = dict(Person.objects.values_list("external_ref", "pk"))
    rng = random.Random(seed)
    start = datetime(2025, 11, 1, tzinfo=UTC)
    outcomes = ("below", "met", "exceeded")
    # "time": a till's export, oldest first, as history files come; "random": the same moments
    # shuffled, the worst case for the indexes on dates (each batch touches pages all over them).
    moments = sorted(rng.randrange(365 * 86400) for _ in range(count))
    if order == "random":
        rng.shuffle(moments)
    with open(path, "w", encoding="utf-8") as handle:
        for n in range(count):
            code, refs = stores[n % len(stores)]
            low = rng.random() < 0.2
            record = {
                "external_id": f"till-{n}",
                "survey": "visit",
                "location": code,
                "touchpoint": "in-store",
                "submitted_at": (start + timedelta(seconds=moments[n])).isoformat(),
                "answers": {
                    "return": rng.randint(0, 5) if low else rng.randint(6, 10),
                    "expectation": "below" if low else rng.choice(outcomes),
                    "difference": f"Kommentar {n}" if rng.random() < 0.5 else "",
                },
            }
            if n % 3 == 0:
                record["people"] = rng.choice(refs)
            if n % 10 == 0:
                record["answers"]["served_by"] = [str(ids[rng.choice(refs)])]
            handle.write(json.dumps(record) + "\n")


def phases_timed() -> dict[str, float]:
    """Seconds spent in each part of the write (--phases): the rows' preparation, the driver's
    bulk writes, the rollup, the look-ups of stored ids (while checking and in each batch), the
    planner's statistics at the end; "batches" is all the work inside the batches' transactions,
    so the write's time less it and the statistics is the commits. Cheap enough for a 1M-line
    run, unlike cProfile."""
    from exceed.feedback import importers, rollup
    from exceed.feedback.services import responses

    spent = {"batches": 0.0, "prepare": 0.0, "insert": 0.0, "rollup": 0.0, "stored ids": 0.0, "statistics": 0.0}
    insert, add_many, stored = responses._rows_insert, rollup.rollup_add_many, importers._stored_ids

    def rows_insert(cursor, model, fields, rows):
        started = time.perf_counter()
        rows = list(rows)
        preparers = [(i, prepare) for i, f in enumerate(fields) if (prepare := responses._preparer(f)) is not None]
        for row in rows:
            for index, prepare in preparers:
                if row[index] is not None:
                    row[index] = prepare(row[index])
        middle = time.perf_counter()
        spent["prepare"] += middle - started
        responses._preparer, original = (lambda f: None), responses._preparer
        try:
            insert(cursor, model, fields, rows)
        finally:
            responses._preparer = original
        spent["insert"] += time.perf_counter() - middle

    def timed(name, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started

        return wrapper

    responses._rows_insert = rows_insert
    importers._store_batch = timed("batches", importers._store_batch)
    importers.planner_statistics_refresh = timed("statistics", importers.planner_statistics_refresh)
    responses.rollup_add_many = timed("rollup", add_many)
    importers._stored_ids = timed("stored ids", stored)
    return spent


def import_run(path: Path, profile: bool) -> tuple[float, float, str]:
    """The CLI's import (``exceed import responses``' kind, run as `cmd_import` runs it), timed;
    returns the whole time, the time of the checking pass and the summary."""
    from exceed.core.imports import import_kind

    phases: dict[str, float] = {}

    def progress(phase: str, done: int, total: int) -> None:
        phases.setdefault(phase, time.perf_counter())

    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    report = import_kind("responses").run(path=path, progress=progress)
    if profiler:
        profiler.disable()
    elapsed = time.perf_counter() - started
    if profiler:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(25)
        print(text.getvalue())
    # The first "storing" call comes after the first batch is written: the check ended before it.
    storing = [moment for phase, moment in phases.items() if phase != next(iter(phases))]
    checked = (storing[0] if storing else time.perf_counter()) - started
    return elapsed, checked, report.summary("Responses")


def checks(count: int) -> dict:
    from exceed.feedback.models import DailyMeasure, PendingEvaluation, Response
    from exceed.feedback.rollup import rollup_rebuild

    stored = Response.objects.count()
    pending = PendingEvaluation.objects.count()
    columns = [field.name for field in DailyMeasure._meta.concrete_fields if field.name != "id"]
    before = sorted(DailyMeasure.objects.values_list(*columns))
    rollup_rebuild()
    after = sorted(DailyMeasure.objects.values_list(*columns))
    return {"stored": stored, "pending": pending, "rollup_exact": before == after, "lines": count}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--profile", action="store_true", help="cProfile the import")
    parser.add_argument(
        "--order", choices=("time", "random"), default="time", help="lines oldest first (a till's export) or shuffled"
    )
    parser.add_argument("--phases", action="store_true", help="time the parts of the write")
    parser.add_argument("--rerun", action="store_true", help="import the same file again (must store nothing)")
    args = parser.parse_args()
    import exceed

    print(f"code under test: {Path(exceed.__file__).resolve().parent}")
    print(f"load average at start: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
    with Workspace(args.db) as workspace:
        workspace.configure()
        stores = chain_create()
        path = workspace.directory / "responses.ndjson"
        started = time.perf_counter()
        lines_write(path, args.lines, stores, order=args.order)
        print(f"generated {args.lines:,} lines ({args.order} order) in {time.perf_counter() - started:.1f} s")
        spent = phases_timed() if args.phases else None
        elapsed, checked, summary = import_run(path, args.profile)
        if spent:
            print("write phases: " + ", ".join(f"{name} {seconds:.1f} s" for name, seconds in spent.items()))
        print(
            f"{args.db}: imported {args.lines:,} lines in {elapsed:.1f} s "
            f"({args.lines / elapsed:,.0f} lines/s; reading and checking ≤ {checked:.1f} s, "
            f"the first batch's write included) — {summary}"
        )
        if args.rerun:
            again, _checked, summary = import_run(path, False)
            print(f"{args.db}: the same file again in {again:.1f} s — {summary}")
        result = checks(args.lines)
        print(f"checks: {result}")
        print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MiB")
        print(f"load average at end: {' '.join(f'{value:.2f}' for value in os.getloadavg())}")
        if not (result["stored"] == result["pending"] == args.lines and result["rollup_exact"]):
            raise SystemExit("CHECK FAILED")


if __name__ == "__main__":
    main()
