from django.contrib.auth import authenticate
from django.contrib.auth.models import User

from exceed.org.scopes import scope_for


def test_createadmin_with_all_three_options_creates_an_owner_without_asking(db, exceed, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt="": (_ for _ in ()).throw(AssertionError("asked")))
    status, out, err = exceed("createadmin", "--username", "ingrid", "--email", "ingrid@example.com", "--password", "s3cret-pass")
    assert status == 0, err
    user = authenticate(username="ingrid", password="s3cret-pass")
    assert user is not None and user.is_superuser and user.email == "ingrid@example.com"
    assert scope_for(user).is_owner
    assert "ingrid" in out


def test_createadmin_refuses_a_taken_username(cast, exceed):
    status, _out, err = exceed("createadmin", "--username", "olivia", "--email", "o@example.com", "--password", "whatever-1")
    assert status == 1
    assert "olivia" in err
    assert User.objects.filter(username="olivia").count() == 1


def test_createadmin_asks_for_what_is_missing(db, exceed, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt="": "inga@example.com")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "typed-pass-1")
    status, _out, err = exceed("createadmin", "--username", "inga")
    assert status == 0, err
    assert authenticate(username="inga", password="typed-pass-1").email == "inga@example.com"
