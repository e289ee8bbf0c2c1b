import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_exceed_demo_serves_the_printed_survey_link(tmp_path):
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("EXCEED_DATABASE")}
    env["PYTHONUNBUFFERED"] = "1"
    exceed = Path(sys.executable).with_name("exceed")
    log = open(tmp_path / "demo.log", "w+")
    process = subprocess.Popen(
        [str(exceed), "demo", "--port", str(port), "--data-dir", str(tmp_path / "data"), "--responses", "200"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    try:
        link, status = None, None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and status != 200:
            assert process.poll() is None, (tmp_path / "demo.log").read_text()
            found = re.search(rf"http://127\.0\.0\.1:{port}/s/[\w-]+/", (tmp_path / "demo.log").read_text())
            if found:
                link = found.group(0)
                try:
                    status = urllib.request.urlopen(link, timeout=5).status
                except OSError:
                    pass
            time.sleep(0.5)
        assert status == 200, (tmp_path / "demo.log").read_text()
        assert (tmp_path / "data" / "exceed.sqlite3").exists()
    finally:
        # Stop the demo and the servers it started: they share its session, by its PID.
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            pytest.fail("exceed demo did not stop on SIGTERM")
        log.close()
