from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.test import RequestFactory

from exceed.org.scopes import scope_for


def test_createadmin_with_all_three_options_creates_an_owner_without_asking(db, exceed, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt="": (_ for _ in ()).throw(AssertionError("asked")))
    status, out, err = exceed(
        "createadmin", "--username", "ingrid", "--email", "ingrid@example.com", "--password", "s3cret-pass"
    )
    assert status == 0, err
    user = authenticate(RequestFactory().post("/login/"), username="ingrid", password="s3cret-pass")
    assert user is not None and user.is_superuser and user.email == "ingrid@example.com"
    assert scope_for(user).is_owner
    assert "ingrid" in out


def test_createadmin_refuses_a_taken_username(cast, exceed):
    status, _out, err = exceed(
        "createadmin", "--username", "olivia", "--email", "o@example.com", "--password", "whatever-1"
    )
    assert status == 1
    assert "olivia" in err
    assert User.objects.filter(username="olivia").count() == 1


def test_createadmin_asks_for_what_is_missing(db, exceed, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt="": "inga@example.com")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "typed-pass-1")
    status, _out, err = exceed("createadmin", "--username", "inga")
    assert status == 0, err
    assert (
        authenticate(RequestFactory().post("/login/"), username="inga", password="typed-pass-1").email
        == "inga@example.com"
    )


def test_createadmin_refuses_a_one_character_password_naming_the_rule(db, exceed):
    """Reproducer: `exceed createadmin --password 1` created a superuser."""
    status, out, err = exceed("createadmin", "--username", "ivar", "--email", "ivar@example.com", "--password", "1")
    assert status == 1
    assert "too short" in err and "at least 10 characters" in err
    assert "entirely numeric" in err
    assert not User.objects.filter(username="ivar").exists()


def test_createadmin_refuses_a_password_like_the_username(db, exceed):
    """Reproducer: `exceed createadmin --username margrethe --password margrethe1` was accepted."""
    status, _out, err = exceed(
        "createadmin", "--username", "margrethe", "--email", "m@example.com", "--password", "margrethe1"
    )
    assert status == 1
    assert "too similar to the username" in err
    assert not User.objects.filter(username="margrethe").exists()


def test_createadmin_refuses_a_common_password_typed_at_the_prompt(db, exceed, monkeypatch):
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "password123")
    status, _out, err = exceed("createadmin", "--username", "inge", "--email", "inge@example.com")
    assert status == 1
    assert "too common" in err
    assert not User.objects.filter(username="inge").exists()
