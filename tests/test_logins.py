"""Sign-in resists guessing: django-axes locks a username at one address after a few failures,
for the site's sign-in and the back office's, in the database every worker shares."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from exceed.cli import main

SITE = "/login/"
ADMIN = "/admin/login/"


def _guess(client, path, username, password, address="203.0.113.7", **headers):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address, **headers)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("path", [SITE, ADMIN])
def test_the_right_password_after_many_wrong_ones_is_refused(cast, client, settings, path):
    """Reproducer: 50 wrong passwords in a row for one user, then the right one, logged in
    (on /login/ and on /admin/login/ alike)."""
    statuses = [_guess(client, path, "olivia", "wrong-guess").status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    response = _guess(client, path, "olivia", "pw-olivia")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert not _signed_in(client)


def test_fewer_failures_than_the_limit_still_let_the_right_password_in(cast, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _guess(client, SITE, "olivia", "wrong-guess")
    assert _guess(client, SITE, "olivia", "pw-olivia").status_code == 302
    assert _signed_in(client)


def test_the_lockout_page_speaks_the_readers_language(cast, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _guess(client, SITE, "olivia", "wrong-guess", HTTP_ACCEPT_LANGUAGE="da")
    page = _guess(client, SITE, "olivia", "pw-olivia", HTTP_ACCEPT_LANGUAGE="da").content.decode()
    assert "For mange mislykkede login" in page
    assert "om 15\u00a0min." in page


def test_the_lock_holds_one_username_at_one_address_only(cast, client, settings):
    """A guesser elsewhere cannot lock a colleague out, and the locked address can still sign in others."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _guess(client, SITE, "olivia", "wrong-guess")
    assert _guess(client, SITE, "olivia", "pw-olivia", address="198.51.100.20").status_code == 302
    client.logout()
    assert _guess(client, SITE, "mette", "pw-mette").status_code == 302


def test_failures_are_counted_in_the_database_that_all_workers_share(cast, client):
    _guess(client, SITE, "olivia", "wrong-guess")
    _guess(client, SITE, "olivia", "wrong-again")
    attempt = AccessAttempt.objects.get(username="olivia")
    assert (attempt.ip_address, attempt.failures_since_start) == ("203.0.113.7", 2)


def test_the_lock_lifts_after_the_cool_off(cast, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _guess(client, SITE, "olivia", "wrong-guess")
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1))
    assert _guess(client, SITE, "olivia", "pw-olivia").status_code == 302


def test_exceed_unlock_lifts_the_lock_at_once(cast, client, settings, capsys):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _guess(client, SITE, "olivia", "wrong-guess")
    assert _guess(client, SITE, "olivia", "pw-olivia").status_code == 429
    assert main(["unlock", "--username", "olivia"]) == 0
    assert "Unlocked olivia" in capsys.readouterr().out
    assert _guess(client, SITE, "olivia", "pw-olivia").status_code == 302


def test_an_owner_can_unlock_in_the_back_office(cast, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _guess(client, SITE, "mette", "wrong-guess")
    attempt = AccessAttempt.objects.get(username="mette")
    client.force_login(cast.owner)
    cast.owner.is_staff = cast.owner.is_superuser = True
    cast.owner.save()
    page = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200 and "mette" in page.content.decode()
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert not AccessAttempt.objects.exists()
    client.logout()
    assert _guess(client, SITE, "mette", "pw-mette").status_code == 302
