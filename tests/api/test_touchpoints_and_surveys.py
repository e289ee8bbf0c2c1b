import pytest


@pytest.mark.parametrize("role", ["owner", "regional", "manager", "associate"])
def test_staff_list_the_touchpoints_by_code(cast, api_as, role):
    response = api_as(role).get("/touchpoints")
    assert response.status_code == 200
    codes = [touchpoint["code"] for touchpoint in response.json()]
    assert {"in-store", "phone", "email", "web"} <= set(codes)


@pytest.mark.parametrize("role", ["shopper", "outsider"])
def test_logins_without_staff_access_list_no_touchpoints_or_surveys(cast, api_as, role):
    assert api_as(role).get("/touchpoints").json() == []
    assert api_as(role).get("/surveys").json() == []
    assert api_as(role).get("/surveys/visit").status_code == 404


@pytest.mark.parametrize("role", ["owner", "manager", "associate"])
def test_surveys_are_listed_with_their_questions_codes_kinds_and_translations(cast, api_as, role):
    response = api_as(role).get("/surveys")
    assert response.status_code == 200
    (visit,) = response.json()
    assert visit["slug"] == "visit"
    questions = {question["code"]: question for question in visit["questions"]}
    assert [question["code"] for question in visit["questions"]] == [
        "return",
        "expectation",
        "difference",
        "served_by",
        "contact",
    ]
    assert questions["return"]["kind"] == "return_likelihood" and questions["return"]["required"]
    assert set(questions["return"]["text"]) == {"en", "da", "fr", "et", "fi"}


def test_a_choice_question_lists_its_choices_in_order(cast, api_as):
    from exceed.feedback.models import Choice, Question

    question = Question.objects.create(
        survey=cast.survey, code="visit_reason", kind="choice", text={"en": "Why?"}, position=9
    )
    Choice.objects.create(question=question, code="browse", label={"en": "Browsing"}, position=2)
    Choice.objects.create(question=question, code="buy", label={"en": "Buying", "da": "Købe"}, position=1)
    response = api_as("owner").get("/surveys/visit")
    question = next(q for q in response.json()["questions"] if q["code"] == "visit_reason")
    assert question["choices"] == [
        {"code": "buy", "label": {"en": "Buying", "da": "Købe"}},
        {"code": "browse", "label": {"en": "Browsing"}},
    ]


def test_listing_surveys_takes_a_fixed_number_of_queries(cast, api_as, django_assert_max_num_queries):
    from exceed.feedback.services import survey_export, survey_import

    for n in range(5):
        survey_import(definition=survey_export(survey=cast.survey), slug=f"copy-{n}")
    caller = api_as("owner")
    caller.get("/surveys")  # warm: the token's last-used stamp
    with django_assert_max_num_queries(8):
        assert len(caller.get("/surveys").json()) == 6


def test_an_unknown_survey_is_not_found(cast, api_as):
    assert api_as("owner").get("/surveys/nope").status_code == 404
