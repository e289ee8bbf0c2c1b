"""The `exceed` command: demo, serve, worker, migrate, setup, createadmin, unlock, user, token,
import, backup, restore.

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
from django.utils.functional import lazy
from whitenoise.storage import CompressedManifestStaticFilesStorage

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
    parser = argparse.ArgumentParser(
        prog="exceed", description="Exceed: experience engineering for multi-location retailers."
    )
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

    unlock = commands.add_parser("unlock", help="lift the lock after too many failed sign-ins")
    unlock.add_argument("--username", required=True)
    unlock.add_argument("--address", help="only the lock for this IP address (default: every address)")

    token = commands.add_parser("token", help="API tokens")
    token_commands = token.add_subparsers(dest="token_command", required=True, metavar="ACTION")
    create = token_commands.add_parser("create", help="print a new bearer token for a user")
    create.add_argument("--username", required=True)
    create.add_argument("--name", default="")
    listing = token_commands.add_parser("list", help="list tokens (never their keys)")
    listing.add_argument("--username", help="only this user's tokens")
    revoke = token_commands.add_parser("revoke", help="revoke a token at once")
    revoke.add_argument("id", help="the token's ID, as `exceed token list` shows it")

    user = commands.add_parser("user", help="logins")
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    user_create = user_commands.add_parser(
        "create", help="create a login with a role and scope; prints a link to choose a password (or emails it)"
    )
    user_create.add_argument("--username", required=True)
    user_create.add_argument("--email", required=True)
    user_create.add_argument(
        "--role", required=True, help="owner, regional_manager, location_manager, associate or mystery_shopper"
    )
    covers = user_create.add_mutually_exclusive_group()
    covers.add_argument(
        "--location",
        action="extend",
        nargs="+",
        default=[],
        metavar="CODE",
        help="the locations a location manager covers",
    )
    covers.add_argument(
        "--region", action="extend", nargs="+", default=[], metavar="CODE", help="the regions a regional manager covers"
    )
    user_create.add_argument("--person", metavar="REF", help="the employee number of the person this login is")
    user_create.add_argument("--send-invitation", action="store_true", help="email the link instead of printing it")
    user_create.add_argument(
        "--language", help="the invitation's language (default: the person's store's, else English)"
    )

    importer = commands.add_parser(
        "import",
        help="import a CSV (or NDJSON) file, all or nothing",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        # Read from the apps' registry (core.imports) only when the help is shown.
        epilog=lazy(_import_kinds_help, str)(),
    )
    importer.add_argument("kind", help="what the file holds (listed below)")
    importer.add_argument("file")

    backup = commands.add_parser("backup", help="write the database and the secret key to one archive (0600)")
    backup.add_argument("--output", help="the file to write (default: DATA_DIR/backups/exceed-<time>.tar.gz)")

    restore = commands.add_parser("restore", help="put a backup back: database and secret key (stop the servers first)")
    restore.add_argument("file")
    restore.add_argument(
        "--keep-current-key",
        action="store_true",
        help="restore even where EXCEED_SECRET_KEY differs from the backup's key (customer hashes break)",
    )
    return parser


def _import_kinds_help() -> str:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exceed.settings")
    import django

    django.setup()
    from exceed.core.imports import import_kinds

    lines = ["kinds (every error names its line and column; a bad file imports nothing):"]
    lines += [f"  {kind.describe()}" for kind in import_kinds()]
    return "\n".join(lines)


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
        "unlock": cmd_unlock,
        "token": cmd_token,
        "user": cmd_user,
        "import": cmd_import,
        "backup": cmd_backup,
        "restore": cmd_restore,
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
    _password_check(password, username=username, email=email)
    user = admin_create(username=username, email=email, password=password)
    print(f"Owner {user.username} created.")
    return 0


def _password_check(password: str, *, username: str, email: str) -> None:
    """Django's password validators (settings.AUTH_PASSWORD_VALIDATORS), as the forms run them:
    length, common passwords, all digits, and likeness to the username or email."""
    from django.contrib.auth.models import User
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, user=User(username=username, email=email))
    except ValidationError as error:
        raise CommandFailed("the password was refused: " + " ".join(error.messages)) from error


def cmd_unlock(args) -> int:
    """Clear the failed sign-ins recorded for a username (django-axes), so its lock lifts at once."""
    from axes.utils import reset

    if args.address:
        cleared = reset(username=args.username, ip=args.address)
    else:
        cleared = reset(username=args.username)
    where = f" from {args.address}" if args.address else ""
    if cleared:
        print(f"Unlocked {args.username}{where}: {cleared} record(s) of failed sign-ins cleared.")
    else:
        print(f"No failed sign-ins recorded for {args.username}{where}; nothing to unlock.")
    return 0


def cmd_token(args) -> int:
    from django.contrib.auth.models import User

    from exceed.api.models import ApiToken
    from exceed.org.logins import api_token_create, api_token_revoke

    if args.token_command == "list":
        return _token_list(args.username)
    if args.token_command == "revoke":
        token = ApiToken.objects.filter(pk=int(args.id)).first() if args.id.isdigit() else None
        if token is None:
            raise CommandFailed(f"no token with the ID {args.id!r} (see `exceed token list`)")
        api_token_revoke(token=token)
        print(f"Token {token.pk} ({token.name or token.prefix}) of {token.user.username} revoked.")
        return 0
    user = User.objects.filter(username=args.username, is_active=True).first()
    if user is None:
        raise CommandFailed(f"no active user named {args.username!r}")
    # A token without a name is allowed here for scripts written before names were asked for.
    if args.name:
        _token, key = api_token_create(user=user, name=args.name)
    else:
        _token, key = ApiToken.issue(user=user)
    print(key)
    return 0


def _token_list(username: str | None) -> int:
    from django.contrib.auth.models import User

    from exceed.api.models import ApiToken

    tokens = ApiToken.objects.select_related("user").order_by("user__username", "pk")
    if username is not None:
        if not User.objects.filter(username=username).exists():
            raise CommandFailed(f"no user named {username!r}")
        tokens = tokens.filter(user__username=username)
    print(f"{'ID':>5}  {'USER':<20} {'NAME':<24} {'STARTS':<9} {'CREATED':<16} {'LAST USED':<16} STATUS")
    for token in tokens:
        last_used = token.last_used_at.strftime("%Y-%m-%d %H:%M") if token.last_used_at else "-"
        print(
            f"{token.pk:>5}  {token.user.username:<20} {token.name or '-':<24} {token.prefix:<9} "
            f"{token.created_at:%Y-%m-%d %H:%M} {last_used:<16} {'revoked' if token.revoked else 'active'}"
        )
    return 0


def cmd_user(args) -> int:
    """`exceed user create`: no password on the command line (it would sit in the shell's history);
    the new login chooses one through the printed or emailed link."""
    from exceed.org.logins import login_invitation_send, login_invite, login_language, login_set_password_url
    from exceed.org.models import LANGUAGE_CODES, Location, Person, Region, Role
    from exceed.org.scopes import COMMAND_LINE

    if args.role not in Role.values:
        raise CommandFailed(f"unknown role {args.role!r}; choose one of {', '.join(Role.values)}")
    if args.language and args.language not in LANGUAGE_CODES:
        raise CommandFailed(f"unknown language {args.language!r}; choose one of {', '.join(LANGUAGE_CODES)}")
    locations = _by_code(Location, args.location, "location")
    regions = _by_code(Region, args.region, "region")
    person = None
    if args.person:
        person = Person.objects.filter(external_ref=args.person).first()
        if person is None:
            raise CommandFailed(f"no person with the employee number {args.person!r}")
    user = login_invite(
        by=COMMAND_LINE,
        username=args.username,
        email=args.email,
        role=args.role,
        regions=regions,
        locations=locations,
        person=person,
    )
    if args.send_invitation:
        language = args.language or login_language(user=user, fallback="en")
        try:
            login_invitation_send(user=user, language=language)
        except Exception as error:  # any SMTP or network failure: the login exists; say how to finish
            raise CommandFailed(
                f"login {user.username} created, but the invitation to {user.email} could not be sent ({error}); "
                f"send it from the Logins page, or give them this link: {login_set_password_url(user=user)}"
            ) from error
        print(f"Login {user.username} created; an invitation was sent to {user.email}.")
    else:
        print(f"Login {user.username} created. Link to choose a password (works once, for a few days):")
        print(login_set_password_url(user=user))
    return 0


def _by_code(model, codes: list[str], noun: str) -> list:
    found = {item.code: item for item in model.objects.filter(code__in=codes)}
    for code in codes:
        if code not in found:
            raise CommandFailed(f"no {noun} with the code {code!r}")
    return [found[code] for code in dict.fromkeys(codes)]


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
    from exceed.core.imports import import_kind, no_progress

    kind = import_kind(args.kind)
    path = Path(args.file)
    if not path.is_file():
        raise CommandFailed(f"{args.file}: no such file")
    # The bar is for a person watching; a script or a log gets only the summary.
    progress = ProgressBar() if sys.stderr.isatty() else no_progress
    report = kind.run(path=path, progress=progress)
    print(report.summary(args.kind.capitalize()))
    return 0


# --- Backup ------------------------------------------------------------------------------------


def cmd_backup(args) -> int:
    from exceed.backups import backup_create, backup_default_path

    output = backup_create(output=Path(args.output) if args.output else backup_default_path())
    print(f"Backup written to {output} (readable by its owner only).")
    print(
        "It holds the secret key as well as the database: keep it as secret as the key. "
        "Without that key a restored database matches no returning customer."
    )
    return 0


def cmd_restore(args) -> int:
    from exceed.backups import backup_restore

    restored = backup_restore(archive_path=Path(args.file), keep_current_key=args.keep_current_key)
    print(f"The {restored.vendor} database was restored from {args.file}.")
    print(f"The database as it was before is kept in {restored.safety_backup}.")
    if restored.key_written_to:
        print(f"The backup's secret key was written to {restored.key_written_to}.")
    if restored.key_kept:
        print(
            "WARNING: the current secret key was kept; customer hashes in the restored data will not match returning "
            "customers, and sessions made under the backup's key are void.",
            file=sys.stderr,
        )
    print("Restart the web and worker processes now.")
    return 0


# --- Servers -----------------------------------------------------------------------------------


def _gunicorn(bind: str, workers: int) -> list[str]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "exceed.wsgi",
        "--workers",
        str(workers),
        "--bind",
        bind,
        "--access-logfile",
        "-",
        # Invitation tokens and kiosk keys travel in addresses; the access log must not keep them.
        "--logger-class",
        "exceed.access_log.RedactingLogger",
    ]
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
    """Run queued tasks, among them the clock of the periodic work (core.periodic: responses whose
    recovery evaluation no task took, overdue recovery steps, due follow-ups, and whatever else
    the apps register).

    With --batch the due periodic work runs once and the queue is emptied, then it exits (for
    cron). Several workers may run at once, on several machines: each job is claimed once per
    period, and each evaluation, escalation and follow-up by a locked row or a conditional update.
    """
    from django.core.management import call_command

    from exceed.core.periodic import periodic_run_due, periodic_tick_schedule

    worker_args = [value for value in args.worker_args if value != "--"]
    if "--batch" in worker_args:
        periodic_run_due()
    else:
        periodic_tick_schedule()  # the clock is a task that queues its next tick
    call_command("db_worker", *worker_args)
    return 0


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
