"""Forgotten passwords: a link by email (real SMTP), in the language the person asked in."""

import re

from django.contrib.auth.models import User
from django.test import RequestFactory


def test_a_forgotten_password_is_reset_through_an_emailed_link(cast, client, smtp_inbox):
    client.post("/i18n/setlang/", {"language": "et"})
    answer = client.post("/password-reset/", {"email": "mette@example.com"})
    assert answer.status_code == 302
    assert len(smtp_inbox.messages) == 1
    body = smtp_inbox.text_of(smtp_inbox.messages[0])
    assert "mette" in body and "Valige uus parool siin" in body
    link = re.search(r"http://\S+/password-reset/\S+/", body).group(0).split("127.0.0.1:8000", 1)[-1]
    form = client.get(link, follow=True)
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "another-passphrase-7", "new_password2": "another-passphrase-7"}
    )
    assert done.status_code == 302
    assert client.login(request=RequestFactory().post("/login/"), username="mette", password="another-passphrase-7")


def test_an_unknown_address_gets_the_same_answer_and_no_email(db, client, smtp_inbox):
    answer = client.post("/password-reset/", {"email": "nobody@example.com"})
    assert answer.status_code == 302 and smtp_inbox.messages == []


def test_a_deactivated_login_gets_no_reset_email(cast, client, smtp_inbox):
    User.objects.filter(pk=cast.manager.pk).update(is_active=False)
    client.post("/password-reset/", {"email": "mette@example.com"})
    assert smtp_inbox.messages == []


def test_the_sign_in_page_links_to_the_reset(db, client):
    assert "/password-reset/" in client.get("/login/").content.decode()
