"""Past one machine (issue 11, item 6): two web instances and two workers sharing one PostgreSQL.

    .venv/bin/python benchmarks/scale_out.py --seconds 15 --clients 8

As production runs Exceed on several machines (README, "Deployment"), here on one:

1. A private PostgreSQL on loopback (durable) is migrated and given the ingest benchmark's data
   (one store with three people, the visit survey, an owner's API token).
2. Two `exceed worker` processes start, and two `exceed serve --workers 2` instances, A and B.
3. --rounds rounds, each: --clients clients post `POST /api/v1/responses` to A alone for
   --seconds, then the same number of clients, half to A and half to B (with --double, then twice
   the clients on both); the ratio is of the medians.
5. After the load: the workers are given until every pending evaluation is done (the urgent ones
   by their queued tasks, the rest by the minute's sweep), then the checks: responses stored =
   acknowledged; the rollup equal to a rebuild from the responses; no pending evaluation left,
   one case for each response a rule calls for and none for any other, no response with two
   cases, one alert task per case, no task failed.

Throughput on one machine says how the instances share its cores, not how machines add up: with
2 cores, every instance, worker and PostgreSQL compete for the same two.
"""

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ingest
from harness import VENV_BIN, Workspace, free_port, percentile

HOST = "127.0.0.1"
# Every 201 the clients received, warm-ups included.
ACKNOWLEDGED = [0]


async def load(setup, ports: list[int], *, clients: int, seconds: float) -> dict:
    headers = {"Authorization": f"Bearer {setup.token}", "Content-Type": "application/json"}
    latencies: list[float] = []
    result = {"acknowledged": 0, "failures": 0}
    deadline = time.perf_counter() + seconds

    async def client(index: int) -> None:
        rng, port = random.Random(index), ports[index % len(ports)]
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                status, _headers, body = await ingest.request(
                    ingest.build("POST", "/api/v1/responses", headers, ingest._api_body(setup, rng), port=port), port
                )
            except (OSError, asyncio.IncompleteReadError):
                result["failures"] += 1
                continue
            if status == 201:
                result["acknowledged"] += 1
                latencies.append(time.perf_counter() - started)
            else:
                result["failures"] += 1
                print(f"  HTTP {status}: {body[:200]!r}", file=sys.stderr)

    started = time.perf_counter()
    await asyncio.gather(*(client(index) for index in range(clients)))
    elapsed = time.perf_counter() - started
    ACKNOWLEDGED[0] += result["acknowledged"]
    latencies.sort()
    return {
        **result,
        "per_s": result["acknowledged"] / elapsed,
        "p50_ms": 1000 * percentile(latencies, 0.5),
        "p99_ms": 1000 * percentile(latencies, 0.99),
    }


def phase(name: str, setup, ports: list[int], clients: int, seconds: float) -> dict:
    asyncio.run(load(setup, ports, clients=clients, seconds=2))  # warm-up, acknowledged answers count too
    load_avg = Path("/proc/loadavg").read_text().split()[0]
    result = asyncio.run(load(setup, ports, clients=clients, seconds=seconds))
    print(
        f"{name}: {len(ports)} instance(s), {clients} clients, load {load_avg}: {result['per_s']:.0f} responses/s, "
        f"p50 {result['p50_ms']:.0f} ms, p99 {result['p99_ms']:.0f} ms, failures {result['failures']}",
        flush=True,
    )
    return result


def drained(timeout: float) -> float:
    """Until no evaluation is pending and no task that is due waits or runs."""
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from exceed.feedback.models import PendingEvaluation

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        connection.close()
        busy = DBTaskResult.objects.ready().exists() or DBTaskResult.objects.running().exists()
        if not PendingEvaluation.objects.exists() and not busy:
            break
        time.sleep(1)
    return time.monotonic() - started


def checks() -> dict:
    from django.db import connection
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from exceed.feedback.models import DailyMeasure, PendingEvaluation, Response
    from exceed.feedback.rollup import rollup_rebuild
    from exceed.recovery.evaluation import is_urgent
    from exceed.recovery.models import RecoveryCase

    connection.close()
    columns = [field.name for field in DailyMeasure._meta.concrete_fields if field.name != "id"]
    kept = sorted(DailyMeasure.objects.values_list(*columns))
    rollup_rebuild()
    rebuilt = sorted(DailyMeasure.objects.values_list(*columns))
    responses = list(Response.objects.select_related("survey"))
    urgent = {response.pk for response in responses if is_urgent(response)}
    cases = list(RecoveryCase.objects.values_list("pk", "response_id"))
    with_case = [response_id for _pk, response_id in cases]
    alerts: dict[int, int] = {}
    for row in DBTaskResult.objects.filter(task_path__endswith=".case_alert").values_list("args_kwargs", flat=True):
        if row["args"]:
            alerts[row["args"][0]] = alerts.get(row["args"][0], 0) + 1
    statuses = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {
        "stored": len(responses),
        "rollup_exact": kept == rebuilt,
        "pending_left": PendingEvaluation.objects.count(),
        "cases": len(cases),
        "responses_a_rule_calls_for": len(urgent),
        "cases_match_rules": set(with_case) == urgent,
        "responses_with_two_cases": len(with_case) - len(set(with_case)),
        "alerts_once_per_case": sorted(alerts) == sorted(pk for pk, _r in cases)
        and all(n == 1 for n in alerts.values()),
        "task_statuses": statuses,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2, help="rounds of (A alone, A and B), alternating")
    parser.add_argument("--double", action="store_true", help="a third phase with twice the clients on both")
    parser.add_argument("--drain", type=float, default=150, help="seconds the workers get after the load")
    args = parser.parse_args()
    if os.environ.get("PYTHONPATH"):
        os.environ["PYTHONPATH"] = os.pathsep.join(
            str(Path(entry).resolve()) for entry in os.environ["PYTHONPATH"].split(os.pathsep) if entry
        )
    import exceed

    print(f"code under test: {Path(exceed.__file__).parent}", flush=True)
    with Workspace("postgres") as workspace:
        workspace.configure(
            EXCEED_SURVEY_RATE_LIMIT=str(10**9),
            EXCEED_LOG_LEVEL="WARNING",
            EXCEED_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        setup = ingest.prepare()
        for number in (1, 2):
            workspace.spawn([str(VENV_BIN / "exceed"), "worker"], log=f"worker{number}.log")
        ports = [free_port(), free_port()]

        def serve(port: int, log: str):
            server = workspace.spawn(
                [str(VENV_BIN / "exceed"), "serve", "--workers", "2", "--bind", f"{HOST}:{port}"], log=log
            )
            ingest.wait_until_up(server, port=port)

        serve(ports[0], "a.log")
        serve(ports[1], "b.log")
        # Alternating, so a change in the machine's other load falls on both.
        runs: dict[str, list[dict]] = {"one": [], "two": [], "two_double": []}
        for round_number in range(1, args.rounds + 1):
            runs["one"].append(phase(f"round {round_number}, A alone", setup, ports[:1], args.clients, args.seconds))
            runs["two"].append(phase(f"round {round_number}, A and B", setup, ports, args.clients, args.seconds))
            if args.double:
                runs["two_double"].append(
                    phase(f"round {round_number}, A and B", setup, ports, 2 * args.clients, args.seconds)
                )
        results = {
            name: {"per_s": statistics.median(run["per_s"] for run in done)} for name, done in runs.items() if done
        }
        acknowledged = ACKNOWLEDGED[0]  # warm-ups included: they were stored too
        waited = drained(args.drain)
        print(f"workers drained the pending evaluations {waited:.0f} s after the load stopped", flush=True)
        result = checks()
        print(f"acknowledged {acknowledged}; checks: {result}", flush=True)
        ratio = results["two"]["per_s"] / max(results["one"]["per_s"], 1e-9)
        print(f"two instances / one (medians of {args.rounds} rounds): ×{ratio:.2f}")
        print(f"load average at end: {Path('/proc/loadavg').read_text().strip()}")
        ok = (
            result["stored"] == acknowledged
            and result["rollup_exact"]
            and result["pending_left"] == 0
            and result["cases_match_rules"]
            and result["responses_with_two_cases"] == 0
            and result["alerts_once_per_case"]
        )
        print("ALL CHECKS PASSED" if ok else "CHECK FAILED")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
