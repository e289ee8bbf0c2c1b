"""The public survey page rendered once and kept (exceed.feedback.survey_page): every visitor gets
their own CSRF token, and whatever the page shows is fresh on the next visit after it changed."""

import re

from django.test import Client

from exceed.feedback import survey_page
from exceed.feedback.models import Response
from exceed.feedback.services import question_save, survey_update
from exceed.org.services import person_create


def _path(channel):
    return f"/s/{channel.slug}/"


def _token(page) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)


def _without_token(page) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.content.decode())


def test_each_visitor_gets_their_own_token_and_each_is_accepted(cast):
    survey_page._pages.clear()  # an earlier test's identical page may be kept
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    page_one, page_two = first.get(_path(cast.cph_link)), second.get(_path(cast.cph_link))
    assert page_one.status_code == page_two.status_code == 200
    assert "feedback/survey.html" in [template.name for template in page_one.templates]
    assert page_two.templates == []  # the second came from the cache
    assert _without_token(page_one) == _without_token(page_two)
    assert page_one.cookies["csrftoken"].value != page_two.cookies["csrftoken"].value
    for browser, page in ((first, page_one), (second, page_two)):
        answer = {"q_return": "8", "q_expectation": "met", "csrfmiddlewaretoken": _token(page)}
        assert browser.post(_path(cast.cph_link), answer).status_code == 302
    # Each page's token belongs to its own visitor's cookie: another visitor cannot use it.
    crossed = {"q_return": "8", "q_expectation": "met", "csrfmiddlewaretoken": _token(page_one)}
    third = Client(enforce_csrf_checks=True)
    third.get(_path(cast.cph_link))
    assert third.post(_path(cast.cph_link), crossed).status_code == 403
    assert Response.objects.count() == 2


def test_a_changed_question_shows_on_the_next_visit(cast, client):
    assert "How likely are you to come back" in client.get(_path(cast.cph_link) + "?lang=en").content.decode()
    question = cast.survey.questions.get(code="return")
    question_save(
        survey=cast.survey,
        question=question,
        code=question.code,
        kind=question.kind,
        text={**question.text, "en": "Will you visit us again?"},
        required=question.required,
        anchor_low=question.anchor_low,
        anchor_high=question.anchor_high,
    )
    page = client.get(_path(cast.cph_link) + "?lang=en").content.decode()
    assert "Will you visit us again?" in page and "How likely are you to come back" not in page


def test_a_changed_title_and_a_new_colleague_show_on_the_next_visit(cast, client):
    client.get(_path(cast.cph_link) + "?lang=en")
    survey_update(
        survey=cast.survey,
        title={**cast.survey.title, "en": "Tell us about today"},
        intro=cast.survey.intro,
        thanks=cast.survey.thanks,
        active=True,
    )
    person_create(name="Niels Ny", locations=[cast.cph], shown_to_customers=True)
    page = client.get(_path(cast.cph_link) + "?lang=en").content.decode()
    assert "Tell us about today" in page and "Niels Ny" in page


def test_each_language_and_each_store_has_its_own_page(cast, client):
    danish = client.get(_path(cast.cph_link) + "?lang=da").content.decode()
    english = client.get(_path(cast.cph_link) + "?lang=en").content.decode()
    paris = client.get(_path(cast.par_link) + "?lang=en").content.decode()
    assert "Hvor sandsynligt" in danish and 'lang="da"' in danish
    assert "Hvor sandsynligt" not in english and 'lang="en"' in english
    assert cast.cph.name in english and cast.par.name in paris and cast.cph.name not in paris


def test_nothing_of_a_signed_in_visitor_stays_in_the_page_others_get(cast, client):
    client.force_login(cast.owner)
    signed_in = client.get(_path(cast.cph_link) + "?lang=en")
    anonymous = Client().get(_path(cast.cph_link) + "?lang=en")
    assert _without_token(signed_in) == _without_token(anonymous)
    assert cast.owner.username not in anonymous.content.decode()
