from exceed.feedback.models import Channel, Survey
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
    response_submit(
        survey=cast.survey,
        location=cast.cph,
        raw_answers={"return": 7, "expectation": "met"},
        language="da",
        channel_kind="api",
    )
    assert 'name="code"' not in client.get(f"/admin/feedback/question/{question.pk}/change/").content.decode()
    assert Survey.objects.get(pk=cast.survey.pk).in_measures


def _superuser(cast, client):
    cast.owner.is_staff = cast.owner.is_superuser = True
    cast.owner.save()
    client.force_login(cast.owner)


def test_the_admin_cannot_delete_an_answered_question(cast, client):
    """Issue 6, item 7: deleting an answered question in the admin took its answers with it."""
    _superuser(cast, client)
    question = cast.survey.questions.get(code="return")
    response_submit(
        survey=cast.survey,
        location=cast.cph,
        raw_answers={"return": 7, "expectation": "met"},
        language="da",
        channel_kind="api",
    )
    assert client.get(f"/admin/feedback/question/{question.pk}/delete/").status_code == 403
    client.post(f"/admin/feedback/question/{question.pk}/delete/", {"post": "yes"})
    assert cast.survey.questions.filter(pk=question.pk).exists()
    assert question.answers.count() == 1


def test_the_admin_refuses_a_link_for_someone_who_does_not_work_at_its_location(cast, client):
    """Issue 6, item 7: the admin saved a link crediting Claire (Paris) at Copenhagen."""
    _superuser(cast, client)
    page = client.post(
        "/admin/feedback/channel/add/",
        {
            "survey": cast.survey.pk,
            "location": cast.cph.pk,
            "kind": "link",
            "person": cast.claire.pk,
            "name": "Wrong",
            "slug": "wrong-link",
            "active": "on",
        },
    )
    assert page.status_code == 200
    assert "does not work at this location" in page.content.decode()
    assert not Channel.objects.filter(name="Wrong").exists()


def test_stores_and_people_are_read_only_in_the_back_office(cast, client):
    """Issue 6, item 7: the admin saved a store with a time zone the services refuse; the services
    (and Exceed's own pages) are now the only writers of stores, people, regions and logins."""
    _superuser(cast, client)
    assert client.get(f"/admin/org/location/{cast.cph.pk}/change/").status_code == 200  # still viewable
    client.post(
        f"/admin/org/location/{cast.cph.pk}/change/",
        {"code": "cph", "name": "X", "region": cast.north.pk, "timezone": "Mars/Olympus", "default_language": "da"},
    )
    cast.cph.refresh_from_db()
    assert (cast.cph.name, cast.cph.timezone) == ("Copenhagen", "Europe/Copenhagen")
    assert client.get("/admin/org/person/add/").status_code == 403
    assert client.get(f"/admin/org/person/{cast.anders.pk}/delete/").status_code == 403
