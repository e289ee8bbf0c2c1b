"""What one accepted response costs in CPU, path by path, beside the bare reference (issue 11).

    .venv/bin/python benchmarks/ingest_cpu.py --db sqlite --rounds 3
    .venv/bin/python benchmarks/ingest_cpu.py --db postgres --rounds 3

benchmarks/ingest.py measures throughput through gunicorn with concurrent clients; on a machine
whose two cores are shared with other people's test runs its figures move by 2–3× between
neighbouring runs. This one sends requests one at a time, in process, through Django's test client
(middleware, URL routing, the view, the database; no HTTP server, no access log), and counts the
CPU seconds of the process per request: one client, no concurrency, so the load of others
lengthens the wall time but barely the CPU time. The least of several batches is reported.

Each target runs in its own process (the bare reference has its own settings), in turn, for
--rounds rounds: limit (benchmarks/bare_limit), api (POST /api/v1/responses), form (the public
form's POST, CSRF token fetched once) and form-full (GET the form, then POST it). With
--db postgres, the wall time also counts the round trips to the server, and the CPU time only the
Django side's (the server's own CPU is not counted).
"""

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from harness import Workspace

HERE = Path(__file__).resolve().parent
TARGETS = ["limit", "api", "form", "form-full"]


def child(target: str, setup: dict, batches: int, requests: int) -> None:
    """Runs in its own process with DJANGO_SETTINGS_MODULE set; prints one JSON line per batch."""
    import django

    django.setup()
    from django.test import Client

    import ingest

    rng = random.Random(7)
    plan = ingest.Setup(**setup)
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {plan.token}"}
    path = f"/s/{plan.slug}/"

    def form_fields(token: str) -> dict:
        values = ingest.answers(rng, plan.staff_ids)
        fields = {"csrfmiddlewaretoken": token, "q_return": values["return"]}
        fields |= {"q_expectation": values["expectation"], "q_difference": values["difference"]}
        if values["served_by"]:
            fields["q_served_by"] = values["served_by"]
        return fields

    def csrf_token() -> str:
        page = client.get(path)
        assert page.status_code == 200, page.status_code
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content).group(1).decode()

    token = csrf_token() if target == "form" else ""

    def one() -> int:
        if target == "limit":
            body = ingest._api_body(plan, rng)
            return client.post("/responses", body, content_type="application/json").status_code
        if target == "api":
            body = ingest._api_body(plan, rng)
            return client.post("/api/v1/responses", body, content_type="application/json", **bearer).status_code
        fresh = csrf_token() if target == "form-full" else token
        # URL-encoded, as a browser posts this form (the test client would send multipart, whose
        # parsing cost a fifth of the form POST's CPU here and nothing through a real browser).
        body = urllib.parse.urlencode(form_fields(fresh), doseq=True)
        return client.post(path, body, content_type="application/x-www-form-urlencoded").status_code

    expected = 302 if target.startswith("form") else 201
    for _ in range(max(50, requests // 4)):  # warm: imports, caches, the connection
        assert one() == expected
    profile = None
    if os.environ.get("INGEST_PROFILE"):  # a directory: each target's cProfile of its batches goes there
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    for _ in range(batches):
        cpu, wall = time.process_time(), time.perf_counter()
        for _ in range(requests):
            status = one()
            assert status == expected, status
        print(
            json.dumps(
                {
                    "cpu_ms": 1000 * (time.process_time() - cpu) / requests,
                    "wall_ms": 1000 * (time.perf_counter() - wall) / requests,
                }
            ),
            flush=True,
        )
    if profile is not None:
        profile.disable()
        profile.dump_stats(str(Path(os.environ["INGEST_PROFILE"]) / f"{target}.prof"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batches", type=int, default=5, help="batches per target and round (default 5)")
    parser.add_argument("--requests", type=int, default=200, help="requests per batch (default 200)")
    parser.add_argument("--target", default=",".join(TARGETS), help=f"comma-separated, of {', '.join(TARGETS)}")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--setup", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, json.loads(args.setup), args.batches, args.requests)
        return 0
    targets = [name.strip() for name in args.target.split(",")]
    if "limit" not in targets or set(targets) - set(TARGETS):
        parser.error(f"targets: limit and any of {', '.join(TARGETS[1:])}")
    if os.environ.get("PYTHONPATH"):  # the children run elsewhere: keep this tree's path absolute
        os.environ["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve()) for p in os.environ["PYTHONPATH"].split(":"))
    import exceed

    print(f"code under test: {Path(exceed.__file__).parent}; load average {Path('/proc/loadavg').read_text().strip()}")
    with Workspace(args.db) as workspace:
        workspace.configure(EXCEED_SURVEY_RATE_LIMIT=str(10**9), EXCEED_LOG_LEVEL="WARNING")
        import ingest

        setup = ingest.prepare().__dict__
        bare_env = {"DJANGO_SETTINGS_MODULE": "bare_limit.settings"}
        if workspace.postgres:
            bare_env["BARE_DATABASE_URL"] = workspace.postgres.create_database("bare")
        else:
            bare_env["BARE_SQLITE"] = str(workspace.directory / "bare.sqlite3")
        path = os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH", "")]))
        base_env = {**os.environ, **workspace.env, "PYTHONPATH": path}
        subprocess.run(
            [sys.executable, "-m", "django", "migrate", "--run-syncdb", "-v", "0"],
            env={**base_env, **bare_env},
            cwd=workspace.directory,
            check=True,
        )
        results: dict[str, list[dict]] = {name: [] for name in targets}
        for round_number in range(1, args.rounds + 1):
            line = []
            for name in targets:
                env = {**base_env, **(bare_env if name == "limit" else {})}
                command = [sys.executable, __file__, "--child", name, "--setup", json.dumps(setup)]
                command += ["--batches", str(args.batches), "--requests", str(args.requests)]
                done = subprocess.run(
                    command, env=env, cwd=workspace.directory, capture_output=True, text=True, timeout=600
                )
                if done.returncode:
                    print(done.stderr[-3000:], file=sys.stderr)
                    return 1
                batches = [json.loads(row) for row in done.stdout.splitlines() if row.startswith("{")]
                best = min(batches, key=lambda batch: batch["cpu_ms"])
                results[name].append(best)
                line.append(f"{name} {best['cpu_ms']:.2f} CPU-ms ({best['wall_ms']:.2f} wall)")
            load = Path("/proc/loadavg").read_text().split()[0]
            print(f"round {round_number} (load {load}): " + "; ".join(line), flush=True)
        limit_cpu = statistics.median(best["cpu_ms"] for best in results["limit"])
        limit_wall = statistics.median(best["wall_ms"] for best in results["limit"])
        print(
            f"\nmedian over rounds of the least batch, {args.db}; ratio = limit / path (1.0 = as cheap as the limit):"
        )
        for name in targets:
            cpu = statistics.median(best["cpu_ms"] for best in results[name])
            wall = statistics.median(best["wall_ms"] for best in results[name])
            print(
                f"  {name:<9} {cpu:6.2f} CPU-ms per response ×{limit_cpu / cpu:.2f}; "
                f"{wall:6.2f} ms wall ×{limit_wall / wall:.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
