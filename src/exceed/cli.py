"""The `exceed` command: demo, serve, worker, migrate, setup, createadmin, token, import, backup.

Every subcommand is a plain function. Errors print one clear message to stderr and exit non-zero;
a traceback means a bug, not bad input.
"""

import argparse
import getpass
import os
import signal
import subprocess
import sys
from pathlib import Path

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage

IMPORT_KINDS = ("locations", "people", "invitations", "responses", "visits")
CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"
COLLECTING_STORAGE = "exceed.cli.CollectingStorage"


class CollectingStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed storage, leaving source-map comments alone, for `collectstatic`.

    Vendored minified files (Chart.js) name .map files that are not shipped, which would abort
    the whole collection; a missing map only costs a 404 in the browser's developer tools. The
    manifest written is the one WhiteNoise's own storage reads when serving.
    """

    patterns = tuple(
        (glob, tuple(pattern for pattern in rules if "sourceMappingURL" not in str(pattern)))
        for glob, rules in ManifestStaticFilesStorage.patterns
    )


class CommandFailed(Exception):
    """A refusal with a message for the person at the terminal."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="exceed", description="Exceed: experience engineering for multi-location retailers.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser("demo", help="create a demo chain (once) and serve it on 127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--data-dir", help="where the SQLite database and keys live (default ./data)")
    demo.add_argument("--responses", type=int, default=20000, help="how many responses to generate (default 20000)")
    demo.add_argument("--no-serve", action="store_true", help="prepare the demo and print its logins, but do not serve")

    serve = commands.add_parser("serve", help="run the production server (gunicorn)")
    serve.add_argument("--workers", type=int, default=2)
    serve.add_argument("--bind", default="127.0.0.1:8000")

    # Its options (--batch, --interval, --max-tasks, …) pass through to django_tasks_db's db_worker.
    commands.add_parser("worker", help="run background tasks (invitation emails, …); options go to db_worker")

    commands.add_parser("migrate", help="create or update the database tables")
    commands.add_parser("setup", help="migrate, install the default survey, collect static files")

    admin = commands.add_parser("createadmin", help="create an owner with access to the back office")
    admin.add_argument("--username")
    admin.add_argument("--email")
    admin.add_argument("--password")

    token = commands.add_parser("token", help="API tokens")
    token_commands = token.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    create = token_commands.add_parser("create", help="print a new bearer token for a user")
    create.add_argument("--username", required=True)
    create.add_argument("--name", default="")

    importer = commands.add_parser("import", help="import a CSV (or NDJSON) file, all or nothing")
    importer.add_argument("kind", choices=IMPORT_KINDS)
    importer.add_argument("file")

    backup = commands.add_parser("backup", help="copy the database to a file")
    backup.add_argument("--output", help="the file to write (default: DATA_DIR/backups/exceed-<time>.…)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "worker":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    args.worker_args = extra
    if args.command == "demo":
        _demo_environment(args)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exceed.settings")
    import django

    django.setup()
    from django.core.management import CommandError
    from django.db import DatabaseError

    from exceed.errors import DomainError

    handler = {
        "demo": cmd_demo,
        "serve": cmd_serve,
        "worker": cmd_worker,
        "migrate": cmd_migrate,
        "setup": cmd_setup,
        "createadmin": cmd_createadmin,
        "token": cmd_token,
        "import": cmd_import,
        "backup": cmd_backup,
    }[args.command]
    try:
        return handler(args) or 0
    except (CommandFailed, CommandError, DomainError) as error:
        print(f"exceed {args.command}: {error}", file=sys.stderr)
        return 1
    except DatabaseError as error:
        print(f"exceed {args.command}: database error: {error} (has `exceed migrate` been run?)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `exceed … | head`: the reader left; say nothing more (Python's documented idiom).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


# --- Database and set-up -----------------------------------------------------------------------


def _migrate(verbosity: int = 1) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)


def cmd_migrate(args) -> int:
    _migrate()
    return 0


def _collect_static() -> None:
    """Collect static files with hashed names and a manifest.

    settings.py picks the hashed storage only once a manifest exists, so the collection that
    writes the first manifest has to ask for that storage itself (as override_settings would).
    """
    from django.conf import settings
    from django.contrib.staticfiles.storage import staticfiles_storage
    from django.core.files.storage import storages
    from django.core.management import call_command
    from django.utils.functional import empty

    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": COLLECTING_STORAGE}}
    storages._backends = None
    storages.__dict__.pop("backends", None)
    storages._storages.pop("staticfiles", None)
    staticfiles_storage._wrapped = empty
    call_command("collectstatic", interactive=False, verbosity=0)


def cmd_setup(args) -> int:
    from exceed.feedback.services import default_survey_install

    _migrate()
    survey = default_survey_install()
    print(f"Survey {survey.slug!r} installed.")
    _collect_static()
    print("Static files collected.")
    return 0


def cmd_createadmin(args) -> int:
    from exceed.org.services import admin_create

    username = args.username or input("Username: ").strip()
    email = args.email if args.email is not None else input("Email: ").strip()
    password = args.password
    if not password:
        password = getpass.getpass("Password: ")
        if password != getpass.getpass("Password (again): "):
            raise CommandFailed("the passwords differ")
    if not username or not password:
        raise CommandFailed("a username and a password are required")
    user = admin_create(username=username, email=email, password=password)
    print(f"Owner {user.username} created.")
    return 0


def cmd_token(args) -> int:
    from django.contrib.auth.models import User

    from exceed.api.models import ApiToken

    user = User.objects.filter(username=args.username, is_active=True).first()
    if user is None:
        raise CommandFailed(f"no active user named {args.username!r}")
    _token, key = ApiToken.issue(user=user, name=args.name)
    print(key)
    return 0


# --- Imports -----------------------------------------------------------------------------------


class ProgressBar:
    """A one-line text bar on stderr, redrawn at most once per percent."""

    WIDTH = 30

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.last = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        percent = 100 if total <= 0 else min(100, done * 100 // total)
        if (phase, percent) == self.last:
            return
        self.last = (phase, percent)
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(f"\r{phase:<9} [{bar}] {percent:3d}% {done}/{total}")
        if percent == 100:
            self.stream.write("\n")
        self.stream.flush()


def cmd_import(args) -> int:
    from exceed.feedback import importers as feedback_importers
    from exceed.org import importers as org_importers

    path = Path(args.file)
    if not path.is_file():
        raise CommandFailed(f"{args.file}: no such file")
    if args.kind == "locations":
        report = org_importers.locations_import(path=path)
    elif args.kind == "people":
        report = org_importers.people_import(path=path)
    elif args.kind == "invitations":
        report = feedback_importers.invitations_import(path=path)
    elif args.kind == "visits":
        # Recorded till visits belong to recovery (observed return, issue 3).
        from exceed.recovery.importers import visits_import

        report = visits_import(path=path)
    else:
        report = feedback_importers.responses_import(path=path, progress=ProgressBar())
    print(report.summary(args.kind.capitalize()))
    return 0


# --- Backup ------------------------------------------------------------------------------------


def cmd_backup(args) -> int:
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    vendor = connection.vendor
    suffix = ".sqlite3" if vendor == "sqlite" else ".sql"
    output = Path(args.output) if args.output else settings.DATA_DIR / "backups" / f"exceed-{stamp}{suffix}"
    output.parent.mkdir(parents=True, exist_ok=True)
    if vendor == "sqlite":
        _backup_sqlite(connection, output)
    elif vendor == "postgresql":
        _backup_postgresql(connection.settings_dict, output)
    else:
        raise CommandFailed(f"backups of {vendor} databases are not supported")
    print(f"Backup written to {output}")
    return 0


def _backup_sqlite(connection, output: Path) -> None:
    import sqlite3

    if output.exists():
        raise CommandFailed(f"{output} exists already; choose another --output")
    connection.ensure_connection()
    # The online backup API copies a consistent snapshot while the site keeps serving; copying the
    # file could catch it between a write and its WAL checkpoint.
    target = sqlite3.connect(output)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def _pg_dump() -> str | None:
    import shutil

    found = shutil.which("pg_dump")
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_dump"), key=lambda path: int(path.parts[-3]))
    return str(candidates[-1]) if candidates else None


def _backup_postgresql(database: dict, output: Path) -> None:
    pg_dump = _pg_dump()
    if pg_dump is None:
        raise CommandFailed("pg_dump was not found; install the PostgreSQL client (Debian: apt-get install postgresql-client)")
    command = [pg_dump, "--format=custom", "--file", str(output), "--dbname", database["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            command += [flag, str(database[key])]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandFailed(f"pg_dump failed: {result.stderr.strip()}")


# --- Servers -----------------------------------------------------------------------------------


def _gunicorn(bind: str, workers: int) -> list[str]:
    command = [sys.executable, "-m", "gunicorn", "exceed.wsgi", "--workers", str(workers), "--bind", bind, "--access-logfile", "-"]
    from gunicorn.config import KNOWN_SETTINGS

    # Newer gunicorns open a control socket at one fixed path in $HOME, so a second server on the
    # same machine (a demo beside a test run) would take it over; Exceed does not use it.
    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        command.append("--no-control-socket")
    return command


def _worker_command(extra: list[str]) -> list[str]:
    # `exceed worker`, not bare db_worker: it also runs the periodic work (deadlines, follow-ups).
    return [sys.executable, "-m", "exceed.cli", "worker", *extra]


def cmd_serve(args) -> int:
    _collect_static()
    # exec: the process manager (systemd, a container) then signals gunicorn directly.
    command = _gunicorn(args.bind, args.workers)
    os.execv(command[0], command)


def cmd_worker(args) -> int:
    """Run queued tasks, and every minute the periodic work (overdue recovery steps, due follow-ups).

    With --batch the periodic work runs once and the queue is emptied, then it exits (for cron).
    Several workers may run at once, on several machines: each escalation and follow-up is claimed
    by a conditional update, so running the clock on each of them sends nothing twice.
    """
    from django.core.management import call_command

    worker_args = [value for value in args.worker_args if value != "--"]
    if "--batch" in worker_args:
        _periodic_work_once()
    else:
        _start_clock(interval=60)
    call_command("db_worker", *worker_args)
    return 0


def _periodic_work_once() -> None:
    from exceed.recovery.tasks import recovery_tick_run

    recovery_tick_run()


def _start_clock(*, interval: int) -> None:
    import logging
    import threading
    import time

    from django.db import connection

    def tick_forever():
        while True:
            try:
                _periodic_work_once()
            except Exception:  # noqa: BLE001 - one bad tick must not stop the clock
                logging.getLogger("exceed.clock").exception("periodic work failed")
            finally:
                connection.close()  # this thread's own connection; a fresh one next minute
            time.sleep(interval)

    threading.Thread(target=tick_forever, name="exceed-clock", daemon=True).start()


def _demo_environment(args) -> None:
    """Settings are read once at start-up, so the demo's choices go into the environment first."""
    if args.data_dir:
        os.environ["EXCEED_DATA_DIR"] = str(Path(args.data_dir).resolve())
    os.environ.setdefault("EXCEED_EMAIL_BACKEND", CONSOLE_EMAIL)
    os.environ.setdefault("EXCEED_BASE_URL", f"http://127.0.0.1:{args.port}")
    # The demo is for trying things out, the API included.
    os.environ.setdefault("EXCEED_API_DOCS", "1")


def cmd_demo(args) -> int:
    from exceed.demo import DEMO_PASSWORD, demo_chain_create, demo_exists, demo_logins, demo_survey_link

    _migrate(verbosity=0)
    if demo_exists():
        print("The demo chain exists already; serving it as it is.")
    else:
        print(f"Creating the demo chain with {args.responses} responses…", flush=True)
        summary = demo_chain_create(responses=args.responses)
        print(summary)
    base = f"http://127.0.0.1:{args.port}"
    print()
    print(f"Dashboard:      {base}/dashboard/")
    print(f"Logins (password for all: {DEMO_PASSWORD}):")
    for role, username in demo_logins():
        print(f"  {role:<18} {username} / {DEMO_PASSWORD}")
    print(f"A survey link:  {base}/s/{demo_survey_link()}/")
    print(flush=True)
    if args.no_serve:
        return 0
    return _serve_demo(args.port)


def _serve_demo(port: int) -> int:
    """Run gunicorn and a task worker side by side until interrupted, then stop both."""
    children = [
        subprocess.Popen(_gunicorn(f"127.0.0.1:{port}", 2)),
        subprocess.Popen(_worker_command(["--interval", "2"])),
    ]

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    print("Serving; press Ctrl+C to stop.", flush=True)
    try:
        while all(child.poll() is None for child in children):
            try:
                children[0].wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
    except KeyboardInterrupt:
        pass
    finally:
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
    failed = [child for child in children if child.returncode not in (0, -signal.SIGTERM, -signal.SIGINT)]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
