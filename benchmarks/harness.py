"""What both benchmarks share: a throw-away data directory, an optional PostgreSQL of our own on
loopback, Django configured against it, and clean-up of everything started, by PID.

Nothing here talks to anything but 127.0.0.1. Settings are read once at import, so
``Workspace.configure()`` sets the environment before ``django.setup()``.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda path: int(path.parent.name))
    if not versions:
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
    return versions[-1]


def stop_pid(pid: int, sig=signal.SIGTERM, timeout: float = 15) -> None:
    """Signal one process we started and wait for it to go."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


class Postgres:
    """A private cluster under ``directory``, durable by default (fsync and synchronous commit on)."""

    def __init__(self, directory: Path, *, fast: bool = False):
        self.data = directory / "pg"
        self.port = free_port()
        self.fast = fast
        self.pid: int | None = None

    def start(self) -> str:
        binaries = pg_bin()
        self.data.mkdir(parents=True)
        shutil.chown(self.data, "postgres", "postgres")
        os.chmod(self.data.parent, 0o755)
        runuser = ["runuser", "-u", "postgres", "--"]
        subprocess.run(
            runuser
            + [
                str(binaries / "initdb"),
                "-D",
                str(self.data),
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = f"-h 127.0.0.1 -p {self.port} -k {self.data} -c shared_buffers=512MB -c max_connections=50"
        if self.fast:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            runuser
            + [
                str(binaries / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.data / "server.log"),
                "-w",
                "-o",
                options,
                "start",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.pid = int((self.data / "postmaster.pid").read_text().split()[0])
        subprocess.run(
            runuser + [str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "exceed"],
            check=True,
        )
        return f"postgres://postgres@127.0.0.1:{self.port}/exceed"

    def create_database(self, name: str) -> str:
        """A second database in the same cluster (the bare reference's), as a URL."""
        subprocess.run(
            ["runuser", "-u", "postgres", "--", str(pg_bin() / "createdb"), "-h", "127.0.0.1", "-p", str(self.port)]
            + ["-U", "postgres", name],
            check=True,
        )
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        if self.pid:
            stop_pid(self.pid, signal.SIGINT)  # "fast" shutdown of the postmaster we started
            self.pid = None


class Workspace(contextlib.AbstractContextManager):
    """A temp directory (and PostgreSQL when asked) that is removed on exit, whatever happens."""

    def __init__(self, db: str, *, pg_fast: bool = False):
        if db not in ("sqlite", "postgres"):
            raise SystemExit("--db must be sqlite or postgres")
        self.db = db
        self.directory = Path(tempfile.mkdtemp(prefix="exceed-bench-"))
        self.postgres = Postgres(self.directory, fast=pg_fast) if db == "postgres" else None
        self.env: dict[str, str] = {}
        self.children: list[subprocess.Popen] = []

    def configure(self, **extra: str) -> dict:
        """Start the database, set the environment and set Django up in this process."""
        self.env = {
            "EXCEED_DATA_DIR": str(self.directory / "data"),
            "EXCEED_SECRET_KEY": "benchmark-only-not-secret",
            "DJANGO_SETTINGS_MODULE": "exceed.settings",
            **extra,
        }
        if self.postgres:
            self.env["EXCEED_DATABASE_URL"] = self.postgres.start()
        os.environ.update(self.env)
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return self.env

    def spawn(self, command: list[str], *, log: str, env: dict | None = None) -> subprocess.Popen:
        child = subprocess.Popen(
            command,
            env={**os.environ, **self.env, **(env or {})},
            cwd=self.directory,
            stdout=open(self.directory / log, "wb"),
            stderr=subprocess.STDOUT,
        )
        self.children.append(child)
        return child

    def __exit__(self, *exc_info):
        for child in self.children:
            if child.poll() is None:
                stop_pid(child.pid)
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        if self.postgres:
            self.postgres.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
        return False


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]
