"""Whether a customer came back is stored on the case and the contact when the return arrives
(issue 8, item 8), in whichever order the two are written, and the measures read it without
looking at answers or visits again."""

from datetime import timedelta

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from exceed.feedback.models import ChannelKind, Response
from exceed.org.scopes import scope_for
from exceed.recovery.followup import followup_survey_install
from exceed.recovery.identity import customer_hash
from exceed.recovery.measures import recovery_measures
from exceed.recovery.models import CaseCategory, CustomerContact, RecoveryCase, TillVisit
from exceed.recovery.returns import returns_rebuild, seconds_between
from exceed.recovery.services import case_open
from exceed.recovery.visits import customer_contact_record, visit_record
from tests.conftest import at
from tests.recovery.factories import low_response


def _visit(cast, ref, when, external_id=None):
    return visit_record(
        external_id=external_id or f"{ref}-{when:%Y%m%d%H%M%S}", location=cast.cph, visited_at=when, customer_ref=ref
    )[0]


def _case(cast, ref, opened):
    return case_open(
        location=cast.cph,
        category=CaseCategory.objects.get(code="wrong-order"),
        summary="Wrong order at the counter",
        customer_ref=ref,
        opened_at=opened,
    )


def _seconds(case):
    return RecoveryCase.objects.values_list("return_seconds", flat=True).get(pk=case.pk)


def test_a_visit_after_the_case_is_stored_as_its_return_and_an_earlier_one_never_is(cast):
    case = _case(cast, "card 12", at(2025, 3, 3))
    _visit(cast, "card 12", case.opened_at - timedelta(days=1))
    assert _seconds(case) is None

    _visit(cast, "Card 12", case.opened_at + timedelta(days=3, microseconds=1))
    assert _seconds(case) == 3 * 86400 + 1  # rounded up: a microsecond past three days is past them

    _visit(cast, "card 12", case.opened_at + timedelta(days=1))
    assert _seconds(case) == 86400  # the first return counts, whatever order they arrive in


def test_a_case_opened_after_its_return_was_stored_finds_it_at_once(cast):
    opened = at(2025, 3, 3)
    _visit(cast, "card 7", opened + timedelta(hours=5))

    case = _case(cast, "card 7", opened)

    assert case.return_seconds == _seconds(case) == 5 * 3600


def test_a_later_answer_is_a_return_for_the_case_and_for_the_earlier_respondent(cast):
    first = low_response(cast, email="ana@example.com", when=at(2025, 3, 3))
    case = RecoveryCase.objects.get(response=first)
    low_response(cast, email="ANA@example.com", when=at(2025, 3, 13), **{"return": "9", "expectation": "met"})

    assert _seconds(case) == 10 * 86400
    contact = CustomerContact.objects.get(response=first)
    assert contact.return_seconds == 10 * 86400
    assert CustomerContact.objects.exclude(pk=contact.pk).get().return_seconds is None  # nothing after the last


def test_an_answer_to_the_follow_up_survey_is_not_a_return(cast):
    case = RecoveryCase.objects.get(response=low_response(cast, email="bo@example.com", when=at(2025, 3, 3)))
    when = at(2025, 3, 20)
    followup = Response.objects.create(
        survey=followup_survey_install(),
        channel_kind=ChannelKind.EMAIL,
        location=cast.cph,
        language="da",
        submitted_at=when,
        local_date=when.date(),
        return_likelihood=9,
        contact_consent=True,
        contact_email="bo@example.com",
    )
    customer_contact_record(response=followup)

    assert _seconds(case) is None


def test_deleting_the_visit_that_was_the_return_falls_back_to_the_next_one(cast):
    case = _case(cast, "card 3", at(2025, 3, 3))
    early = _visit(cast, "card 3", at(2025, 3, 5))
    _visit(cast, "card 3", at(2025, 3, 9))
    assert _seconds(case) == 2 * 86400

    early.delete()
    assert _seconds(case) == 6 * 86400
    TillVisit.objects.all().delete()
    assert _seconds(case) is None


def test_the_migrations_backfill_computes_what_the_writes_kept(cast):
    cases = [_case(cast, f"card {n}", at(2025, 3, 1 + n)) for n in range(4)]
    for n in range(3):
        _visit(cast, f"card {n}", at(2025, 3, 10 + n))
    low_response(cast, email="cy@example.com", when=at(2025, 3, 3))
    low_response(cast, email="cy@example.com", when=at(2025, 4, 3))
    kept = {
        "cases": dict(RecoveryCase.objects.values_list("pk", "return_seconds")),
        "contacts": dict(CustomerContact.objects.values_list("pk", "return_seconds")),
    }
    assert [kept["cases"][case.pk] for case in cases] == [
        seconds_between(at(2025, 3, 1 + n), at(2025, 3, 10 + n)) for n in range(3)
    ] + [None]
    RecoveryCase.objects.update(return_seconds=None)
    CustomerContact.objects.update(return_seconds=None)

    # The migration's own (historical) models, as `migrate` hands them to its backfill.
    state = MigrationExecutor(connection).loader.project_state(("recovery", "0008_stored_returns"))
    changed = returns_rebuild(
        case_model=state.apps.get_model("recovery", "RecoveryCase"),
        contact_model=state.apps.get_model("recovery", "CustomerContact"),
        visit_model=state.apps.get_model("recovery", "TillVisit"),
    )

    assert changed == sum(value is not None for values in kept.values() for value in values.values()) > 3
    assert dict(RecoveryCase.objects.values_list("pk", "return_seconds")) == kept["cases"]
    assert dict(CustomerContact.objects.values_list("pk", "return_seconds")) == kept["contacts"]
    assert returns_rebuild() == 0  # nothing left to change


def test_the_measures_count_returns_without_reading_answers_or_visits_again(cast):
    case = _case(cast, "card 5", at(2025, 3, 3))
    _visit(cast, "card 5", at(2025, 3, 30))
    low_response(cast, email="dee@example.com", when=at(2025, 3, 4), **{"return": "9", "expectation": "met"})
    low_response(cast, email="dee@example.com", when=at(2025, 3, 5), **{"return": "9", "expectation": "met"})

    with CaptureQueriesContext(connection) as captured:
        figures = recovery_measures(scope_for(cast.owner), now=at(2025, 5, 1))[0]

    assert figures["loyal_conversions"] == 1 and case.pk
    assert figures["paradox"]["observed_return_no_failure"].n == 2
    assert customer_hash("card 5")  # the identity is hashed, never stored as given
    queries = [query["sql"].lower() for query in captured]
    assert not [sql for sql in queries if "recovery_tillvisit" in sql]
    # The baseline's respondents, counted once, with no subquery over the answers after them.
    assert len([sql for sql in queries if "recovery_customercontact" in sql]) == 1


def test_a_regulars_next_answer_updates_only_the_answer_before_it(cast):
    for day in (3, 5, 7):
        low_response(cast, email="eve@example.com", when=at(2025, 3, day), **{"return": "9", "expectation": "met"})
    latest = low_response(
        cast, email="eve@example.com", when=at(2025, 3, 9), evaluated=False, **{"return": "9", "expectation": "met"}
    )

    with CaptureQueriesContext(connection) as captured:
        customer_contact_record(response=latest)

    updates = [query["sql"] for query in captured if query["sql"].startswith('UPDATE "recovery_customercontact"')]
    assert len(updates) == 1  # the 7 March answer's; the earlier ones came back before 9 March
    assert list(CustomerContact.objects.order_by("submitted_at").values_list("return_seconds", flat=True)) == [
        2 * 86400,
        2 * 86400,
        2 * 86400,
        None,
    ]
