"""`exceed backup` and `exceed restore`: the database and the secret key, kept private, and loyalty
matching (customer hashes, salted with the key) intact after a restore on a new machine."""

import json
import os
import secrets
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.db import connection

EMAIL = "kunde@example.dk"
ROOT = Path(__file__).resolve().parents[2]

SEED = f"""
import django; django.setup()
from exceed.feedback.services import default_survey_install, response_submit
from exceed.org.models import Location, Region, Touchpoint
from exceed.recovery.models import CustomerContact, RecoveryCase
region = Region.objects.create(code="north", name="North")
cph = Location.objects.create(code="cph", name="Copenhagen", region=region, timezone="Europe/Copenhagen", default_language="da")
response_submit(survey=default_survey_install(), location=cph, language="da", channel_kind="link",
                touchpoint=Touchpoint.objects.get(code="in-store"),
                raw_answers={{"return": 2, "expectation": "below", "difference": "Lang kø", "contact": "yes"}},
                contact={{"email": "{EMAIL}"}})
from exceed.recovery.evaluation import pending_evaluations_sweep
pending_evaluations_sweep()  # what `exceed worker` does: the low answer opens its case
assert RecoveryCase.objects.filter(contact_hash__gt="").count() == 1
print(CustomerContact.objects.get().contact_hash)
"""

# On the restored install: the same customer, seen again at the till, is recognised.
MATCH = f"""
import django; django.setup()
from django.utils import timezone
from exceed.recovery.identity import customer_hash
from exceed.recovery.models import CustomerContact, RecoveryCase
from exceed.recovery.visits import visit_record
case = RecoveryCase.objects.get()
visit, _ = visit_record(external_id="till-1", location=case.location, visited_at=timezone.now(),
                        customer_ref="{EMAIL.upper()}")
print(CustomerContact.objects.filter(contact_hash=customer_hash("{EMAIL}")).count(),
      RecoveryCase.objects.filter(contact_hash=visit.customer_hash).count())
"""


class Install:
    """One installation of Exceed: its own data directory (and, on SQLite, its own database)."""

    def __init__(self, data_dir: Path, database_url: str | None):
        self.env = {key: value for key, value in os.environ.items() if not key.startswith("EXCEED_")}
        self.env.update(
            PYTHONPATH=str(ROOT / "src"), DJANGO_SETTINGS_MODULE="exceed.settings", EXCEED_DATA_DIR=str(data_dir)
        )
        if database_url:
            self.env["EXCEED_DATABASE_URL"] = database_url
        self.data_dir = data_dir

    def exceed(self, *argv) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "exceed.cli", *map(str, argv)],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def python(self, code: str) -> str:
        result = subprocess.run([sys.executable, "-c", code], env=self.env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()


@pytest.fixture
def fresh_database():
    """A URL for an empty database of this run's kind, and a way to empty it again (a new machine).

    SQLite: None, each install keeps its own file. PostgreSQL: a database of its own on the test
    server, dropped afterwards.
    """
    if connection.vendor == "sqlite":
        yield None, lambda: None
        return
    import psycopg

    base = os.environ["EXCEED_DATABASE_URL"]
    name = f"exceed_backup_{secrets.token_hex(4)}"
    server = base.rsplit("/", 1)[0]

    def recreate(drop_only=False):
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if not drop_only:
                admin.execute(f'CREATE DATABASE "{name}"')

    recreate()
    yield f"{server}/{name}", recreate
    recreate(drop_only=True)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_restore_on_a_new_machine_keeps_returning_customers_matched(tmp_path, fresh_database):
    """Reproducer: `exceed backup` left out the secret key, so after a restore on a new machine the
    customer hashes were salted with another key: 0 of 50 returning customers matched their case."""
    database_url, new_machine = fresh_database
    old = Install(tmp_path / "old", database_url)
    assert old.exceed("migrate").returncode == 0
    old.python(SEED)
    archive = tmp_path / "nightly.tar.gz"
    result = old.exceed("backup", "--output", archive)
    assert result.returncode == 0, result.stderr
    assert "secret key" in result.stdout

    new_machine()
    new = Install(tmp_path / "new", database_url)
    result = new.exceed("restore", archive)
    assert result.returncode == 0, result.stderr
    assert (new.data_dir / "secret_key").read_text() == (old.data_dir / "secret_key").read_text()
    assert new.python(MATCH) == "1 1"
    assert _mode(new.data_dir / "secret_key") == 0o600


def test_backups_the_database_and_the_secret_key_are_readable_by_their_owner_only(tmp_path, fresh_database):
    """Reproducer: backups and the SQLite database were written 0644, readable by every local user."""
    database_url, _new_machine = fresh_database
    install = Install(tmp_path / "data", database_url)
    assert install.exceed("migrate").returncode == 0
    result = install.exceed("backup")
    assert result.returncode == 0, result.stderr
    [archive] = (install.data_dir / "backups").iterdir()
    assert _mode(archive) == 0o600
    assert _mode(install.data_dir / "secret_key") == 0o600
    if database_url is None:
        assert _mode(install.data_dir / "exceed.sqlite3") == 0o600
    with tarfile.open(archive) as members:
        assert {"manifest.json", "secret_key"} <= set(members.getnames())
        assert all(member.mode == 0o600 for member in members.getmembers())
        assert json.load(members.extractfile("manifest.json"))["vendor"] == connection.vendor


def test_restore_refuses_a_backup_made_under_another_configured_key(tmp_path, fresh_database):
    database_url, _new_machine = fresh_database
    install = Install(tmp_path / "data", database_url)
    install.env["EXCEED_SECRET_KEY"] = secrets.token_urlsafe(50)
    assert install.exceed("migrate").returncode == 0
    archive = tmp_path / "b.tar.gz"
    assert install.exceed("backup", "--output", archive).returncode == 0
    install.env["EXCEED_SECRET_KEY"] = secrets.token_urlsafe(50)
    result = install.exceed("restore", archive)
    assert result.returncode == 1
    assert "EXCEED_SECRET_KEY" in result.stderr and "tar -xzOf" in result.stderr
    assert not (install.data_dir / "backups").exists()  # refused before touching anything


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path, fresh_database):
    database_url, _new_machine = fresh_database
    install = Install(tmp_path / "data", database_url)
    bogus = tmp_path / "notes.tar.gz"
    bogus.write_text("not an archive")
    result = install.exceed("restore", bogus)
    assert result.returncode == 1 and "not a readable Exceed backup" in result.stderr
    result = install.exceed("restore", tmp_path / "missing.tar.gz")
    assert result.returncode == 1 and "no such file" in result.stderr


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_never_overwrites_an_existing_file(exceed, tmp_path):
    target = tmp_path / "copy.tar.gz"
    target.write_text("precious")
    status, _out, err = exceed("backup", "--output", target)
    assert status == 1
    assert "exists already" in err
    assert target.read_text() == "precious"
