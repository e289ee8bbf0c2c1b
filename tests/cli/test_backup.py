import sqlite3

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite backup API")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_writes_a_readable_copy_of_the_database(exceed, tmp_path):
    from exceed.org.models import Region

    Region.objects.create(code="north", name="North")
    target = tmp_path / "copy.sqlite3"
    status, out, err = exceed("backup", "--output", target)
    assert status == 0, err
    copy = sqlite3.connect(target)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT name FROM org_region WHERE code = 'north'").fetchone() == ("North",)
    finally:
        copy.close()
    assert str(target) in out


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_never_overwrites_an_existing_file(exceed, tmp_path):
    target = tmp_path / "copy.sqlite3"
    target.write_text("precious")
    status, _out, err = exceed("backup", "--output", target)
    assert status == 1
    assert "exists already" in err
    assert target.read_text() == "precious"
