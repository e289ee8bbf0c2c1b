"""wrk as ingest.py's load generator (``--generator wrk``; issue 11 item 1).

The asyncio client of ingest.py costs a fifth to a third of a core at a few hundred responses/s:
on a 2-core machine that is CPU the server under test does not get, and more of it at the limit's
rate than at Exceed's, which flatters the ratios. wrk (Debian's ``wrk``, C and LuaJIT) sends the
same bodies for a few per cent of a core.

Bodies are made in Python (the same answers, skewed as ingest.answers makes them) and handed to
wrk's Lua as a table it cycles through. Every response is classified by its status: 201 (API, the
limit) or 302 (the form) is an acknowledged response, 200 the form page of ``form-full`` (which
alternates GET and POST, so one form page per response is fetched, as a respondent's browser
does); anything else is a failure. wrk stops at its deadline with requests in flight, which the
server may still store without wrk having seen the answer: stored may exceed acknowledged by up to
one request per connection and run, never the other way round.
"""

import json
import random
import resource
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

WRK = "/usr/bin/wrk"


@dataclass
class WrkRun:
    acknowledged: int
    failures: dict[str, int]
    elapsed: float
    p50_ms: float
    p99_ms: float
    generator_cpu: float  # CPU seconds wrk used


def _lua_string(data: bytes) -> str:
    # A Lua long string cannot hold its own closing bracket; the bodies are JSON or urlencoded.
    text = data.decode()
    assert "]==]" not in text
    return f"[==[{text}]==]"


def script(*, path: str, headers: dict[str, str], bodies: list[bytes], expected: int, alternate_get: bool) -> str:
    """The Lua of one run: POST the bodies in turn (GET the form before each with alternate_get)."""
    header_lines = ", ".join(f"[ {_lua_string(k.encode())} ] = {_lua_string(v.encode())}" for k, v in headers.items())
    body_lines = ",\n".join(_lua_string(body) for body in bodies)
    return f"""
local bodies = {{
{body_lines}
}}
local headers = {{ {header_lines} }}
local get_headers = {{ ["Cookie"] = headers["Cookie"] }}
local n, i = #bodies, 0
local alternate = {"true" if alternate_get else "false"}
local get_next = alternate
ok, pages, failed = 0, 0, {{}}
local threads = {{}}

function setup(thread)
  table.insert(threads, thread)
end

function request()
  if get_next then
    get_next = false
    return wrk.format("GET", "{path}", get_headers, nil)
  end
  get_next = alternate
  i = i % n + 1
  return wrk.format("POST", "{path}", headers, bodies[i])
end

function response(status, headers, body)
  if status == {expected} then
    ok = ok + 1
  elseif alternate and status == 200 then
    pages = pages + 1
  else
    local key = tostring(status)
    failed[key] = (failed[key] or 0) + 1
  end
end

function done(summary, latency, requests)
  local total_ok, total_pages, parts = 0, 0, {{}}
  local errors = summary.errors
  for _, thread in ipairs(threads) do
    total_ok = total_ok + thread:get("ok")
    total_pages = total_pages + thread:get("pages")
    for key, count in pairs(thread:get("failed")) do
      table.insert(parts, string.format('"HTTP %s": %d', key, count))
    end
  end
  for _, name in ipairs({{"connect", "read", "write", "timeout"}}) do
    if errors[name] > 0 then table.insert(parts, string.format('"%s": %d', name, errors[name])) end
  end
  io.write(string.format(
    'WRK-RESULT {{"ok": %d, "pages": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "failures": {{%s}}}}\\n',
    total_ok, total_pages, summary.duration, latency:percentile(50), latency:percentile(99), table.concat(parts, ", ")))
end
"""


def run(
    *,
    port: int,
    path: str,
    headers: dict[str, str],
    make_body,
    expected: int,
    alternate_get: bool,
    clients: int,
    seconds: float,
    seed: int,
) -> WrkRun:
    rng = random.Random(seed)
    bodies = [make_body(rng) for _ in range(2000)]
    lua = script(path=path, headers=headers, bodies=bodies, expected=expected, alternate_get=alternate_get)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(lua)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        done = subprocess.run(
            [
                WRK,
                "--threads",
                "1",
                "--connections",
                str(clients),
                "--duration",
                f"{max(1, round(seconds))}s",
                "--timeout",
                "10s",
                "--script",
                file.name,
                f"http://127.0.0.1:{port}{path}",
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        )
    finally:
        Path(file.name).unlink()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next((row for row in done.stdout.splitlines() if row.startswith("WRK-RESULT ")), None)
    if done.returncode or line is None:
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr[-2000:]}{done.stdout[-2000:]}")
    result = json.loads(line.removeprefix("WRK-RESULT "))
    return WrkRun(
        acknowledged=result["ok"],
        failures=result["failures"],
        elapsed=result["duration_us"] / 1e6,
        p50_ms=result["p50_us"] / 1000,
        p99_ms=result["p99_us"] / 1000,
        generator_cpu=(after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
    )
