from exceed.feedback.models import Survey
from exceed.feedback.services import response_submit


def test_the_admin_cannot_flip_whether_a_survey_counts_in_the_measures(cast, client):
    client.force_login(cast.owner)
    cast.owner.is_staff = cast.owner.is_superuser = True
    cast.owner.save()
    page = client.get(f"/admin/feedback/survey/{cast.survey.pk}/change/")
    assert page.status_code == 200
    assert 'name="in_measures"' not in page.content.decode()


def test_the_admin_keeps_the_code_and_kind_of_an_answered_question(cast, client):
    cast.owner.is_staff = cast.owner.is_superuser = True
    cast.owner.save()
    client.force_login(cast.owner)
    question = cast.survey.questions.get(code="return")
    assert 'name="code"' in client.get(f"/admin/feedback/question/{question.pk}/change/").content.decode()
    response_submit(survey=cast.survey, location=cast.cph, raw_answers={"return": 7, "expectation": "met"}, language="da", channel_kind="api")
    assert 'name="code"' not in client.get(f"/admin/feedback/question/{question.pk}/change/").content.decode()
    assert Survey.objects.get(pk=cast.survey.pk).in_measures
