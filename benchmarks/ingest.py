"""Ingest benchmark (issue 2, item 14a): concurrent clients submitting responses to `exceed serve`.

    .venv/bin/python benchmarks/ingest.py --db sqlite --seconds 20
    .venv/bin/python benchmarks/ingest.py --db postgres --seconds 20 --target api
    .venv/bin/python benchmarks/ingest.py --db sqlite --target limit,api,form,form-full --rounds 3

The ``limit`` target is the bare reference (benchmarks/bare_limit: one Django view, no middleware,
that checks the same JSON and inserts one response and its answers) served beside Exceed with the
same number of gunicorn workers; with it, each path is also reported as a ratio to the limit
measured in the same round (issue 11), since absolute figures move by 3× between machines.

1. A temp data directory (and, with --db postgres, a private PostgreSQL on loopback) is migrated
   and given minimal data: one location with three people, the default survey, one link channel,
   an owner with an API token.
2. `exceed serve --workers 2` starts on a free loopback port.
3. For each target (the public form, the API), --clients asyncio clients send submissions for
   --seconds or until --requests have been sent, after a short warm-up. Each request opens its own
   connection, because gunicorn's sync workers close it after every response.
4. It prints responses/s, p50/p99 latency, and checks that the responses stored equal the
   submissions the server acknowledged (302 from the form, 201 from the API).
5. The server and the database are stopped by PID and the temp directory removed.

The load generator runs on the same cores as the server; nothing is sent beyond 127.0.0.1.
With --worker, `exceed worker` runs beside the server, as in production (it sends the case alerts,
and since issue 11 item 3 opens the cases), and the delay from each response to its case is
reported. The script also runs against an older tree (PYTHONPATH=OLD/src) for side-by-side figures.
Diagnostics: --without-recovery, --undo FIX and --py-spy FILE (see BENCHMARKS.md).
"""

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import sys
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import VENV_BIN, Workspace, free_port, percentile, stop_pid

HOST = "127.0.0.1"
TEXTS = ["", "", "", "Friendly and quick.", "Had to wait for help at the till.", "Great advice on the paint colours."]


@dataclass
class Setup:
    slug: str
    location_code: str
    staff_ids: list[int]
    token: str


def prepare() -> Setup:
    from exceed.api.models import ApiToken
    from exceed.feedback.services import channel_create, default_survey_install
    from exceed.org.services import admin_create, location_create, person_create, region_get_or_create

    region = region_get_or_create(code="north", name="North")
    location = location_create(code="cph", name="Copenhagen", region=region, timezone="Europe/Copenhagen")
    staff = [person_create(name=name, locations=[location]) for name in ("Ane", "Bo", "Carl")]
    survey = default_survey_install()
    channel = channel_create(survey=survey, location=location)
    owner = admin_create(username="bench", email="bench@example.com", password="bench-password-1")
    _token, key = ApiToken.issue(user=owner, name="bench")
    return Setup(channel.slug, location.code, [person.pk for person in staff], key)


# --- A minimal HTTP/1.1 client ------------------------------------------------------------------


async def request(raw: bytes, port: int = 0) -> tuple[int, dict, bytes]:
    reader, writer = await asyncio.open_connection(HOST, port or PORT)
    try:
        writer.write(raw)
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers: dict[str, list[str]] = {}
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers.setdefault(name.strip().lower(), []).append(value.strip())
        length = headers.get("content-length")
        body = await (reader.readexactly(int(length[0])) if length else reader.read())
        return status, headers, body
    finally:
        writer.close()


def build(method: str, path: str, headers: dict[str, str], body: bytes = b"", port: int = 0) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {HOST}:{port or PORT}", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


# --- Submissions ---------------------------------------------------------------------------------


# Skewed like real answers (the same mix as benchmarks/measures.py): about a quarter of the
# responses are low enough for the recovery rules to open a case, which is part of the work.
RETURN = [10] * 30 + [9] * 20 + [8] * 15 + [7] * 10 + [6] * 7 + [5] * 6 + [4] * 4 + [3] * 3 + [2, 1, 0]
EXPECTATION = ["exceeded"] * 30 + ["met"] * 55 + ["below"] * 15


def answers(rng: random.Random, staff_ids: list[int]) -> dict:
    return {
        "return": rng.choice(RETURN),
        "expectation": rng.choice(EXPECTATION),
        "difference": rng.choice(TEXTS),
        "served_by": rng.choice(staff_ids + [None, None]),
    }


async def form_page(path: str) -> tuple[str, str]:
    """GET the public form: its CSRF cookie and token."""
    status, headers, body = await request(build("GET", path, {}))
    assert status == 200, f"GET {path} answered {status}"
    cookie = next(value for value in headers["set-cookie"] if value.startswith("csrftoken="))
    cookie = cookie.split(";", 1)[0]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    return cookie, token


def _form_post(setup: Setup, rng: random.Random, path: str, cookie: str, token: str) -> bytes:
    values = answers(rng, setup.staff_ids)
    fields = [
        ("csrfmiddlewaretoken", token),
        ("q_return", values["return"]),
        ("q_expectation", values["expectation"]),
        ("q_difference", values["difference"]),
    ]
    if values["served_by"]:
        fields.append(("q_served_by", values["served_by"]))
    body = urllib.parse.urlencode(fields).encode()
    return build("POST", path, {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}, body)


async def form_client(setup: Setup, rng: random.Random):
    """A browser-like client: one GET for the CSRF cookie and token, then form POSTs."""
    path = f"/s/{setup.slug}/"
    cookie, token = await form_page(path)

    async def send():
        return await request(_form_post(setup, rng, path, cookie, token))

    return send, 302


async def form_full_client(setup: Setup, rng: random.Random):
    """A respondent as a browser is one: GET the form (a fresh CSRF cookie), then POST it; the
    latency counted is both requests'."""
    path = f"/s/{setup.slug}/"

    async def send():
        cookie, token = await form_page(path)
        return await request(_form_post(setup, rng, path, cookie, token))

    return send, 302


def _api_body(setup: Setup, rng: random.Random) -> bytes:
    values = answers(rng, setup.staff_ids)
    payload = {
        "location": setup.location_code,
        "touchpoint": "in-store",
        "answers": {
            "return": values["return"],
            "expectation": values["expectation"],
            "difference": values["difference"],
            "served_by": [values["served_by"]] if values["served_by"] else [],
        },
    }
    return json.dumps(payload).encode()


async def api_client(setup: Setup, rng: random.Random):
    headers = {"Authorization": f"Bearer {setup.token}", "Content-Type": "application/json"}

    async def send():
        return await request(build("POST", "/api/v1/responses", headers, _api_body(setup, rng)))

    return send, 201


async def limit_client(setup: Setup, rng: random.Random):
    """The bare reference (benchmarks/bare_limit), sent the very bodies the API gets."""
    headers = {"Content-Type": "application/json"}

    async def send():
        return await request(build("POST", "/responses", headers, _api_body(setup, rng), port=BARE_PORT), BARE_PORT)

    return send, 201


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    acknowledged: int = 0
    failures: dict[str, int] = field(default_factory=dict)
    sent: int = 0
    elapsed: float = 0.0
    percentiles: tuple[float, float] = (0.0, 0.0)  # p50, p99 in seconds, as wrk measured them
    generator_cpu: float = 0.0  # wrk's CPU seconds


async def load(make_client, setup: Setup, *, clients: int, seconds: float, limit: int, run: Run, record: bool):
    prepared = [await make_client(setup, random.Random(index)) for index in range(clients)]
    deadline = time.perf_counter() + seconds

    async def worker(send, expected):
        while time.perf_counter() < deadline and run.sent < limit:
            run.sent += 1
            started = time.perf_counter()
            try:
                status, _headers, body = await send()
            except (OSError, asyncio.IncompleteReadError) as error:
                run.failures[type(error).__name__] = run.failures.get(type(error).__name__, 0) + 1
                continue
            if status == expected:
                run.acknowledged += 1
                if record:
                    run.latencies.append(time.perf_counter() - started)
            else:
                key = f"HTTP {status}"
                if key not in run.failures:
                    print(f"  unexpected {key}: {body[:300]!r}", file=sys.stderr)
                run.failures[key] = run.failures.get(key, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(*client) for client in prepared))
    run.elapsed = time.perf_counter() - started


def stored(channel_kind: str) -> int:
    from django.db import connection

    from exceed.feedback.models import DailyMeasure, Response

    connection.close()  # a fresh snapshot, after every worker's commits
    count = Response.objects.filter(channel_kind=channel_kind).count()
    rolled = sum(
        DailyMeasure.objects.filter(person_id=0, channel_kind=channel_kind).values_list("responses", flat=True)
    )
    if rolled != count:
        print(f"  ROLLUP MISMATCH: DailyMeasure counts {rolled}, responses {count}")
    from django.apps import apps

    if apps.is_installed("exceed.recovery"):
        cases = apps.get_model("recovery", "RecoveryCase").objects.filter(response__channel_kind=channel_kind).count()
        print(f"  recovery cases opened by these responses: {cases} ({100 * cases / max(count, 1):.0f} %)")
    return count


def case_delays(channel_kind: str, *, started: float, timeout: float = 180) -> dict:
    """With --worker: wait until the worker has evaluated every response of this target, then the
    delay from each response (its submitted_at, set in the request) to its case (the alert task's
    enqueued_at, written right after the case's commit)."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from exceed.recovery.models import RecoveryCase

    deadline = time.monotonic() + timeout
    left = 0
    while True:
        connection.close()
        try:
            from exceed.feedback.models import PendingEvaluation
            from exceed.recovery.evaluation import is_urgent
        except ImportError:
            break  # a tree from before the worker opened cases (run for comparison): nothing to wait for
        pending = PendingEvaluation.objects.filter(response__channel_kind=channel_kind).select_related(
            "response__survey"
        )
        # Answers that open no case wait for the minute's sweep by design; the others must be done.
        left = sum(1 for row in pending if is_urgent(row.response))
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    drained = time.perf_counter() - started
    opened = dict(
        RecoveryCase.objects.filter(response__channel_kind=channel_kind).values_list("pk", "response__submitted_at")
    )
    delays = sorted(
        (enqueued - opened[row["args"][0]]).total_seconds()
        for row, enqueued in DBTaskResult.objects.filter(task_path__endswith=".case_alert").values_list(
            "args_kwargs", "enqueued_at"
        )
        if row["args"] and row["args"][0] in opened
    )
    from django.db.models import Count

    tasks = dict(DBTaskResult.objects.values_list("task_path").annotate(n=Count("id")).values_list("task_path", "n"))
    print(
        f"  worker: tasks so far {', '.join(f'{path.rsplit(chr(46), 1)[-1]} {n}' for path, n in sorted(tasks.items()))}"
    )
    result = {
        "cases": len(opened),
        "left": left,
        "drained_s": drained,
        "delay_p50_s": percentile(delays, 0.5),
        "delay_p99_s": percentile(delays, 0.99),
        "delay_max_s": delays[-1] if delays else float("nan"),
    }
    print(
        f"  worker: {len(opened)} cases; response → case p50 {result['delay_p50_s']:.2f} s, p99 {result['delay_p99_s']:.2f} s, "
        f"max {result['delay_max_s']:.2f} s; every case open {drained:.1f} s after the load stopped"
        f"{f'; {left} STILL PENDING' if left else ''}",
        flush=True,
    )
    return result


# The processes whose CPU time counts as the server's: gunicorn's master and workers, and with
# --worker `exceed worker` (PIDs set in main()). On a shared machine, CPU seconds per response
# compare better between runs than responses per second.
SERVER_ROOTS: list[int] = []
BARE_ROOTS: list[int] = []  # the bare reference's gunicorn, with --targets limit


def server_cpu_seconds(roots: list[int] | None = None) -> float:
    """User + system CPU seconds of SERVER_ROOTS and all their descendants, from /proc."""
    parents, times = {}, {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    roots = SERVER_ROOTS if roots is None else roots

    def counted(pid: int) -> bool:
        while pid > 1:
            if pid in roots:
                return True
            pid = parents.get(pid, 0)
        return False

    return sum(seconds for pid, seconds in times.items() if counted(pid))


def bare_stored() -> int:
    async def ask():
        return await request(build("GET", "/count", {}, port=BARE_PORT), BARE_PORT)

    status, _headers, body = asyncio.run(ask())
    assert status == 200, status
    return json.loads(body)["stored"]


# What each kind of channel has been acknowledged so far, warm-ups and earlier rounds included:
# the stored rows are counted per channel kind, and the form's two targets share "link".
ACKNOWLEDGED: dict[str, int] = {}
IN_FLIGHT: dict[str, int] = {}


def _wrk_target(name: str, setup: Setup) -> dict:
    """What wrk sends for a target: the same bodies the asyncio clients send."""
    if name in ("limit", "api"):
        headers = {"Content-Type": "application/json"}
        if name == "api":
            headers["Authorization"] = f"Bearer {setup.token}"
        return {
            "port": BARE_PORT if name == "limit" else PORT,
            "path": "/responses" if name == "limit" else "/api/v1/responses",
            "headers": headers,
            "make_body": lambda rng: _api_body(setup, rng),
            "expected": 201,
            "alternate_get": False,
        }
    path = f"/s/{setup.slug}/"
    cookie, token = asyncio.run(form_page(path))
    return {
        "port": PORT,
        "path": path,
        "headers": {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
        "make_body": lambda rng: _form_post(setup, rng, path, cookie, token).split(b"\r\n\r\n", 1)[1],
        "expected": 302,
        "alternate_get": name == "form-full",
    }


def _load_wrk(name: str, setup: Setup, args, *, seconds: float, seed: int) -> Run:
    import wrk_load

    measured = wrk_load.run(**_wrk_target(name, setup), clients=args.clients, seconds=seconds, seed=seed)
    run = Run(acknowledged=measured.acknowledged, failures=measured.failures, elapsed=measured.elapsed)
    run.sent = measured.acknowledged + sum(measured.failures.values())
    run.percentiles = (measured.p50_ms / 1000, measured.p99_ms / 1000)
    run.generator_cpu = measured.generator_cpu
    return run


def bench(name: str, make_client, channel_kind: str, setup: Setup, args) -> dict:
    bare = name == "limit"
    roots = BARE_ROOTS if bare else SERVER_ROOTS
    wrk = args.generator == "wrk"
    if wrk:
        warm = _load_wrk(name, setup, args, seconds=args.warmup, seed=1)
    else:
        warm = Run()
        asyncio.run(
            load(make_client, setup, clients=args.clients, seconds=args.warmup, limit=10**9, run=warm, record=False)
        )
    cpu = time.process_time()
    server_cpu = server_cpu_seconds(roots)
    if wrk:
        run = _load_wrk(name, setup, args, seconds=args.seconds, seed=2)
        client_cpu = run.generator_cpu / run.elapsed
        p50, p99 = run.percentiles
    else:
        run = Run()
        asyncio.run(
            load(
                make_client,
                setup,
                clients=args.clients,
                seconds=args.seconds,
                limit=args.requests,
                run=run,
                record=True,
            )
        )
        client_cpu = (time.process_time() - cpu) / run.elapsed
        latencies = sorted(run.latencies)
        p50, p99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
    delays = case_delays(channel_kind, started=time.perf_counter()) if args.worker and not bare else {}
    # Measured after the worker caught up, so its share of these responses is counted.
    server_ms = 1000 * (server_cpu_seconds(roots) - server_cpu) / max(run.acknowledged, 1)
    count = bare_stored() if bare else stored(channel_kind)
    ACKNOWLEDGED[channel_kind] = ACKNOWLEDGED.get(channel_kind, 0) + warm.acknowledged + run.acknowledged
    # wrk stops at its deadline with a request in flight on each connection, which the server may
    # still store: acknowledged ≤ stored ≤ acknowledged + those (the asyncio clients finish theirs).
    IN_FLIGHT[channel_kind] = IN_FLIGHT.get(channel_kind, 0) + (2 * args.clients if wrk else 0)
    acknowledged = ACKNOWLEDGED[channel_kind]
    result = {
        "target": name,
        "responses_per_s": run.acknowledged / run.elapsed if run.elapsed else 0.0,
        "p50_ms": 1000 * p50,
        "p99_ms": 1000 * p99,
        "acknowledged": acknowledged,
        "in_flight_at_stops": IN_FLIGHT[channel_kind],
        "stored": count,
        "failures": {
            key: warm.failures.get(key, 0) + run.failures.get(key, 0)
            for key in warm.failures.keys() | run.failures.keys()
        },
        "server_cpu_ms_per_response": server_ms,
        **delays,
    }
    in_flight = f" + at most {IN_FLIGHT[channel_kind]} in flight at wrk's stops" if wrk else ""
    print(
        f"{name:<9} {args.db:<8} clients={args.clients:<3} {run.acknowledged} in {run.elapsed:.1f} s: "
        f"{result['responses_per_s']:.0f} responses/s, p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms"
        f"{' (per request: GET and POST apart)' if wrk and name == 'form-full' else ''}; "
        f"acknowledged so far {acknowledged} (incl. warm-ups){in_flight}, stored {count}"
        f"{'' if accounted(result) else '  LOST OR EXTRA!'}; server{' and worker' if args.worker else ''} CPU "
        f"{server_ms:.1f} ms per response; load generator used {100 * client_cpu:.0f} % of a core"
        f"{'; failures ' + str(result['failures']) if result['failures'] else ''}",
        flush=True,
    )
    return result


def accounted(result: dict) -> bool:
    """Nothing acknowledged is missing, and nothing is stored that was not sent."""
    return 0 <= result["stored"] - result["acknowledged"] <= result["in_flight_at_stops"]


def wait_until_up(server, seconds: float = 60, *, path: str = "/api/v1/health", port: int = 0) -> None:
    async def probe():
        status, _h, _b = await request(build("GET", path, {}, port=port), port)
        return status

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the server exited; see its log")
        try:
            if asyncio.run(probe()) == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not come up")


def main() -> int:
    global PORT, BARE_PORT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument(
        "--target",
        default="both",
        help="comma-separated, run in this order each round: limit (the bare reference, "
        "benchmarks/bare_limit), api, form (POST with a CSRF token fetched once per client), "
        "form-full (GET then POST per response); both = form,api (default)",
    )
    parser.add_argument(
        "--bare-engine",
        default="django.db.backends.sqlite3",
        help="the bare reference's SQLite backend (default Django's; exceed.core.backends.sqlite3 "
        "queues writers on a file lock as Exceed does)",
    )
    parser.add_argument(
        "--rounds", type=int, default=1, help="repeat the targets, alternating, this many times (default 1)"
    )
    parser.add_argument("--seconds", type=float, default=20, help="measured duration per target (default 20)")
    parser.add_argument("--requests", type=int, default=60000, help="at most this many measured requests per target")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of unmeasured load first (default 2)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument(
        "--generator",
        choices=["asyncio", "wrk"],
        default="wrk" if shutil.which("wrk") else "asyncio",
        help="the load generator: wrk (Debian's wrk, a few per cent of a core; the default where "
        "installed) or this script's asyncio clients (a fifth to a third of a core)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--pg-fast", action="store_true", help="PostgreSQL without fsync (as the test suite runs it)")
    parser.add_argument(
        "--worker",
        action="store_true",
        help="run `exceed worker` beside the server (it opens the recovery cases) and report the "
        "delay from response to case",
    )
    parser.add_argument("--keep-log", action="store_true", help="print the server log's tail at the end")
    parser.add_argument(
        "--without-recovery",
        action="store_true",
        help="diagnostic: disconnect recovery's per-response receiver in the server",
    )
    parser.add_argument(
        "--undo",
        default="",
        metavar="FIX,…",
        help="diagnostic: put back the cost a fix removed: conn-max-age, question-cache, lazy-staff, writers-lock",
    )
    parser.add_argument(
        "--try",
        dest="trial",
        default="",
        metavar="CHANGE,…",
        help="diagnostic: a change under trial in Exceed's workers: server-side-binding (PostgreSQL)",
    )
    parser.add_argument(
        "--without-access-log", action="store_true", help="diagnostic: the access log off in Exceed's workers"
    )
    parser.add_argument(
        "--gunicorn-args",
        default="",
        metavar="ARGS",
        help="more gunicorn options for Exceed's server, e.g. '--worker-class gthread --threads 4'",
    )
    parser.add_argument("--py-spy", metavar="FILE", help="record the server with py-spy (raw stacks) into FILE")
    args = parser.parse_args()
    targets = ["form", "api"] if args.target == "both" else [name.strip() for name in args.target.split(",")]
    if unknown := set(targets) - set(TARGETS):
        parser.error(f"unknown target {sorted(unknown)[0]}; choose from {', '.join(TARGETS)}")
    if args.seconds > 120 or args.requests > 200000:
        parser.error("keep a run bounded: --seconds ≤ 120 and --requests ≤ 200000")

    # The servers run in the temp directory: a relative PYTHONPATH (PYTHONPATH=src) would not
    # find this tree there, and they would quietly serve the installed one.
    if os.environ.get("PYTHONPATH"):
        os.environ["PYTHONPATH"] = os.pathsep.join(
            str(Path(entry).resolve()) for entry in os.environ["PYTHONPATH"].split(os.pathsep) if entry
        )
    import exceed

    print(f"code under test: {Path(exceed.__file__).parent}", flush=True)
    PORT, BARE_PORT = free_port(), free_port()
    with Workspace(args.db, pg_fast=args.pg_fast) as workspace:
        extra = {"EXCEED_SURVEY_RATE_LIMIT": str(10**9), "EXCEED_LOG_LEVEL": "WARNING"}
        if args.worker:
            # The worker renders the managers' alerts; kept in memory, so no mail server is needed.
            extra["EXCEED_EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
        variants = [f"undo-{name.strip()}" for name in args.undo.split(",") if name.strip()]
        variants += ["no-recovery"] if args.without_recovery else []
        variants += ["no-access-log"] if args.without_access_log else []
        variants += [f"try-{name.strip()}" for name in args.trial.split(",") if name.strip()]
        gunicorn_args = [args.gunicorn_args] if args.gunicorn_args else []
        if variants:
            gunicorn_args.append(f"--config {Path(__file__).with_name('gunicorn_variants.py')}")
            extra["EXCEED_BENCH_VARIANTS"] = ",".join(variants)
        if gunicorn_args:
            # `exceed serve` execs gunicorn, which reads extra options from this variable.
            extra["GUNICORN_CMD_ARGS"] = " ".join(gunicorn_args)
        workspace.configure(**extra)
        setup = prepare()
        server = workspace.spawn(
            [str(VENV_BIN / "exceed"), "serve", "--workers", str(args.workers), "--bind", f"{HOST}:{PORT}"],
            log="server.log",
        )
        try:
            wait_until_up(server)
        except SystemExit:
            print((workspace.directory / "server.log").read_text(errors="replace")[-3000:], file=sys.stderr)
            raise
        SERVER_ROOTS.append(server.pid)
        if "limit" in targets:
            bare = start_bare(workspace, args)
            try:
                wait_until_up(bare, path="/count", port=BARE_PORT)
            except SystemExit:
                print((workspace.directory / "bare.log").read_text(errors="replace")[-3000:], file=sys.stderr)
                raise
            BARE_ROOTS.append(bare.pid)
        if args.worker:
            # As in production: the worker shares the machine, so its CPU counts against the server's.
            SERVER_ROOTS.append(workspace.spawn([str(VENV_BIN / "exceed"), "worker"], log="worker.log").pid)
        print(
            f"server: exceed serve --workers {args.workers}, gunicorn master PID {server.pid}; "
            f"load generator: {args.generator}, {args.clients} connections"
            f"{'; gunicorn ' + args.gunicorn_args if args.gunicorn_args else ''}"
            f"{', diagnostic variants: ' + ','.join(variants) if variants else ''}",
            flush=True,
        )
        if args.py_spy:
            spy = shutil.which("py-spy")
            if spy is None:
                raise SystemExit("--py-spy needs py-spy on PATH (pip install --target DIR py-spy, then add DIR/bin)")
            recorder = workspace.spawn(
                [
                    spy,
                    "record",
                    "-p",
                    str(server.pid),
                    "--subprocesses",
                    "-r",
                    "200",
                    "-f",
                    "raw",
                    "-o",
                    str(Path(args.py_spy).resolve()),
                    "-d",
                    str(int(args.seconds + args.warmup) * 2 + 4),
                ],
                log="py-spy.log",
            )
        results = []
        try:
            for round_number in range(1, args.rounds + 1):
                print(f"round {round_number}, load average {Path('/proc/loadavg').read_text().strip()}", flush=True)
                for name in targets:
                    make_client, channel_kind = TARGETS[name]
                    results.append({**bench(name, make_client, channel_kind, setup, args), "round": round_number})
            if "limit" in targets:
                print_ratios(results, targets)
        finally:
            if args.py_spy:
                # py-spy writes its file when the server it records exits.
                stop_pid(server.pid)
                recorder.wait(timeout=30)
            if args.keep_log:
                print((workspace.directory / "server.log").read_text(errors="replace")[-3000:])
    return 0 if all(accounted(result) for result in results) else 1


def start_bare(workspace: Workspace, args):
    """The bare reference on its own port and its own database (SQLite file or PostgreSQL
    database beside Exceed's), with as many gunicorn sync workers as Exceed, no access log."""
    here = Path(__file__).resolve().parent
    env = {
        "DJANGO_SETTINGS_MODULE": "bare_limit.settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(here), os.environ.get("PYTHONPATH", "")])),
        "BARE_SQLITE_ENGINE": args.bare_engine,
        # Not Exceed's diagnostic variants (--undo, --without-recovery): they patch Exceed's code.
        "GUNICORN_CMD_ARGS": "",
        "EXCEED_BENCH_VARIANTS": "",
    }
    if workspace.postgres:
        env["BARE_DATABASE_URL"] = workspace.postgres.create_database("bare")
    else:
        env["BARE_SQLITE"] = str(workspace.directory / "bare.sqlite3")
    import subprocess

    subprocess.run(
        [sys.executable, "-m", "django", "migrate", "--run-syncdb", "-v", "0"],
        env={**os.environ, **env},
        cwd=workspace.directory,
        check=True,
    )
    command = [sys.executable, "-m", "gunicorn", "bare_limit.wsgi", "--workers", str(args.workers)]
    return workspace.spawn(command + ["--bind", f"{HOST}:{BARE_PORT}"], log="bare.log", env=env)


def print_ratios(results: list[dict], targets: list[str]) -> None:
    """Each path as a ratio to the limit of the same round, then the median over rounds."""
    import statistics

    print(
        "\nratio to the limit measured in the same round: responses/s, and the limit's server CPU per "
        "response over the path's (steadier on a shared machine):"
    )
    ratios: dict[str, list[float]] = {}
    cpu_ratios: dict[str, list[float]] = {}
    for round_number in sorted({result["round"] for result in results}):
        rows = {result["target"]: result for result in results if result["round"] == round_number}
        limit = rows["limit"]["responses_per_s"]
        limit_cpu = rows["limit"]["server_cpu_ms_per_response"]
        cells = []
        for name in targets:
            row = rows[name]
            ratio = row["responses_per_s"] / limit if limit else float("nan")
            cpu_ratio = (
                limit_cpu / row["server_cpu_ms_per_response"] if row["server_cpu_ms_per_response"] else float("nan")
            )
            ratios.setdefault(name, []).append(ratio)
            cpu_ratios.setdefault(name, []).append(cpu_ratio)
            cells.append(
                f"{name} {row['responses_per_s']:.0f}/s {row['p50_ms']:.0f}/{row['p99_ms']:.0f} ms ×{ratio:.2f}, "
                f"{row['server_cpu_ms_per_response']:.1f} CPU-ms ×{cpu_ratio:.2f}"
            )
        print(f"  round {round_number}: " + "; ".join(cells))
    print(
        "  median ratio, responses/s: " + ", ".join(f"{name} ×{statistics.median(v):.2f}" for name, v in ratios.items())
    )
    print("  median ratio, CPU: " + ", ".join(f"{name} ×{statistics.median(v):.2f}" for name, v in cpu_ratios.items()))


TARGETS = {
    "limit": (limit_client, "bare"),
    "api": (api_client, "api"),
    "form": (form_client, "link"),
    "form-full": (form_full_client, "link"),
}
PORT = 0
BARE_PORT = 0

if __name__ == "__main__":
    sys.exit(main())
