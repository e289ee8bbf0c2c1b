"""The survey builder: a new survey, its questions and options, translations side by side, the
phone preview, and publishing only once every offered language is complete (issue 8, item 2)."""

import pytest

from exceed.errors import DomainError
from exceed.feedback import selectors
from exceed.feedback.models import DailyMeasure, Question, QuestionKind, QuestionVersion, Response, Survey
from exceed.feedback.services import channel_create, question_save, response_submit, survey_create

CHOICE_ROWS = {"choices-TOTAL_FORMS": "0", "choices-INITIAL_FORMS": "0"}


def _rows(*rows) -> dict:
    """Posted option rows: (code, {language: text}) each."""
    data = {"choices-TOTAL_FORMS": str(len(rows)), "choices-INITIAL_FORMS": "0"}
    for index, (code, labels) in enumerate(rows):
        data[f"choices-{index}-code"] = code
        data.update({f"choices-{index}-label_{language}": text for language, text in labels.items()})
    return data


@pytest.fixture
def draft(cast):
    """A draft in English and Danish with one question, translated into English only."""
    survey = survey_create(title={"en": "After your repair", "da": "Efter din reparation"}, languages=["en", "da"])
    question_save(survey=survey, code="fixed", kind=QuestionKind.CSAT, text={"en": "How satisfied are you?"})
    return survey


def test_an_owner_creates_a_draft_survey_in_two_languages(cast, client):
    client.force_login(cast.owner)
    assert "/surveys/new/" in client.get("/surveys/").content.decode()
    page = client.post(
        "/surveys/new/", {"title": "Delivery", "languages": ["en", "da"], "default_language": "en", "slug": ""}
    )
    survey = Survey.objects.get(slug="delivery")
    assert page.status_code == 302 and page["Location"] == "/surveys/delivery/"
    assert (survey.title, survey.languages, survey.active) == ({"en": "Delivery"}, ["en", "da"], False)


def test_a_new_survey_needs_a_language(cast, client):
    client.force_login(cast.owner)
    page = client.post("/surveys/new/", {"title": "Delivery", "default_language": "en"}, HTTP_ACCEPT_LANGUAGE="da")
    assert page.status_code == 200 and "Dette felt er påkrævet" in page.content.decode()
    assert not Survey.objects.filter(slug="delivery").exists()


def test_the_default_language_must_be_one_offered(cast, client):
    client.force_login(cast.owner)
    page = client.post("/surveys/new/", {"title": "Delivery", "languages": ["da"], "default_language": "fr"})
    assert "The default language must be one the survey offers." in page.content.decode()
    assert not Survey.objects.exists() or not Survey.objects.filter(slug="delivery").exists()


@pytest.mark.parametrize("kind", QuestionKind.values)
def test_an_owner_adds_a_question_of_each_kind(cast, client, draft, kind):
    client.force_login(cast.owner)
    assert f'value="{kind}"' in client.get("/surveys/" + draft.slug + "/").content.decode()
    options = (
        _rows(("a", {"en": "A", "da": "A"}), ("b", {"en": "B", "da": "B"}))
        if kind in ("choice", "multi_choice")
        else CHOICE_ROWS
    )
    page = client.post(
        f"/surveys/{draft.slug}/questions/new/",
        {"kind": kind, "code": "", "text_en": "Well?", "text_da": "Nå?", "help_da": "Sig det", **options},
    )
    assert page.status_code == 302
    question = draft.questions.get(kind=kind) if kind != "csat" else draft.questions.get(code="csat")
    assert (question.text, question.help_text) == ({"en": "Well?", "da": "Nå?"}, {"da": "Sig det"})
    assert list(draft.questions.order_by("position").values_list("code", flat=True))[-1] == question.code
    if kind in ("choice", "multi_choice"):
        assert [(c.code, c.label) for c in question.choices.all()] == [
            ("a", {"en": "A", "da": "A"}),
            ("b", {"en": "B", "da": "B"}),
        ]


def test_the_kind_chosen_on_the_survey_page_is_preselected(cast, client, draft):
    client.force_login(cast.owner)
    page = client.get(f"/surveys/{draft.slug}/questions/new/?kind=text").content.decode()
    assert '<option value="text" selected>' in page
    # Only the survey's two languages have a column.
    assert 'name="text_da"' in page and 'name="text_fr"' not in page


def test_options_are_rows_with_a_text_per_language_and_more_rows_come_without_script(cast, client, draft):
    client.force_login(cast.owner)
    form = {"kind": "choice", "code": "reason", "text_en": "Why?", "text_da": "Hvorfor?"}
    more = client.post(
        f"/surveys/{draft.slug}/questions/new/", {**form, **_rows(("buy", {"en": "To buy"})), "more_choices": "1"}
    )
    assert more.status_code == 200 and 'name="choices-3-code"' in more.content.decode()
    assert not draft.questions.filter(code="reason").exists()
    client.post(
        f"/surveys/{draft.slug}/questions/new/",
        {**form, **_rows(("buy", {"en": "To buy", "da": "For at købe"}), ("", {}), ("look", {"en": "To look"}))},
    )
    question = draft.questions.get(code="reason")
    assert [(c.code, c.label) for c in question.choices.all()] == [
        ("buy", {"en": "To buy", "da": "For at købe"}),
        ("look", {"en": "To look"}),
    ]


def test_two_options_with_one_code_are_refused_in_the_owners_language(cast, client, draft):
    client.force_login(cast.owner)
    page = client.post(
        f"/surveys/{draft.slug}/questions/new/",
        {"kind": "choice", "code": "reason", "text_en": "Why?", **_rows(("buy", {"en": "A"}), ("buy", {"en": "B"}))},
        HTTP_ACCEPT_LANGUAGE="da",
    )
    assert page.status_code == 400
    assert "To svarmuligheder har koden »buy«" in page.content.decode()
    assert not draft.questions.filter(code="reason").exists()


def test_an_option_without_text_is_refused_in_the_owners_language(cast, client, draft):
    client.force_login(cast.owner)
    page = client.post(
        f"/surveys/{draft.slug}/questions/new/",
        {"kind": "choice", "code": "reason", "text_en": "Why?", **_rows(("buy", {"en": "", "da": ""}))},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert page.status_code == 400
    assert "Donnez à cette option un texte dans au moins une langue." in page.content.decode()
    assert not draft.questions.filter(code="reason").exists()


def test_a_choice_question_without_options_is_refused(cast, client, draft):
    client.force_login(cast.owner)
    page = client.post(
        f"/surveys/{draft.slug}/questions/new/", {"kind": "choice", "code": "reason", "text_en": "Why?", **CHOICE_ROWS}
    )
    assert page.status_code == 400 and "A choice question needs at least one option." in page.content.decode()


def test_questions_move_up_and_down_with_and_without_htmx(cast, client, draft):
    question_save(survey=draft, code="why", kind=QuestionKind.TEXT, text={"en": "Why?"})
    client.force_login(cast.owner)
    why = draft.questions.get(code="why")
    page = client.post(f"/surveys/{draft.slug}/questions/{why.pk}/up/")
    assert page.status_code == 302
    assert list(draft.questions.order_by("position").values_list("code", flat=True)) == ["why", "fixed"]
    swapped = client.post(f"/surveys/{draft.slug}/questions/{why.pk}/down/", HTTP_HX_REQUEST="true")
    body = swapped.content.decode()
    assert swapped.status_code == 200 and body.startswith('<div id="builder"') and "<html" not in body
    assert body.index('id="question-fixed"') < body.index('id="question-why"')


def test_a_question_without_answers_is_removed(cast, client, draft):
    client.force_login(cast.owner)
    question = draft.questions.get(code="fixed")
    client.post(f"/surveys/{draft.slug}/questions/{question.pk}/delete/")
    assert not Question.objects.filter(pk=question.pk).exists()


def test_a_question_with_answers_is_archived_not_deleted_and_its_answers_stay_in_the_figures(cast, client):
    response_submit(
        survey=cast.survey,
        location=cast.cph,
        raw_answers={"return": 9, "expectation": "met"},
        language="en",
        channel_kind="api",
    )
    before = DailyMeasure.objects.filter(person_id=0).values_list("return_n", "return_promoters").get()
    question = cast.survey.questions.get(code="return")
    client.force_login(cast.owner)
    page = client.post(f"/surveys/visit/questions/{question.pk}/delete/", HTTP_HX_REQUEST="true")
    body = page.content.decode()
    assert "it was archived" in body and 'id="archived-return"' in body and 'id="question-return"' not in body
    question.refresh_from_db()
    assert question.archived_at is not None and question.answers.count() == 1
    assert DailyMeasure.objects.filter(person_id=0).values_list("return_n", "return_promoters").get() == before
    # Asked no more: not on the respondent's page, and an answer to it is refused as to an unknown question.
    assert 'name="q_return"' not in client.get(f"/s/{cast.cph_link.slug}/").content.decode()
    with pytest.raises(DomainError, match="Unknown question code: return"):
        response_submit(
            survey=cast.survey,
            location=cast.cph,
            raw_answers={"return": 5, "expectation": "met"},
            language="en",
            channel_kind="api",
        )
    # And it comes back, as the last question.
    client.post(f"/surveys/visit/questions/{question.pk}/restore/")
    question.refresh_from_db()
    assert question.archived_at is None
    assert list(cast.survey.questions.order_by("position").values_list("code", flat=True))[-1] == "return"


def test_an_option_that_answers_were_given_to_stays(cast, client, draft):
    question = question_save(
        survey=draft, code="reason", kind="choice", text={"en": "Why?"}, choices=[("buy", {"en": "To buy"})]
    )
    draft.active = True  # answers come only to a published survey
    draft.save(update_fields=["active"])
    response_submit(survey=draft, location=cast.cph, raw_answers={"reason": "buy"}, language="en", channel_kind="api")
    client.force_login(cast.owner)
    page = client.post(
        f"/surveys/{draft.slug}/questions/{question.pk}/",
        {"kind": "choice", "code": "reason", "text_en": "Why?", **_rows(("look", {"en": "To look"}))},
    )
    assert page.status_code == 400 and "the option buy cannot be removed" in page.content.decode()
    assert list(question.choices.values_list("code", flat=True)) == ["buy"]


def test_completeness_counts_each_offered_language(cast, client, draft):
    question_save(
        survey=draft,
        code="reason",
        kind="choice",
        text={"en": "Why?", "da": "Hvorfor?"},
        choices=[("buy", {"en": "To buy"}), ("look", {"en": "To look", "da": "For at kigge"})],
    )
    counts = {language.code: (language.done, language.total) for language in selectors.survey_completeness(draft)}
    # The title, two question texts and two options.
    assert counts == {"en": (5, 5), "da": (3, 5)}
    client.force_login(cast.owner)
    for path in (f"/surveys/{draft.slug}/", f"/surveys/{draft.slug}/translations/"):
        assert "3 of 5 texts translated" in client.get(path).content.decode()


def test_publishing_is_refused_while_a_language_misses_a_text_naming_question_and_language(cast, client, draft):
    client.force_login(cast.owner)
    page = client.post(f"/surveys/{draft.slug}/status/publish/", follow=True)
    draft.refresh_from_db()
    assert draft.active is False
    assert "Missing in Danish: Question &quot;fixed&quot;." in page.content.decode()
    link = channel_create(survey=draft, location=cast.cph)
    assert client.get(f"/s/{link.slug}/").status_code == 404


def test_filling_the_missing_language_side_by_side_lets_the_survey_be_published(cast, client, draft):
    client.force_login(cast.owner)
    question = draft.questions.get(code="fixed")
    page = client.get(f"/surveys/{draft.slug}/translations/").content.decode()
    assert f'name="t_q{question.pk}.text_da"' in page and 'name="t_title_fr"' not in page
    # An introduction not yet written can be given here, and does not count until it is.
    assert 'name="t_intro_da"' in page and "1 of 2 texts translated" in page
    client.post(
        f"/surveys/{draft.slug}/translations/",
        {
            "t_title_en": "After your repair",
            "t_title_da": "Efter din reparation",
            f"t_q{question.pk}.text_en": "How satisfied are you?",
            f"t_q{question.pk}.text_da": "Hvor tilfreds er du?",
        },
    )
    question.refresh_from_db()
    assert question.text == {"en": "How satisfied are you?", "da": "Hvor tilfreds er du?"}
    client.post(f"/surveys/{draft.slug}/status/publish/")
    draft.refresh_from_db()
    assert draft.active is True
    link = channel_create(survey=draft, location=cast.cph)
    assert "Hvor tilfreds er du?" in client.get(f"/s/{link.slug}/?lang=da").content.decode()


def test_translating_an_answered_question_keeps_the_wording_its_answers_were_given_to(cast, client, draft):
    draft.active = True
    draft.save(update_fields=["active"])
    response_submit(survey=draft, location=cast.cph, raw_answers={"fixed": 4}, language="en", channel_kind="api")
    question = draft.questions.get(code="fixed")
    client.force_login(cast.owner)
    client.post(
        f"/surveys/{draft.slug}/translations/",
        {"t_title_en": "After your repair", f"t_q{question.pk}.text_en": "How happy are you?"},
    )
    assert QuestionVersion.objects.get(question=question).text == {"en": "How satisfied are you?"}


def test_the_phone_preview_shows_the_respondent_page_in_each_language_and_stores_nothing(cast, client, draft):
    draft.questions.update(text={"en": "How satisfied are you?", "da": "Hvor tilfreds er du?"})
    client.force_login(cast.owner)
    phone = client.get(f"/surveys/{draft.slug}/phone/?lang=da").content.decode()
    assert f'src="/surveys/{draft.slug}/preview/?lang=da"' in phone
    preview = client.get(f"/surveys/{draft.slug}/preview/?lang=da")
    body = preview.content.decode()
    assert 'lang="da"' in body and "Hvor tilfreds er du?" in body and "Efter din reparation" in body
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in preview["Content-Security-Policy"]
    assert client.post(f"/surveys/{draft.slug}/preview/?lang=da", {"q_fixed": "5"}).status_code == 405
    assert not Response.objects.exists()


def test_the_respondent_page_offers_only_the_surveys_languages(cast, client, draft):
    draft.questions.update(text={"en": "How satisfied are you?", "da": "Hvor tilfreds er du?"})
    draft.active = True
    draft.save()
    link = channel_create(survey=draft, location=cast.cph)
    page = client.get(f"/s/{link.slug}/").content.decode()
    assert 'hreflang="da"' in page and 'hreflang="fi"' not in page


@pytest.mark.parametrize("role", ["regional", "manager", "associate", "shopper", "outsider"])
def test_only_owners_build_surveys(cast, client, draft, role):
    client.force_login(cast.roles[role])
    for path in ("new/", f"{draft.slug}/translations/", f"{draft.slug}/phone/", f"{draft.slug}/preview/"):
        assert client.get("/surveys/" + path).status_code == 403
    assert client.post(f"/surveys/{draft.slug}/status/publish/").status_code == 403


def test_the_api_tells_the_languages_a_survey_offers(cast, client, draft):
    from exceed.api.models import ApiToken

    token = ApiToken.issue(user=cast.owner)[1]
    body = client.get(f"/api/v1/surveys/{draft.slug}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert body["languages"] == ["en", "da"] and body["active"] is False


def test_a_scales_anchors_are_shown_under_its_ends_and_count_as_texts(cast, client, draft):
    client.force_login(cast.owner)
    question = draft.questions.get(code="fixed")
    client.post(
        f"/surveys/{draft.slug}/questions/{question.pk}/",
        {
            "kind": "csat",
            "code": "fixed",
            "text_en": "How satisfied are you?",
            "text_da": "Hvor tilfreds er du?",
            "low_en": "Not at all satisfied",
            "high_en": "Extremely satisfied",
            "low_da": "Slet ikke tilfreds",
            **CHOICE_ROWS,
        },
    )
    question.refresh_from_db()
    assert (question.anchor_low, question.anchor_high) == (
        {"en": "Not at all satisfied", "da": "Slet ikke tilfreds"},
        {"en": "Extremely satisfied"},
    )
    danish = {language.code: language for language in selectors.survey_completeness(draft)}["da"]
    assert danish.missing == ['High end of "fixed"']
    preview = client.get(f"/surveys/{draft.slug}/preview/?lang=da").content.decode()
    assert "1 = Slet ikke tilfreds" in preview and "5 = Extremely satisfied" in preview
    assert 'aria-describedby="anchors-fixed"' in preview


def test_a_published_survey_that_gains_a_language_warns_the_owner(cast, client):
    client.force_login(cast.owner)
    cast.survey.languages = ["en", "da"]
    cast.survey.save()
    assert "published but incomplete" not in client.get("/surveys/visit/").content.decode()
    question_save(survey=cast.survey, code="extra", kind=QuestionKind.TEXT, text={"en": "Anything else?"})
    assert "The survey is published but incomplete in Danish" in client.get("/surveys/visit/").content.decode()
