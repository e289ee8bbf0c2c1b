import pytest
from django.urls import reverse

RESPONSES = reverse("insights:responses")
HX = {"HTTP_HX_REQUEST": "true"}


def detail(response):
    return reverse("insights:response_detail", args=[response.pk])


@pytest.mark.parametrize(
    "role, names",
    [
        ("owner", {"cph_best", "cph_worst", "aar_good", "par_good", "cph_old"}),
        ("regional", {"cph_best", "cph_worst", "aar_good", "cph_old"}),
        ("manager", {"cph_best", "cph_worst", "cph_old"}),
        ("associate", {"cph_best", "cph_old"}),
    ],
)
def test_each_role_lists_exactly_the_responses_of_its_scope(feedback, login, role, names):
    page = login(role).get(RESPONSES + "?period=all")
    listed = {response.pk for response, _named in page.context["rows"]}
    assert listed == {getattr(feedback, name).pk for name in names}


def test_the_list_honours_the_filters_and_the_expectation_outcome(cast, feedback, login):
    client = login("owner")
    below = client.get(RESPONSES + "?outcome=below").context["rows"]
    assert [response.pk for response, _ in below] == [feedback.cph_worst.pk]
    paris = client.get(f"{RESPONSES}?location={cast.par.pk}").context["rows"]
    assert [response.pk for response, _ in paris] == [feedback.par_good.pk]


def test_the_list_is_paginated(cast, feedback, login, settings):
    from exceed.insights import views

    views.PAGE_SIZE, original = 2, views.PAGE_SIZE
    try:
        client = login("owner")
        first = client.get(RESPONSES + "?period=all")
        second = client.get(RESPONSES + "?period=all&page=3")
    finally:
        views.PAGE_SIZE = original
    assert first.context["page"].paginator.num_pages == 3
    assert len(first.context["rows"]) == 2 and len(second.context["rows"]) == 1
    assert "page=2" in first.content.decode()


def test_an_htmx_request_gets_the_list_fragment_only(feedback, login):
    html = login("owner").get(RESPONSES, **HX).content.decode()
    assert "<html" not in html and "<table" in html


def test_an_associate_does_not_see_who_else_served_in_the_list(feedback, login):
    html = login("associate").get(RESPONSES + "?period=all").content.decode()
    assert "Birgitte" not in html


def test_the_detail_shows_every_question_with_its_answer(feedback, login):
    page = login("manager").get(detail(feedback.cph_best))
    html = page.content.decode()
    assert "How likely are you to come back because of today" in html
    assert "Found my size in two minutes" in html
    answers = {answer["code"]: answer["value"] for answer in page.context["answers"]}
    assert answers["return"] == "10"
    assert answers["served_by"] == "Anders Holm, Birgitte Lund"
    assert answers["contact"] == "Yes"
    assert "kunde@example.com" in html


def test_an_associate_reading_a_response_sees_their_own_name_only(feedback, login):
    page = login("associate").get(detail(feedback.cph_best))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Anders Holm" in html and "Birgitte" not in html
    assert "1 colleague" in html
    # Customer contact details are for those who follow up, not for associates.
    assert "kunde@example.com" not in html


@pytest.mark.parametrize(
    "role, name",
    [
        ("manager", "par_good"),
        ("manager", "aar_good"),
        ("regional", "par_good"),
        ("associate", "cph_worst"),
        ("associate", "aar_good"),
    ],
)
def test_a_response_outside_the_scope_is_not_found(feedback, login, role, name):
    assert login(role).get(detail(getattr(feedback, name))).status_code == 404


@pytest.mark.parametrize("role", ["shopper", "outsider"])
def test_shoppers_and_outsiders_are_refused_responses(feedback, login, role):
    client = login(role)
    assert client.get(RESPONSES).status_code == 403
    assert client.get(detail(feedback.cph_best)).status_code == 403


def test_an_answer_given_to_an_earlier_text_is_shown_with_that_text(cast, feedback, login):
    """Reproducer (issue 7, item 3): after the owner reworded the consent question, a response
    stored before read as a "Yes" to the new wording."""
    from exceed.feedback.services import question_save

    consent = cast.survey.questions.get(kind="consent")
    old_english = consent.text["en"]
    question_save(
        survey=cast.survey,
        question=consent,
        code=consent.code,
        kind=consent.kind,
        text={**consent.text, "en": "May we also send you offers?"},
    )
    page = login("manager").get(detail(feedback.cph_best) + "?lang=en", HTTP_ACCEPT_LANGUAGE="en")
    texts = {answer["code"]: answer["text"] for answer in page.context["answers"]}
    assert texts["contact"] == old_english
