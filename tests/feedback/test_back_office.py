import json

from django.core.files.uploadedfile import SimpleUploadedFile

from exceed.feedback.models import Channel, Question, Survey
from exceed.feedback.services import response_submit


def test_a_manager_creates_a_link_for_their_store_and_prints_its_qr_poster(cast, client):
    client.force_login(cast.manager)
    page = client.post(
        "/channels/",
        {
            "kind": "link",
            "survey": cast.survey.pk,
            "location": cast.cph.pk,
            "touchpoint": cast.phone.pk,
            "name": "Phone orders",
        },
    )
    channel = Channel.objects.get(name="Phone orders")
    assert page.status_code == 302
    poster = client.get(f"/channels/{channel.slug}/poster/")
    assert poster.status_code == 200 and "<svg" in poster.content.decode()
    png = client.get(f"/channels/{channel.slug}/qr.png")
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")


def test_a_manager_cannot_create_a_link_for_another_store(cast, client):
    client.force_login(cast.manager)
    page = client.post("/channels/", {"kind": "link", "survey": cast.survey.pk, "location": cast.par.pk})
    assert page.status_code == 200  # the form comes back with an error
    assert not Channel.objects.filter(location=cast.par).exclude(pk=cast.par_link.pk).exists()


def test_a_manager_sees_only_their_stores_channels(cast, client):
    client.force_login(cast.manager)
    assert client.get(f"/channels/{cast.par_link.slug}/").status_code == 404
    assert cast.par_link.slug not in client.get("/channels/").content.decode()


def test_the_survey_definition_round_trips_through_json(cast, client):
    client.force_login(cast.owner)
    exported = client.get("/surveys/visit/export.json")
    definition = json.loads(exported.content)
    assert [q["code"] for q in definition["questions"]] == [
        "return",
        "expectation",
        "difference",
        "served_by",
        "contact",
    ]
    upload = SimpleUploadedFile("visit.json", exported.content, content_type="application/json")
    client.post("/surveys/", {"file": upload, "slug": "visit-copy"})
    copy = Survey.objects.get(slug="visit-copy")
    assert copy.title == cast.survey.title
    assert list(copy.questions.values_list("code", "kind")) == list(cast.survey.questions.values_list("code", "kind"))


def test_a_broken_survey_file_is_refused_and_changes_nothing(cast, client):
    client.force_login(cast.owner)
    upload = SimpleUploadedFile(
        "bad.json",
        b'{"format": "exceed.survey/1", "slug": "x", "questions": [{"code": "a", "kind": "nope", "text": {"en": "?"}}]}',
    )
    page = client.post("/surveys/", {"file": upload})
    assert "unknown kind" in page.content.decode()
    assert not Survey.objects.filter(slug="x").exists()


def test_an_owner_adds_a_translated_choice_question(cast, client):
    client.force_login(cast.owner)
    client.post(
        "/surveys/visit/questions/new/",
        {
            "code": "visit_reason",
            "kind": "choice",
            "text_en": "Why did you come in?",
            "text_da": "Hvorfor kom du forbi?",
            "choices-TOTAL_FORMS": "2",
            "choices-INITIAL_FORMS": "0",
            "choices-0-code": "browse",
            "choices-0-label_en": "Just looking",
            "choices-0-label_da": "Bare kigge",
            "choices-1-code": "buy",
            "choices-1-label_en": "To buy",
            "choices-1-label_da": "For at købe",
        },
    )
    question = Question.objects.get(code="visit_reason")
    assert question.text == {"en": "Why did you come in?", "da": "Hvorfor kom du forbi?"}
    assert [(c.code, c.label["da"]) for c in question.choices.all()] == [
        ("browse", "Bare kigge"),
        ("buy", "For at købe"),
    ]
    assert "Hvorfor kom du forbi?" in client.get(f"/s/{cast.cph_link.slug}/").content.decode()


def test_a_question_with_answers_cannot_be_deleted(cast, client):
    response_submit(
        survey=cast.survey,
        location=cast.cph,
        raw_answers={"return": 5, "expectation": "met"},
        language="en",
        channel_kind="api",
    )
    client.force_login(cast.owner)
    question = cast.survey.questions.get(code="return")
    client.post(f"/surveys/visit/questions/{question.pk}/delete/")
    assert Question.objects.filter(pk=question.pk).exists()


def test_only_owners_edit_surveys(cast, client):
    for role in ("regional", "manager", "associate", "shopper"):
        client.force_login(cast.roles[role])
        assert client.get("/surveys/").status_code == 403


import pytest  # noqa: E402

from exceed.errors import DomainError  # noqa: E402
from exceed.feedback.services import survey_import  # noqa: E402


@pytest.mark.parametrize(
    "questions, field",
    [
        (["x"], "questions[0]"),
        ([{"code": "a b", "kind": "text", "text": {"en": "?"}}], "questions[0].code"),
        ([{"code": "a", "kind": "text", "text": "?"}], "questions[0].text"),
        (
            [{"code": "a", "kind": "choice", "text": {"en": "?"}, "choices": [{"code": "x"}, {"code": "x"}]}],
            "questions[0].choices",
        ),
        (
            [{"code": "a", "kind": "choice", "text": {"en": "?"}, "choices": [{"label": {"en": "?"}}]}],
            "questions[0].choices",
        ),
        (
            [{"code": "a", "kind": "text", "text": {"en": "?"}}, {"code": "a", "kind": "text", "text": {"en": "?"}}],
            "questions[1].code",
        ),
    ],
)
def test_a_malformed_survey_file_is_refused_naming_the_place(cast, questions, field):
    with pytest.raises(DomainError) as error:
        survey_import(definition={"format": "exceed.survey/1", "slug": "broken", "questions": questions})
    assert error.value.field == field
    assert not Survey.objects.filter(slug="broken").exists()


def test_an_overlong_email_address_is_refused_before_the_database_sees_it(cast):
    from exceed.feedback.services import response_submit

    with pytest.raises(DomainError) as error:
        response_submit(
            survey=cast.survey,
            location=cast.cph,
            language="da",
            channel_kind="api",
            raw_answers={"return": 2, "expectation": "below", "contact": "yes"},
            contact={"email": "a" * 250 + "@example.com"},
        )
    assert error.value.field == "contact_email"
