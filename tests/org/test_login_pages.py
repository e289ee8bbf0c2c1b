"""The Logins pages: invite by email (real SMTP), choose a password, edit, deactivate."""

import re

from django.contrib.auth.models import User
from django.test import RequestFactory

from exceed.api.models import ApiToken
from exceed.org.models import Role
from exceed.org.services import user_create


def _link_in(inbox, message) -> str:
    return re.search(r"http://\S+/welcome/\S+/", inbox.text_of(message)).group(0).split("127.0.0.1:8000", 1)[-1]


def _paris_manager(cast):
    return user_create(
        username="pierre",
        email="pierre@example.fr",
        password="pw-pierre",
        role=Role.LOCATION_MANAGER,
        locations=[cast.par],
        person=cast.claire,
    )


def test_an_owner_invites_an_associate_who_gets_a_danish_email_and_chooses_a_password(cast, client, smtp_inbox):
    client.force_login(cast.owner)
    answer = client.post(
        "/logins/new/",
        {"username": "birgitte", "email": "birgitte@example.com", "role": "associate", "person": cast.birgitte.pk},
    )
    assert answer.status_code == 302, answer.content.decode()

    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["To"] == "birgitte@example.com"
    body = smtp_inbox.text_of(message)
    assert "birgitte" in body and "Vælg din adgangskode her" in body  # Copenhagen's language, Danish

    client.logout()
    link = _link_in(smtp_inbox, message)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and "birgitte" in form_page.content.decode()
    set_password = form_page.redirect_chain[-1][0] if form_page.redirect_chain else link
    done = client.post(set_password, {"new_password1": "a-long-passphrase-42", "new_password2": "a-long-passphrase-42"})
    assert done.status_code == 302
    assert client.login(request=RequestFactory().post("/login/"), username="birgitte", password="a-long-passphrase-42")
    # The link works once.
    client.logout()
    assert "no longer works" in client.get(link, follow=True).content.decode()


def test_the_invitation_goes_in_the_language_the_inviter_chose(cast, client, smtp_inbox):
    client.force_login(cast.owner)
    client.post(
        "/logins/new/",
        {
            "username": "lene",
            "email": "lene@example.com",
            "role": "location_manager",
            "locations": [cast.par.pk],
            "language": "fi",
        },
    )
    assert "Valitse salasanasi" in smtp_inbox.text_of(smtp_inbox.messages[0])


def test_a_refused_grant_is_a_form_error_in_the_users_language_and_nothing_is_saved(cast, client, smtp_inbox):
    client.force_login(cast.regional)
    client.post("/i18n/setlang/", {"language": "fr"})
    answer = client.post("/logins/new/", {"username": "lene", "email": "lene@example.com", "role": "location_manager"})
    assert answer.status_code == 200
    assert "Un responsable de magasin a besoin d&#x27;au moins un magasin." in answer.content.decode()
    assert not User.objects.filter(username="lene").exists() and smtp_inbox.messages == []


def test_a_regional_manager_is_not_offered_paris_or_the_owner_role(cast, client):
    client.force_login(cast.regional)
    page = client.get("/logins/new/").content.decode()
    assert "Copenhagen" in page and "Paris" not in page
    assert 'value="owner"' not in page and 'value="mystery_shopper"' not in page


def test_a_forged_post_for_paris_is_refused_like_the_form(cast, client):
    client.force_login(cast.regional)
    answer = client.post(
        "/logins/new/",
        {"username": "lene", "email": "lene@example.com", "role": "location_manager", "locations": [cast.par.pk]},
    )
    assert answer.status_code == 200
    assert not User.objects.filter(username="lene").exists()


def test_a_regional_manager_lists_the_logins_of_their_region_only(cast, client):
    pierre = _paris_manager(cast)
    client.force_login(cast.regional)
    page = client.get("/logins/").content.decode()
    assert "mette" in page and "anders" in page
    assert "pierre" not in page and "olivia" not in page
    assert client.get(f"/logins/{pierre.pk}/").status_code == 404
    client.force_login(cast.owner)
    assert "pierre" in client.get("/logins/").content.decode()


def test_an_owner_edits_a_logins_role_and_scope_on_its_page(cast, client):
    client.force_login(cast.owner)
    page = client.get(f"/logins/{cast.manager.pk}/").content.decode()
    assert "mette@example.com" in page
    answer = client.post(
        f"/logins/{cast.manager.pk}/",
        {"email": "mette@example.com", "role": "regional_manager", "regions": [cast.south.pk]},
    )
    assert answer.status_code == 302
    cast.manager.membership.refresh_from_db()
    assert cast.manager.membership.role == Role.REGIONAL_MANAGER
    assert list(cast.manager.membership.regions.all()) == [cast.south]


def test_a_deactivated_login_cannot_sign_in_and_its_token_stops_at_once(cast, client):
    key = ApiToken.issue(user=cast.manager, name="till")[1]
    api = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get("/api/v1/locations", **api).status_code == 200
    client.force_login(cast.regional)
    assert client.post(f"/logins/{cast.manager.pk}/active/", {"active": "0"}).status_code == 302
    client.logout()
    assert client.get("/api/v1/locations", **api).status_code == 401
    assert not client.login(request=RequestFactory().post("/login/"), username="mette", password="pw-mette")

    client.force_login(cast.regional)
    client.post(f"/logins/{cast.manager.pk}/active/", {"active": "1"})
    assert client.get("/api/v1/locations", **api).status_code == 200


def test_nobody_can_deactivate_themselves_on_the_page(cast, client):
    client.force_login(cast.owner)
    assert client.post(f"/logins/{cast.owner.pk}/active/", {"active": "0"}).status_code == 404
    cast.owner.refresh_from_db()
    assert cast.owner.is_active


def test_an_owner_sends_a_password_link_again(cast, client, smtp_inbox):
    client.force_login(cast.owner)
    client.post(f"/logins/{cast.manager.pk}/invite/")
    assert [message["To"] for message in smtp_inbox.messages] == ["mette@example.com"]
    assert "/welcome/" in smtp_inbox.text_of(smtp_inbox.messages[0])


def test_a_mail_server_that_is_down_leaves_the_login_and_says_so(cast, client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    client.force_login(cast.owner)
    answer = client.post(
        "/logins/new/", {"username": "lene", "email": "lene@example.com", "role": "owner"}, follow=True
    )
    assert "could not be sent" in answer.content.decode()
    assert User.objects.filter(username="lene").exists()


def test_managers_below_regional_see_no_logins_page(cast, client):
    for role in ("manager", "associate", "shopper", "outsider"):
        client.force_login(cast.roles[role])
        assert client.get("/logins/").status_code == 403
        assert (
            client.post("/logins/new/", {"username": "x", "email": "x@example.com", "role": "owner"}).status_code == 403
        )
    assert not User.objects.filter(username="x").exists()


def test_the_language_chosen_for_a_login_is_kept_for_its_emails(cast, client, smtp_inbox):
    from exceed.org.models import Membership

    client.force_login(cast.owner)
    client.post(
        "/logins/new/",
        {
            "username": "lene",
            "email": "lene@example.com",
            "role": "location_manager",
            "locations": [cast.cph.pk],
            "language": "fi",
        },
    )
    lene = Membership.objects.get(user__username="lene")
    assert lene.language == "fi"
    page = client.get(f"/logins/{lene.user_id}/").content.decode()
    assert '<option value="fi" selected>' in page
    answer = client.post(
        f"/logins/{lene.user_id}/",
        {"email": "lene@example.com", "role": "location_manager", "locations": [cast.cph.pk], "language": "et"},
    )
    assert answer.status_code == 302
    lene.refresh_from_db()
    assert lene.language == "et"
    refused = client.post(
        f"/logins/{lene.user_id}/",
        {"email": "lene@example.com", "role": "location_manager", "locations": [cast.cph.pk], "language": "xx"},
    )
    assert refused.status_code == 200 and "xx" in refused.content.decode()
    lene.refresh_from_db()
    assert lene.language == "et"
