import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.cli.test_demo_server import free_port


def test_setup_then_serve_answers_with_hashed_static_files(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("EXCEED_DATABASE")}
    env["EXCEED_DATA_DIR"] = str(tmp_path / "data")
    exceed = str(Path(sys.executable).with_name("exceed"))
    setup = subprocess.run([exceed, "setup"], env=env, capture_output=True, text=True, timeout=300)
    assert setup.returncode == 0, setup.stderr
    assert (tmp_path / "data" / "static" / "staticfiles.json").exists()

    port = free_port()
    server = subprocess.Popen([exceed, "serve", "--workers", "1", "--bind", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        page = None
        for _ in range(120):
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=5).read().decode()
                break
            except OSError:
                time.sleep(0.25)
        assert page is not None
        stylesheet = re.search(r'/static/exceed/exceed\.[0-9a-f]{12}\.css', page)
        assert stylesheet, page
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}{stylesheet.group(0)}", timeout=5).status == 200
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
