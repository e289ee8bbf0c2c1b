import re

import pytest
from django.contrib.auth.models import User
from django.test import RequestFactory

from exceed.org.models import Role
from exceed.org.scopes import scope_for


@pytest.fixture
def create_user(exceed):
    """`exceed user create` for ``username`` (email ``<username>@example.com``) with ``role`` and
    whatever else the test names; returns (exit status, stdout, stderr)."""

    def run(username, role, *rest):
        return exceed(
            "user", "create", "--username", username, "--email", f"{username}@example.com", "--role", role, *rest
        )

    return run


def _link(out: str) -> str:
    return re.search(r"http://\S+/welcome/\S+/", out).group(0).split("127.0.0.1:8000", 1)[-1]


def test_a_location_manager_is_created_with_a_link_to_choose_a_password(cast, create_user, client):
    status, out, err = create_user("lene", "location_manager", "--location", "cph", "aar")
    assert status == 0, err
    user = User.objects.get(username="lene")
    assert scope_for(user).location_ids == {cast.cph.pk, cast.aar.pk}
    assert not user.has_usable_password()

    form = client.get(_link(out), follow=True)
    client.post(
        form.redirect_chain[-1][0], {"new_password1": "a-long-passphrase-42", "new_password2": "a-long-passphrase-42"}
    )
    assert client.login(request=RequestFactory().post("/login/"), username="lene", password="a-long-passphrase-42")


def test_a_regional_manager_gets_regions_and_an_associate_their_person(cast, create_user):
    assert create_user("rm", "regional_manager", "--region", "south")[0] == 0
    assert scope_for(User.objects.get(username="rm")).location_ids == {cast.par.pk}
    assert create_user("lm", "location_manager", "--location", "cph", "--location", "par")[0] == 0
    assert scope_for(User.objects.get(username="lm")).location_ids == {cast.cph.pk, cast.par.pk}
    cast.birgitte.external_ref = "E-204"
    cast.birgitte.save()
    assert create_user("birgitte", "associate", "--person", "E-204")[0] == 0
    assert scope_for(User.objects.get(username="birgitte")).person_id == cast.birgitte.pk


def test_the_invitation_is_emailed_in_the_stores_language_when_asked(cast, create_user, smtp_inbox):
    status, out, err = create_user("lene", "location_manager", "--location", "par", "--send-invitation")
    assert status == 0, err
    assert "/welcome/" not in out and "lene@example.com" in out
    assert [message["To"] for message in smtp_inbox.messages] == ["lene@example.com"]
    assert "Choisissez votre mot de passe ici" in smtp_inbox.text_of(smtp_inbox.messages[0])


def test_an_unknown_location_is_named_and_nothing_is_created(cast, create_user):
    status, out, err = create_user("lene", "location_manager", "--location", "cph", "osl")
    assert status == 1 and "'osl'" in err and out == ""
    assert not User.objects.filter(username="lene").exists()


def test_an_unknown_role_region_or_person_is_named(cast, create_user):
    status, _out, err = create_user("x", "boss")
    assert status == 1 and "'boss'" in err and "location_manager" in err
    status, _out, err = create_user("x", "regional_manager", "--region", "west")
    assert status == 1 and "'west'" in err
    status, _out, err = create_user("x", "associate", "--person", "E-999")
    assert status == 1 and "'E-999'" in err
    assert not User.objects.filter(username="x").exists()


def test_a_role_without_its_scope_is_refused(cast, create_user):
    status, _out, err = create_user("x", "location_manager")
    assert status == 1 and "location" in err
    assert not User.objects.filter(username="x").exists()


def test_a_password_cannot_be_given_on_the_command_line(cast, create_user):
    with pytest.raises(SystemExit) as refused:
        create_user("x", "owner", "--password", "secret")
    assert refused.value.code == 2
    assert not User.objects.filter(username="x").exists()


def test_an_owner_created_here_reaches_the_back_office(cast, create_user):
    create_user("co-owner", "owner")
    user = User.objects.get(username="co-owner")
    assert user.is_staff and user.membership.role == Role.OWNER
