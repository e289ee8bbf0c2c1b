"""Measures benchmark (issue 2, item 14b): dashboard measures over 1,000,000 responses.

    .venv/bin/python benchmarks/measures.py --db sqlite
    .venv/bin/python benchmarks/measures.py --db postgres --responses 1000000 --runs 30

1. A temp data directory (and, with --db postgres, a private PostgreSQL on loopback) is migrated
   and given 12 locations in 3 regions, 8 people each, and the default survey.
2. --responses responses over 90 days are loaded by bulk SQL (executemany on SQLite, COPY on
   PostgreSQL), not through response_submit: about 55 % name one person, 10 % two; mixed
   touchpoints, channels and languages; return likelihood and expectation skewed like real answers.
3. ``rollup_rebuild()`` fills DailyMeasure, as it does after an import.
4. ``selectors.measures`` is timed for an owner over the last 90 days: headline (ungrouped), by
   location, by week, and one location by person: p50/p95 in ms over --runs runs after 2 warm-ups.
   With --page, the latest-comments query and the whole dashboard page (rendered by Django's test
   client as an owner, 30 and 90 days) are timed too; with --page --drop-comment-index again after
   dropping the index that serves the comments' order, side by side on the same data.
5. Everything started is stopped by PID and the temp directory removed.
"""

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Workspace, percentile

DAYS = 90
LOCATIONS = 12
PEOPLE_PER_LOCATION = 8
END = date(2025, 6, 30)
LANGUAGES = ["da", "fr", "et", "fi"]
CHANNELS = ["link"] * 4 + ["kiosk"] * 3 + ["email"] * 2 + ["api"]
RETURN = [10] * 30 + [9] * 20 + [8] * 15 + [7] * 10 + [6] * 7 + [5] * 6 + [4] * 4 + [3] * 3 + [2, 1, 0] + [None] * 2
EXPECTATION = [1] * 30 + [0] * 50 + [-1] * 15 + [None] * 5
# About one answer in five carries a comment, as on the demo's tablets.
COMMENTS = ["Friendly and quick.", "Had to wait at the till.", "She found my size in the back.", ""] + [""] * 16


def prepare() -> dict:
    from exceed.feedback.services import default_survey_install
    from exceed.org.models import Touchpoint
    from exceed.org.services import location_create, person_create, region_get_or_create

    regions = [region_get_or_create(code=f"r{index}", name=f"Region {index}") for index in range(3)]
    locations, staff = [], {}
    for index in range(LOCATIONS):
        location = location_create(
            code=f"loc{index:02d}",
            name=f"Store {index:02d}",
            region=regions[index % 3],
            default_language=LANGUAGES[index % len(LANGUAGES)],
        )
        locations.append(location)
        staff[location.pk] = [
            person_create(name=f"Person {index:02d}-{n}", locations=[location]).pk for n in range(PEOPLE_PER_LOCATION)
        ]
    touchpoints = list(Touchpoint.objects.order_by("position").values_list("pk", flat=True))
    weighted_touchpoints = [touchpoints[0]] * 7 + touchpoints[1:4] + [None]
    return {
        "survey": default_survey_install().pk,
        "locations": [(location.pk, location.default_language) for location in locations],
        "staff": staff,
        "touchpoints": weighted_touchpoints,
    }


def generate(world: dict, count: int, seed: int = 7):
    """Yield (response values, person ids) for ``count`` responses spread over the 90 days."""
    rng = random.Random(seed)
    start = datetime.combine(END - timedelta(days=DAYS - 1), datetime.min.time(), tzinfo=UTC)
    span = DAYS * 86400
    for pk in range(1, count + 1):
        location, default_language = rng.choice(world["locations"])
        moment = start + timedelta(seconds=rng.randrange(span))
        roll = rng.random()
        people = rng.sample(world["staff"][location], 2 if roll < 0.10 else 1) if roll < 0.65 else []
        yield (
            {
                "id": pk,
                "survey_id": world["survey"],
                "channel_kind": rng.choice(CHANNELS),
                "location_id": location,
                "touchpoint_id": rng.choice(world["touchpoints"]),
                "language": default_language if rng.random() < 0.8 else "en",
                "submitted_at": moment,
                "local_date": moment.date(),
                "return_likelihood": rng.choice(RETURN),
                "expectation": rng.choice(EXPECTATION),
                "csat": rng.choice([None, None, 5, 4, 4, 3, 2]),
                "comment": rng.choice(COMMENTS),
            },
            people,
        )


def load(world: dict, count: int) -> float:
    """Insert the responses and their people by bulk SQL; returns seconds taken."""
    from django.db import connection, transaction

    from exceed.feedback.models import Response

    fields = [field for field in Response._meta.concrete_fields]
    columns = [field.column for field in fields]
    defaults = {field.attname: field.get_db_prep_save(field.get_default(), connection) for field in fields}
    link = Response.people.through._meta
    started = time.perf_counter()

    def rows():
        for values, people in generate(world, count):
            yield (
                [
                    field.get_db_prep_save(values[field.attname], connection)
                    if field.attname in values
                    else defaults[field.attname]
                    for field in fields
                ],
                [(values["id"], person) for person in people],
            )

    response_table = Response._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {response_table} ({', '.join(columns)}) FROM STDIN") as copy:
                people_rows = []
                for row, people in rows():
                    copy.write_row(row)
                    people_rows.extend(people)
            with cursor.cursor.copy(f"COPY {link.db_table} (response_id, person_id) FROM STDIN") as copy:
                for row in people_rows:
                    copy.write_row(row)
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{response_table}', 'id'), {count})")
        else:
            raw = cursor.cursor  # the sqlite3 cursor: Django's wrapper costs more than the insert
            insert = f"INSERT INTO {response_table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
            batch, people_rows = [], []
            for row, people in rows():
                batch.append(row)
                people_rows.extend(people)
                if len(batch) == 50000:
                    raw.executemany(insert, batch)
                    batch = []
            raw.executemany(insert, batch)
            raw.executemany(f"INSERT INTO {link.db_table} (response_id, person_id) VALUES (?, ?)", people_rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def cases(world: dict):
    from exceed.feedback.selectors import FeedbackFilter

    window = {"date_from": END - timedelta(days=DAYS - 1), "date_to": END}
    one_location = world["locations"][0][0]
    return [
        ("headline (ungrouped)", FeedbackFilter(**window), []),
        ("by location", FeedbackFilter(**window), ["location"]),
        ("by week", FeedbackFilter(**window), ["week"]),
        ("one location by person", FeedbackFilter(location=one_location, **window), ["person"]),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--responses", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=30, help="timed runs per query (default 30, at least 20)")
    parser.add_argument("--pg-fast", action="store_true", help="PostgreSQL without fsync (loads faster)")
    parser.add_argument("--explain", action="store_true", help="print each query's plan")
    parser.add_argument("--page", action="store_true", help="also time the latest comments and the dashboard page")
    parser.add_argument(
        "--drop-comment-index", action="store_true", help="with --page: time again without the comments' index"
    )
    args = parser.parse_args()
    if args.responses > 10_000_000:
        parser.error("keep a run bounded: --responses ≤ 10000000 (issue 11 item 8 asks for 10M on PostgreSQL)")

    with Workspace(args.db, pg_fast=args.pg_fast) as workspace:
        workspace.configure()
        from django.db import connection

        from exceed.feedback.models import DailyMeasure, Response
        from exceed.feedback.rollup import rollup_rebuild
        from exceed.feedback.selectors import measures
        from exceed.org.scopes import Scope

        world = prepare()
        seconds = load(world, args.responses)
        print(
            f"{args.db}: loaded {Response.objects.count():,} responses "
            f"({Response.people.through.objects.count():,} person links) in {seconds:.1f} s",
            flush=True,
        )
        started = time.perf_counter()
        rows = rollup_rebuild()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        print(f"rollup_rebuild: {rows:,} DailyMeasure rows in {time.perf_counter() - started:.1f} s", flush=True)
        owner = Scope(role="owner", location_ids=None)
        for name, filters, group_by in cases(world):
            result = []
            for _ in range(2):
                result = measures(owner, filters, group_by)
            timings = []
            for _ in range(max(args.runs, 20)):
                started = time.perf_counter()
                result = measures(owner, filters, group_by)
                timings.append(1000 * (time.perf_counter() - started))
            timings.sort()
            total = sum(row["responses"] for row in result)
            print(
                f"  {name:<24} p50 {statistics.median(timings):7.1f} ms   p95 {percentile(timings, 0.95):7.1f} ms"
                f"   ({len(result)} groups, {total:,} responses, {len(timings)} runs)",
                flush=True,
            )
            if args.explain:
                from django.test.utils import CaptureQueriesContext

                with CaptureQueriesContext(connection) as captured:
                    measures(owner, filters, group_by)
                for query in captured.captured_queries:
                    if "dailymeasure" in query["sql"]:
                        with connection.cursor() as cursor:
                            prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
                            cursor.execute(prefix + query["sql"])
                            for line in cursor.fetchall():
                                print("      ", line[-1] if connection.vendor == "sqlite" else line[0])
        assert DailyMeasure.objects.filter(person_id=0).exists()
        if args.page:
            time_pages(world, owner, runs=max(args.runs // 3, 10))
            if args.drop_comment_index:
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP INDEX {COMMENT_INDEX}")
                    cursor.execute("ANALYZE")
                print(f"without {COMMENT_INDEX}:", flush=True)
                time_pages(world, owner, runs=max(args.runs // 3, 10))
    return 0


COMMENT_INDEX = "response_commented_latest"


def _timed(call, runs: int) -> tuple[float, float]:
    for _ in range(2):
        call()
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append(1000 * (time.perf_counter() - started))
    timings.sort()
    return statistics.median(timings), percentile(timings, 0.95)


def time_pages(world: dict, owner, *, runs: int) -> None:
    """The latest comments of 30 and 90 days, and the dashboard page an owner opens for them."""
    from django.contrib.auth.models import User
    from django.test import Client

    from exceed.feedback.selectors import FeedbackFilter, comments_latest
    from exceed.org.models import Membership, Role

    user = User.objects.filter(username="bench-owner").first()
    if user is None:
        user = User.objects.create_user("bench-owner", password=None)
        Membership.objects.create(user=user, role=Role.OWNER)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    for days in (30, 90):
        window = {"date_from": END - timedelta(days=days - 1), "date_to": END}
        p50, p95 = _timed(lambda window=window: list(comments_latest(owner, FeedbackFilter(**window))), runs)
        print(f"  latest comments, {days} days   p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   ({runs} runs)", flush=True)
        url = f"/dashboard/?date_from={window['date_from']:%Y-%m-%d}&date_to={window['date_to']:%Y-%m-%d}"
        assert client.get(url).status_code == 200
        p50, p95 = _timed(lambda url=url: client.get(url), runs)
        print(f"  dashboard page, {days} days    p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   ({runs} runs)", flush=True)


if __name__ == "__main__":
    sys.exit(main())
