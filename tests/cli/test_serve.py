import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.cli.test_demo_server import free_port

INVITATION_TOKEN = "Inv1tat10nT0kenXYZ"
KIOSK_KEY = "K10skKeyABC987"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """`exceed setup` then `exceed serve` on SQLite in a fresh data directory; yields (base URL, log files)."""
    tmp_path = tmp_path_factory.mktemp("serve")
    env = {key: value for key, value in os.environ.items() if not key.startswith("EXCEED_DATABASE")}
    env["EXCEED_DATA_DIR"] = str(tmp_path / "data")
    exceed = str(Path(sys.executable).with_name("exceed"))
    setup = subprocess.run([exceed, "setup"], env=env, capture_output=True, text=True, timeout=300)
    assert setup.returncode == 0, setup.stderr
    assert (tmp_path / "data" / "static" / "staticfiles.json").exists()

    port = free_port()
    out_path, err_path = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with open(out_path, "w") as out, open(err_path, "w") as err:
        server = subprocess.Popen(
            [exceed, "serve", "--workers", "1", "--bind", f"127.0.0.1:{port}"], env=env, stdout=out, stderr=err
        )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=5)
                break
            except OSError:
                time.sleep(0.25)
        yield base, out_path, err_path
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def _get(url: str, **headers) -> tuple[int, str, dict]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), dict(error.headers)


def test_setup_then_serve_answers_with_hashed_static_files(served):
    base, _out, _err = served
    _status, page, _headers = _get(f"{base}/login/")
    stylesheet = re.search(r"/static/exceed/exceed\.[0-9a-f]{12}\.css", page)
    assert stylesheet, page
    assert _get(f"{base}{stylesheet.group(0)}")[0] == 200


def test_the_logs_keep_no_invitation_token_or_kiosk_key(served):
    """Reproducer: after `GET /i/<token>/` and `GET /k/<slug>/?key=<key>`, gunicorn's access log
    (stdout of `exceed serve`) held the token and the key, which open a survey as that customer
    or unlock that store's kiosk; Django's "Not Found: /i/<token>/" repeated the token."""
    base, out_path, err_path = served
    _get(f"{base}/i/{INVITATION_TOKEN}/")
    _get(f"{base}/k/some-kiosk/?key={KIOSK_KEY}&lang=da")
    # The invitation page's own assets name it as referrer.
    _get(f"{base}/login/", Referer=f"{base}/i/{INVITATION_TOKEN}/")
    time.sleep(0.5)  # the log line follows the response
    logs = out_path.read_text() + err_path.read_text()
    assert "/i/[redacted]/" in logs and "key=[redacted]&lang=da" in logs
    assert INVITATION_TOKEN not in logs and KIOSK_KEY not in logs


def test_pages_carry_a_content_security_policy(served):
    base, _out, _err = served
    _status, _page, headers = _get(f"{base}/login/")
    policy = headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy and "frame-ancestors 'none'" in policy
