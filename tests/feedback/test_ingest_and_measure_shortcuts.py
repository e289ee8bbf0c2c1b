"""The shortcuts taken for speed (BENCHMARKS.md) must not change what is stored or reported."""

import pytest

from exceed.errors import DomainError
from exceed.feedback.models import ChannelKind, Question
from exceed.feedback.selectors import FeedbackFilter, measures
from exceed.feedback.services import response_submit
from exceed.org.scopes import scope_for
from tests.conftest import at


def submit(cast, answers, **kwargs):
    return response_submit(
        survey=cast.survey,
        location=cast.cph,
        raw_answers=answers,
        language="da",
        channel_kind=ChannelKind.API,
        **kwargs,
    )


def test_a_question_changed_behind_the_cache_is_checked_as_it_now_is(cast):
    submit(cast, {"return": "9", "expectation": "met"})  # the questions are now cached in this process
    # As another worker process or the admin would change it: straight in the database.
    Question.objects.filter(survey=cast.survey, code="difference").update(required=True)
    with pytest.raises(DomainError) as error:
        submit(cast, {"return": "9", "expectation": "met"})
    assert error.value.field == "difference"


def test_a_question_added_behind_the_cache_can_be_answered_at_once(cast):
    submit(cast, {"return": "9", "expectation": "met"})
    Question.objects.create(survey=cast.survey, code="parking", kind="text", text={"en": "Parking?"}, position=99)
    response = submit(cast, {"return": "9", "expectation": "met", "parking": "Easy"})
    assert response.answers.filter(question__code="parking", text="Easy").exists()


def test_naming_no_one_still_refuses_a_stranger_when_someone_is_named(cast):
    submit(cast, {"return": "9", "expectation": "met"})
    with pytest.raises(DomainError):
        submit(cast, {"return": "9", "expectation": "met", "served_by": [str(cast.claire.pk)]})


def test_weeks_and_months_add_up_the_same_days_as_the_database_would(cast):
    # Sunday 1 March and Monday 2 March 2026 fall in different ISO weeks, the same month.
    for day, score in [(1, 10), (1, 3), (2, 9), (3, 0), (31, 10)]:
        submit(cast, {"return": score, "expectation": "met"}, submitted_at=at(2026, 3, day))
    submit(cast, {"return": 8, "expectation": "met"}, submitted_at=at(2026, 4, 1), touchpoint=cast.in_store)
    owner = scope_for(cast.owner)

    weeks = measures(owner, FeedbackFilter(), ["week"])
    assert [(row["group"]["week"].isoformat(), row["responses"]) for row in weeks] == [
        ("2026-02-23", 2),
        ("2026-03-02", 2),
        ("2026-03-30", 2),
    ]
    assert weeks[0]["return_score"].value == 0.0  # one promoter, one detractor

    months = measures(owner, FeedbackFilter(), ["touchpoint", "month"])
    assert [(row["group"]["touchpoint"], row["group"]["month"].isoformat(), row["responses"]) for row in months] == [
        (0, "2026-03-01", 5),
        (cast.in_store.pk, "2026-04-01", 1),
    ]
