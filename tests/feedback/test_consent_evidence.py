"""Consent is evidence (issue 7, item 3): each consent keeps the wording shown, its language,
version and time; an answered question's new text is a new version."""

from exceed.feedback.models import Answer, Question, QuestionVersion, Response
from exceed.feedback.services import question_save, response_submit


def _consent(cast) -> Question:
    return cast.survey.questions.get(kind="consent")


def _answer(cast, language="da", **extra):
    return response_submit(
        survey=cast.survey,
        location=cast.cph,
        language=language,
        channel_kind="link",
        raw_answers={"return": 3, "expectation": "below", "contact": "yes", **extra},
        contact={"email": "kunde@example.com"},
    )


def _reword(question: Question, text: dict) -> Question:
    return question_save(survey=question.survey, question=question, code=question.code, kind=question.kind, text=text)


def test_a_consent_keeps_the_wording_shown_its_language_version_and_time(cast):
    consent = _consent(cast)
    response = _answer(cast, language="da")
    assert response.consent_text.startswith(consent.text["da"])
    assert (response.consent_language, response.consent_version) == ("da", 1)
    assert response.consent_at == response.submitted_at


def test_a_language_without_its_own_wording_records_the_one_actually_shown(cast):
    consent = _consent(cast)
    _reword(consent, {"en": "May we contact you about your visit?"})
    response = _answer(cast, language="fi")
    assert (response.consent_text, response.consent_language) == ("May we contact you about your visit?", "en")


def test_rewording_an_answered_consent_question_leaves_earlier_consents_to_their_own_text(cast):
    """Reproducer: an owner changed the consent question's text after 1,645 answers, and the old
    answers then read as consent to the new text (nothing kept the old one)."""
    consent = _consent(cast)
    old_text = dict(consent.text)
    before = _answer(cast)
    _reword(consent, {**old_text, "da": "Må vi også sende dig tilbud?"})
    consent.refresh_from_db()
    assert consent.version == 2
    assert QuestionVersion.objects.get(question=consent, version=1).text == old_text
    assert Answer.objects.get(response=before, question=consent).question_version == 1
    before.refresh_from_db()
    assert before.consent_text.startswith(old_text["da"]) and before.consent_version == 1

    after = _answer(cast)
    assert after.consent_text.startswith("Må vi også sende dig tilbud?") and after.consent_version == 2
    assert Answer.objects.get(response=after, question=consent).question_version == 2


def test_a_question_without_answers_is_reworded_in_place(cast):
    consent = _consent(cast)
    _reword(consent, {"en": "Can we call you?"})
    consent.refresh_from_db()
    assert consent.version == 1 and not QuestionVersion.objects.exists()


def test_saving_an_answered_question_with_its_text_unchanged_makes_no_version(cast, client):
    consent = _consent(cast)
    consent.help_text = {"en": "We only call about this visit."}
    consent.save()
    _answer(cast)
    client.force_login(cast.owner)
    form = {"code": consent.code, "kind": consent.kind, **{f"text_{code}": text for code, text in consent.text.items()}}
    page = client.post(f"/surveys/{cast.survey.slug}/questions/{consent.pk}/", form)
    assert page.status_code == 302
    consent.refresh_from_db()
    assert consent.version == 1 and consent.help_text == {"en": "We only call about this visit."}


def test_the_survey_editor_rewording_an_answered_question_makes_a_version(cast, client):
    consent = _consent(cast)
    _answer(cast)
    client.force_login(cast.owner)
    assert (
        "keep the text they were given to"
        in client.get(f"/surveys/{cast.survey.slug}/questions/{consent.pk}/").content.decode()
    )
    form = {
        "code": consent.code,
        "kind": consent.kind,
        **{f"text_{code}": text for code, text in consent.text.items()},
        "text_en": "New words",
    }
    assert client.post(f"/surveys/{cast.survey.slug}/questions/{consent.pk}/", form).status_code == 302
    consent.refresh_from_db()
    assert consent.version == 2 and consent.text["en"] == "New words"


def test_an_answer_without_consent_question_answered_stores_no_evidence(cast):
    response = response_submit(
        survey=cast.survey,
        location=cast.cph,
        language="da",
        channel_kind="link",
        raw_answers={"return": 9, "expectation": "met"},
    )
    assert Response.objects.get(pk=response.pk).consent_text == "" and response.consent_at is None
