"""The fast recovery measures (issue 8, item 8) give the very figures the slow ones gave.

A seeded chain of four months in three locations and two regions — cases from responses and from
staff, steps on time and late, outcomes, visits, respondents who answer again, a follow-up survey's
answers, a response on the last evening of January that is 1 February in Copenhagen — is measured
by both the current code and the code as it was before (tests/recovery/measures_before.py), for
every role that sees staff data, every grouping and several filters.
"""

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exceed.feedback.models import ChannelKind, Response, Survey
from exceed.org.scopes import scope_for
from exceed.recovery.followup import followup_survey_install
from exceed.recovery.identity import customer_hash
from exceed.recovery.measures import recovery_measures, recovery_measures_and_total
from exceed.recovery.models import CaseStatus, CustomerContact, RecoveryCase, StepKind
from exceed.recovery.selectors import CaseFilter
from exceed.recovery.services import case_close, step_record
from exceed.recovery.visits import visit_record
from tests.recovery import measures_before
from tests.recovery.factories import evaluate_pending, low_response, staff_case

NOW = datetime(2025, 5, 10, 12, tzinfo=UTC)
EMAILS = [f"customer{n}@example.com" for n in range(10)]
GROUPINGS = [
    (),
    ("location",),
    ("region",),
    ("month",),
    ("location", "month"),
    ("region", "month"),
    ("month", "location"),
]


def _submit(cast, rng, location, when, *, people=(), happy=False):
    from exceed.feedback.services import response_submit

    email = rng.choice(EMAILS) if rng.random() < 0.5 else None
    raw = {
        "return": str(rng.choice([7, 8, 9, 10] if happy else [0, 2, 3, 5, 6, 7, 8, 9, 9, 10, 10])),
        "expectation": rng.choice(["met", "exceeded"] if happy else ["below", "met", "met", "exceeded"]),
        "difference": "",
    }
    if email:
        raw["contact"] = "yes"
    return response_submit(
        survey=cast.survey,
        location=location,
        touchpoint=cast.in_store,
        raw_answers=raw,
        contact={"email": email} if email else None,
        language="da",
        channel_kind="link",
        submitted_at=when,
        people=list(people),
    )


@pytest.fixture
def seeded_chain(cast, django_capture_on_commit_callbacks):
    rng = random.Random(8)
    locations = [cast.cph, cast.cph, cast.aar]
    with django_capture_on_commit_callbacks(execute=True):
        # Paris fails in January only (and a staff case in April): its February and March
        # respondents are in no month to compare with.
        low_response(cast, location=cast.par, when=datetime(2025, 1, 20, 10, tzinfo=UTC), email=EMAILS[1])
        for day in (8, 22):
            for month in (1, 2, 3):
                _submit(cast, random.Random(day), cast.par, datetime(2025, month, day, 11, tzinfo=UTC), happy=True)
        for _ in range(70):
            location = rng.choice(locations)
            when = datetime(2025, 1, 1, 9, tzinfo=UTC) + timedelta(hours=rng.randrange(118 * 24))
            people = [cast.anders] if location == cast.cph and rng.random() < 0.4 else []
            _submit(cast, rng, location, when, people=people)
        # 23:30 UTC on 31 January is 1 February in Copenhagen: the case's and the baseline's
        # month is the local one.
        _submit(cast, rng, cast.cph, datetime(2025, 1, 31, 23, 30, tzinfo=UTC), people=[cast.anders])
    evaluate_pending()  # the worker opens the cases of the low answers
    for index, (location, opened) in enumerate(
        [(cast.aar, date(2025, 2, 14)), (cast.par, date(2025, 4, 2)), (cast.cph, date(2025, 3, 30))]
    ):
        case = staff_case(
            cast, location=location, customer_ref=f"card {index}", people=[cast.anders] if index == 2 else ()
        )
        moment = datetime.combine(opened, datetime.min.time(), tzinfo=UTC) + timedelta(hours=10)
        RecoveryCase.objects.filter(pk=case.pk).update(opened_at=moment, opened_date=opened)
        case.steps.update(due_at=moment + timedelta(hours=4))
        visit_record(
            external_id=f"card-{index}",
            location=location,
            visited_at=moment + timedelta(days=20),
            customer_ref=f"Card {index}",
        )
    # Answers to the follow-up survey: neither a baseline respondent nor a return.
    followup = followup_survey_install()
    for day in (5, 19):
        when = datetime(2025, 3, day, 15, tzinfo=UTC)
        response = Response.objects.create(
            survey=followup,
            channel_kind=ChannelKind.EMAIL,
            location=cast.cph,
            language="da",
            submitted_at=when,
            local_date=when.date(),
            return_likelihood=9,
            contact_consent=True,
            contact_email=EMAILS[day % 10],
        )
        CustomerContact.objects.create(
            response=response, location=cast.cph, contact_hash=customer_hash(EMAILS[day % 10]), submitted_at=when
        )
    # A survey kept out of the dashboard's measures still counts in the no-failure baseline, as
    # every answer but the follow-up's always has; one of its answers names Anders.
    pulse = Survey.objects.create(slug="pulse", title={"en": "Pulse"}, in_measures=False)
    for month, score in ((1, 10), (2, 4), (3, 9), (3, None)):
        when = datetime(2025, month, 12, 15, tzinfo=UTC)
        answer = Response.objects.create(
            survey=pulse,
            channel_kind=ChannelKind.LINK,
            location=cast.cph,
            language="da",
            submitted_at=when,
            local_date=when.date(),
            return_likelihood=score,
        )
        if month == 3:
            answer.people.set([cast.anders])
    cases = list(RecoveryCase.objects.order_by("pk"))
    assert len(cases) >= 20 and len({(case.location_id, case.opened_date.month) for case in cases}) >= 8
    for case in cases:
        roll = rng.random()
        done = StepKind.values if roll < 0.5 else StepKind.values[: rng.randint(0, 3)]
        for kind in done:
            step_record(
                case=case,
                kind=kind,
                gesture_given="Cake",
                done_at=case.opened_at + timedelta(minutes=rng.randint(5, 5000)),
            )
        if roll < 0.6:
            case_close(case=case, at=case.opened_at + timedelta(hours=rng.randint(2, 300)), reason="Done")
        if roll < 0.4:
            rating = rng.randint(1, 5)
            RecoveryCase.objects.filter(pk=case.pk).update(
                outcome_rating=rating,
                outcome_return_likelihood=rng.randint(0, 10),
                impressed=rating >= 4,
                double_deviation=rating <= 2,
                status=CaseStatus.REOPENED if rating <= 2 else CaseStatus.CLOSED,
            )
    for index, email in enumerate(EMAILS[:6]):
        visit_record(
            external_id=f"v{index}",
            location=cast.aar,
            visited_at=datetime(2025, 2 + index % 3, 10 + index, tzinfo=UTC),
            customer_ref=email,
        )
    return cast


def _figures(rows):
    return [measures_before.figure_dict(row) for row in rows]


def test_the_fast_measures_equal_the_slow_ones_for_every_role_grouping_and_filter(seeded_chain):
    cast = seeded_chain
    filters = [
        None,
        CaseFilter(date_from=date(2025, 2, 10), date_to=date(2025, 3, 20)),
        CaseFilter(location=cast.cph.pk),
        CaseFilter(region=cast.north.pk, status=CaseStatus.CLOSED),
    ]
    compared = 0
    for role in ("owner", "regional", "manager", "associate"):
        scope = scope_for(cast.roles[role])
        for case_filter in filters:
            for group_by in GROUPINGS:
                expected = _figures(measures_before.recovery_measures(scope, case_filter, group_by, now=NOW))
                actual = _figures(recovery_measures(scope, case_filter, group_by, now=NOW))
                assert actual == expected, (role, case_filter, group_by)
                # The dashboard's total and rows from one pass: the total is the groups added up.
                total, rows = recovery_measures_and_total(scope, case_filter, group_by, now=NOW)
                expected_total = _figures(measures_before.recovery_measures(scope, case_filter, now=NOW))
                assert _figures([total]) == expected_total, (role, case_filter, group_by)
                assert _figures(rows) == (expected if group_by else []), (role, case_filter, group_by)
                compared += 1
    owner_months = recovery_measures(scope_for(cast.owner), group_by=["month"], now=NOW)
    # The comparison is not vacuous: four months, each with failures and respondents without one.
    assert [row["group"]["month"] for row in owner_months] == [date(2025, m, 1) for m in (1, 2, 3, 4)]
    assert all(row["paradox"]["return_score_no_failure"].n > 0 for row in owner_months)
    assert any(row["paradox"]["observed_return_no_failure"].n > 0 for row in owner_months)
    paris = recovery_measures(scope_for(cast.owner), group_by=["location", "month"], now=NOW)
    assert [row["group"]["month"].month for row in paris if row["group"]["location"] == cast.par.pk] == [1, 4]
    assert compared == 4 * 4 * len(GROUPINGS)


def test_months_are_taken_by_the_database_not_by_a_python_function(seeded_chain):
    """On SQLite, TruncMonth is a Python function called per row (django_date_trunc): the slow
    baseline called it 1.5 million times on the demo."""
    with CaptureQueriesContext(connection) as captured:
        recovery_measures(scope_for(seeded_chain.owner), group_by=["location", "month"], now=NOW)
    assert not [query["sql"] for query in captured if "django_date_trunc" in query["sql"]]


def test_a_return_on_the_last_microsecond_of_the_loyalty_window_counts_and_one_after_does_not(cast):
    opened = datetime(2025, 3, 3, 10, 15, 30, 250000, tzinfo=UTC)
    for ref, late in (("card in", timedelta(0)), ("card out", timedelta(microseconds=1))):
        case = staff_case(cast, customer_ref=ref)
        RecoveryCase.objects.filter(pk=case.pk).update(opened_at=opened, opened_date=opened.date())
        visit_record(
            external_id=ref, location=cast.cph, visited_at=opened + timedelta(days=90) + late, customer_ref=ref
        )
    scope = scope_for(cast.owner)
    figures = recovery_measures(scope, now=NOW)[0]
    assert figures["loyal_conversions"] == 1
    assert _figures([figures]) == _figures(measures_before.recovery_measures(scope, now=NOW))


def test_the_follow_up_stays_out_of_the_baseline_even_when_an_owner_counts_it_in_the_measures(seeded_chain):
    from exceed.feedback.rollup import rollup_rebuild

    Survey.objects.filter(slug="recovery-followup").update(in_measures=True)
    rollup_rebuild()
    scope = scope_for(seeded_chain.owner)
    for group_by in [(), ("location", "month")]:
        expected = _figures(measures_before.recovery_measures(scope, group_by=group_by, now=NOW))
        assert _figures(recovery_measures(scope, group_by=group_by, now=NOW)) == expected
