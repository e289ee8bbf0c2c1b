import pytest

from exceed.errors import DomainError
from exceed.feedback.models import Answer, ChannelKind, DailyMeasure, Response
from exceed.feedback.rollup import rollup_rebuild
from exceed.feedback.services import response_submit
from tests.conftest import at


def submit(cast, answers, **kwargs):
    kwargs.setdefault("location", cast.cph)
    kwargs.setdefault("language", "da")
    kwargs.setdefault("channel_kind", ChannelKind.API)
    return response_submit(survey=cast.survey, raw_answers=answers, **kwargs)


def test_a_response_stores_its_key_figures_answers_and_people(cast):
    response = submit(
        cast,
        {
            "return": "9",
            "expectation": "exceeded",
            "difference": "Anders found my size",
            "served_by": [str(cast.anders.pk)],
        },
        touchpoint=cast.in_store,
    )
    assert (response.return_likelihood, response.expectation, response.comment) == (9, 1, "Anders found my size")
    assert list(response.people.all()) == [cast.anders]
    assert Answer.objects.filter(response=response).count() == 4


def test_local_date_is_the_locations_calendar_day(cast):
    # 23:30 UTC on 1 March is already 2 March in Copenhagen (UTC+1).
    response = submit(cast, {"return": 5, "expectation": "met"}, submitted_at=at(2026, 3, 1, 23).replace(minute=30))
    assert str(response.local_date) == "2026-03-02"


@pytest.mark.parametrize(
    "answers, field",
    [
        ({"return": "11", "expectation": "met"}, "return"),
        ({"return": "x", "expectation": "met"}, "return"),
        ({"return": "5", "expectation": "great"}, "expectation"),
        ({"expectation": "met"}, "return"),
        ({"return": "5", "expectation": "met", "nonsense": "1"}, "nonsense"),
        ({"return": "5", "expectation": "met", "difference": "x" * 5000}, "difference"),
        ({"return": "5", "expectation": "met", "served_by": ["999999"]}, "served_by"),
        ({"return": "5", "expectation": "met", "contact": "yes"}, "contact_email"),
    ],
)
def test_bad_answers_are_refused_naming_the_field_and_store_nothing(cast, answers, field):
    with pytest.raises(DomainError) as error:
        submit(cast, answers)
    assert error.value.field == field
    assert Response.objects.count() == 0
    assert DailyMeasure.objects.count() == 0


def test_someone_from_another_location_cannot_be_named(cast):
    with pytest.raises(DomainError):
        submit(cast, {"return": "5", "expectation": "met", "served_by": [str(cast.claire.pk)]})


def test_contact_details_without_consent_are_not_stored(cast):
    response = submit(cast, {"return": "5", "expectation": "met"}, contact={"email": "k@example.com"})
    assert response.contact_email == "" and not response.contact_consent


def test_contact_details_with_consent_are_stored(cast):
    response = submit(
        cast, {"return": "2", "expectation": "below", "contact": "yes"}, contact={"email": "k@example.com"}
    )
    assert response.contact_consent and response.contact_email == "k@example.com"


def test_an_external_id_is_stored_once(cast):
    submit(cast, {"return": "5", "expectation": "met"}, external_id="till-1")
    with pytest.raises(DomainError) as error:
        submit(cast, {"return": "6", "expectation": "met"}, external_id="till-1")
    assert error.value.status == 409
    assert Response.objects.count() == 1


def test_the_rollup_kept_on_each_response_equals_a_rebuild_from_scratch(cast):
    for score, expectation, people in [
        (10, "exceeded", [cast.anders]),
        (3, "below", []),
        (7, "met", [cast.anders, cast.birgitte]),
    ]:
        submit(cast, {"return": score, "expectation": expectation}, people=people, submitted_at=at(2026, 5, 4))
    submit(cast, {"return": 9, "expectation": "met"}, location=cast.par, language="fr", submitted_at=at(2026, 5, 5))
    incremental = sorted(
        DailyMeasure.objects.values_list(
            "local_date",
            "location_id",
            "person_id",
            "responses",
            "return_promoters",
            "return_detractors",
            "expectation_below",
            "return_squares",
        )
    )
    rollup_rebuild()
    rebuilt = sorted(
        DailyMeasure.objects.values_list(
            "local_date",
            "location_id",
            "person_id",
            "responses",
            "return_promoters",
            "return_detractors",
            "expectation_below",
            "return_squares",
        )
    )
    assert incremental == rebuilt
    assert len(rebuilt) == 4  # cph all-people, anders, birgitte, par all-people


def test_answers_to_a_survey_outside_the_measures_do_not_move_the_figures(cast):
    from exceed.feedback.services import survey_export, survey_import, survey_update

    definition = survey_export(survey=cast.survey)
    definition.update(slug="about-a-complaint", in_measures=False)
    other = survey_import(definition=definition)
    response_submit(
        survey=other,
        location=cast.cph,
        raw_answers={"return": 0, "expectation": "below"},
        language="da",
        channel_kind="api",
    )
    assert DailyMeasure.objects.count() == 0
    rollup_rebuild()
    assert DailyMeasure.objects.count() == 0

    # Counting it again brings its past answers into the figures.
    survey_update(survey=other, title=other.title, intro={}, thanks={}, active=True, in_measures=True)
    assert DailyMeasure.objects.filter(person_id=0).get().return_detractors == 1


def test_the_rollup_keeps_the_sum_of_squares_exactly_and_the_migration_fills_it_the_same(cast):
    import importlib

    from django.db import connection

    # 10² + 3² + 7² = 158 in the Copenhagen all-people row; Anders was named on 10 and 7: 149.
    for score, people in [(10, [cast.anders]), (3, []), (7, [cast.anders])]:
        submit(cast, {"return": score, "expectation": "met"}, people=people, submitted_at=at(2026, 5, 4))

    def squares():
        return dict(DailyMeasure.objects.values_list("person_id", "return_squares"))

    assert squares() == {0: 158, cast.anders.pk: 149}
    rollup_rebuild()
    assert squares() == {0: 158, cast.anders.pk: 149}
    DailyMeasure.objects.update(return_squares=0)
    migration = importlib.import_module("exceed.feedback.migrations.0008_dailymeasure_return_squares")
    with connection.cursor() as cursor:
        cursor.execute(migration._FILL)
    assert squares() == {0: 158, cast.anders.pk: 149}
