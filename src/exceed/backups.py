"""Backups of an installation: the database and the secret key, in one archive only its owner reads.

The secret key belongs in the backup because data depends on it: customer hashes (which match a
returning customer to their earlier failure, recovery/identity.py) are salted with it, and sessions
and signed links are signed with it. A database restored under another key matches no returning
customer.

Archive members: ``manifest.json`` (format, database vendor, time), ``secret_key``, and
``database.sqlite3`` (SQLite's online backup) or ``database.pgdump`` (``pg_dump --format=custom``).
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError
from django.db import connection
from django.utils import timezone

FORMAT = 1
MANIFEST, SECRET_KEY = "manifest.json", "secret_key"
DATABASE = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


@dataclass
class Restored:
    vendor: str
    safety_backup: Path
    key_written_to: Path | None
    key_kept: bool


def backup_default_path(*, prefix: str = "exceed") -> Path:
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    return settings.DATA_DIR / "backups" / f"{prefix}-{stamp}.tar.gz"


def backup_create(*, output: Path) -> Path:
    """Write one archive of the database and the secret key to ``output``, mode 0600.

    1. Refuse an existing file: a backup never overwrites another.
    2. Dump the database into a private temporary directory beside ``output``.
    3. Write the archive under a temporary name created 0600, then link it to ``output``, so a
       crash or a full disk leaves no half-written backup under the real name.
    """
    vendor = connection.vendor
    if vendor not in DATABASE:
        raise CommandError(f"backups of {vendor} databases are not supported")
    if output.exists():
        raise CommandError(f"{output} exists already; choose another --output")
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".exceed-backup-") as work:  # created 0700
        work = Path(work)
        dump = work / DATABASE[vendor]
        if vendor == "sqlite":
            _sqlite_dump(dump)
        else:
            _pg_dump(dump)
        manifest = {"format": FORMAT, "vendor": vendor, "created": timezone.now().isoformat()}
        (work / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        (work / SECRET_KEY).write_text(settings.SECRET_KEY, encoding="utf-8")
        partial = work / "archive.tar.gz"
        with _private_file(partial) as handle:
            with tarfile.open(fileobj=handle, mode="w:gz") as archive:
                for name in (MANIFEST, SECRET_KEY, DATABASE[vendor]):
                    archive.add(work / name, arcname=name, filter=_private_member)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(partial, output)  # unlike rename, never replaces a file that appeared meanwhile
        except FileExistsError:
            raise CommandError(f"{output} exists already; choose another --output") from None
    return output


def backup_restore(*, archive_path: Path, keep_current_key: bool = False) -> Restored:
    """Put a backup back: the database, then the secret key.

    1. Read and check the archive (an Exceed backup of this installation's kind of database).
    2. Where the key comes from the environment and differs from the backup's, refuse (unless told
       to keep the current one): the restored data would match no returning customer.
    3. Keep the current database as a backup of its own, so a restore can itself be undone.
    4. Restore the database in one step: SQLite's backup API into the live file, or pg_restore in a
       single transaction.
    5. Write the backup's key where Exceed keeps it (0600).
    """
    manifest, key, dump_member = _read_archive(archive_path)
    vendor = connection.vendor
    if manifest["vendor"] != vendor:
        raise CommandError(
            f"{archive_path} is a backup of a {manifest['vendor']} database; this installation uses {vendor}"
        )
    key_differs = key != settings.SECRET_KEY
    if key_differs and settings.SECRET_KEY_PATH is None and not keep_current_key:
        raise CommandError(
            "this backup was made with another secret key than EXCEED_SECRET_KEY. Restored under the current key, "
            "customer hashes would match no returning customer and sessions would break. Set EXCEED_SECRET_KEY "
            f"(or EXCEED_SECRET_KEY_FILE) to the backup's key — `tar -xzOf {archive_path} {SECRET_KEY}` prints it — "
            "and run restore again, or pass --keep-current-key to restore anyway."
        )
    with tempfile.TemporaryDirectory(prefix="exceed-restore-") as work:
        dump = Path(work) / DATABASE[vendor]
        with tarfile.open(archive_path, mode="r:gz") as archive, open(dump, "wb") as target:
            shutil.copyfileobj(archive.extractfile(dump_member), target)
        if vendor == "sqlite":
            _sqlite_check(dump)
        safety = backup_create(output=backup_default_path(prefix="before-restore"))
        if vendor == "sqlite":
            _sqlite_load(dump)
        else:
            _pg_load(dump)
    written = None
    if key_differs and settings.SECRET_KEY_PATH is not None:
        _private_replace(settings.SECRET_KEY_PATH, key)
        written = settings.SECRET_KEY_PATH
    return Restored(
        vendor=vendor, safety_backup=safety, key_written_to=written, key_kept=key_differs and written is None
    )


# --- Files -------------------------------------------------------------------------------------


def _private_file(path: Path):
    """A new file readable by its owner only from the first byte (no window at the umask's 0644)."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")


def _private_replace(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.new")
    partial.unlink(missing_ok=True)
    with _private_file(partial) as handle:
        handle.write(text.encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def _private_member(member: tarfile.TarInfo) -> tarfile.TarInfo:
    member.mode, member.uid, member.gid, member.uname, member.gname = 0o600, 0, 0, "", ""
    return member


def _read_archive(path: Path) -> tuple[dict, str, str]:
    if not path.is_file():
        raise CommandError(f"{path}: no such file")
    try:
        with tarfile.open(path, mode="r:gz") as archive:
            names = set(archive.getnames())
            if MANIFEST not in names or SECRET_KEY not in names:
                raise CommandError(f"{path} is not an Exceed backup (no {MANIFEST} or {SECRET_KEY})")
            manifest = json.loads(archive.extractfile(MANIFEST).read())
            key = archive.extractfile(SECRET_KEY).read().decode("utf-8").strip()
    except (tarfile.TarError, OSError, EOFError, ValueError) as error:
        raise CommandError(f"{path} is not a readable Exceed backup: {error}") from error
    if manifest.get("format") != FORMAT or manifest.get("vendor") not in DATABASE:
        raise CommandError(f"{path}: unknown backup format {manifest.get('format')!r}")
    member = DATABASE[manifest["vendor"]]
    if member not in names:
        raise CommandError(f"{path} holds no {member}")
    if not key:
        raise CommandError(f"{path} holds an empty secret key")
    return manifest, key, member


# --- SQLite ------------------------------------------------------------------------------------


def _sqlite_dump(target: Path) -> None:
    connection.ensure_connection()
    # The online backup API copies a consistent snapshot while the site keeps serving; copying the
    # file could catch it between a write and its WAL checkpoint.
    _private_file(target).close()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def _sqlite_check(dump: Path) -> None:
    try:
        source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        try:
            ok = source.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            migrated = source.execute("SELECT 1 FROM sqlite_master WHERE name = 'django_migrations'").fetchone()
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        raise CommandError(f"the backup's database is damaged: {error}") from error
    if not ok or not migrated:
        raise CommandError("the backup's database is damaged or not an Exceed database")


def _sqlite_load(dump: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
    try:
        # Page by page into the live database under its write lock: a reader sees the old database
        # or the new one, never a mixture, and a failure leaves the old one in place.
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


# --- PostgreSQL --------------------------------------------------------------------------------


def _pg_program(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), key=lambda path: int(path.parts[-3]))
    if not candidates:
        raise CommandError(
            f"{name} was not found; install the PostgreSQL client (Debian: apt-get install postgresql-client)"
        )
    return str(candidates[-1])


def _pg_run(program: str, arguments: list[str]) -> None:
    database = connection.settings_dict
    command = [_pg_program(program), *arguments, "--dbname", database["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if database.get(key):
            command += [flag, str(database[key])]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(f"{program} failed: {result.stderr.strip()}")


def _pg_dump(target: Path) -> None:
    _private_file(target).close()
    _pg_run("pg_dump", ["--format=custom", "--file", str(target)])


def _pg_load(dump: Path) -> None:
    # Our own connection holds no locks while pg_restore drops and recreates the tables.
    connection.close()
    _pg_run(
        "pg_restore",
        [
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(dump),
        ],
    )
