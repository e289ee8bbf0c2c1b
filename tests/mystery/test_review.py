"""The owner's review, the rewards ledger, managers' disputes and the corrective cases."""

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from exceed.errors import DomainError
from exceed.mystery.models import CorrectiveCase, RewardEntry
from exceed.mystery.services.assignments import assignment_claim
from exceed.mystery.services.reports import AnswerInput, report_save, report_submit
from exceed.mystery.services.review import (
    dispute_decide,
    dispute_raise,
    report_approve,
    report_return,
    reward_pay,
)
from exceed.org.models import Membership, Role
from exceed.recovery.models import CaseSource
from tests.mystery.factories import GOOD, VISIT, programme, shopper, submitted

LATER = VISIT + timedelta(days=1)


def test_a_submitted_report_cannot_be_submitted_twice(cast):
    prog = programme(cast)
    who = shopper()
    assignment = submitted(prog, cast.cph, who)
    with pytest.raises(DomainError, match="submitted already"):
        report_submit(assignment=assignment, shopper=who)


def test_a_returned_report_is_revised_and_approved_and_the_reward_is_owed_up_to_the_cap(cast):
    prog = programme(cast)
    who = shopper()
    assignment = submitted(prog, cast.cph, who)
    report_return(assignment=assignment, by=cast.owner, comment="Please comment on the wait.", now=LATER)
    assert assignment.status == "returned" and assignment.revise_by == LATER + timedelta(hours=24)
    report_save(
        assignment=assignment,
        shopper=who,
        answers={"wait": AnswerInput(20, comment="About 20 s at the till")},
        time_in=VISIT,
        time_out=VISIT + timedelta(minutes=20),
        return_likelihood=9,
        expectation=1,
        expenses="18.50",
    )
    report_submit(assignment=assignment, shopper=who, now=LATER)
    report_approve(assignment=assignment, by=cast.owner, rating=4, now=LATER)
    owed = {entry.kind: entry.amount for entry in RewardEntry.objects.filter(assignment=assignment)}
    assert owed == {"reward": 20, "expense": 15}  # 18.50 spent, refunded up to 15
    entry = RewardEntry.objects.get(assignment=assignment, kind="reward")
    reward_pay(entry=entry, paid_on=timezone.now().date(), method="bank transfer", by=cast.owner)
    with pytest.raises(DomainError, match="paid already"):
        reward_pay(entry=entry, paid_on=timezone.now().date(), method="cash", by=cast.owner)


def test_a_return_needs_a_comment(cast):
    assignment = submitted(programme(cast), cast.cph, shopper())
    with pytest.raises(DomainError) as error:
        report_return(assignment=assignment, by=cast.owner, comment="  ")
    assert error.value.field == "comment"


def test_a_manager_disputes_an_item_and_the_owners_change_shows_in_the_score(cast):
    prog = programme(cast)
    answers = {**GOOD, "wait": AnswerInput(90)}
    assignment = submitted(prog, cast.cph, shopper(), answers=answers)
    report = report_approve(assignment=assignment, by=cast.owner, now=LATER)
    # (2 + 0 + 12) / 16 = 87.5
    assert report.score == 87.5
    dispute = dispute_raise(report=report, item_code="wait", reason="The clock shows 25 s.", by=cast.manager, now=LATER)
    decided = dispute_decide(
        dispute=dispute, by=cast.owner, uphold=False, decision="Video agrees.", value=25, now=LATER
    )
    assert (decided.status, decided.score_before, decided.score_after) == ("changed", 87.5, 100.0)
    report.refresh_from_db()
    assert report.score == 100.0


def test_a_dispute_after_its_deadline_or_over_the_limit_or_from_another_store_is_refused(cast):
    prog = programme(cast, disputes_per_period=1)
    report = report_approve(assignment=submitted(prog, cast.cph, shopper()), by=cast.owner, now=LATER)
    late = LATER + timedelta(days=15)
    with pytest.raises(DomainError, match="14 days"):
        dispute_raise(report=report, item_code="wait", reason="No", by=cast.manager, now=late)
    paris_manager = User.objects.create_user("pierre")
    Membership.objects.create(user=paris_manager, role=Role.LOCATION_MANAGER).locations.set([cast.par])
    with pytest.raises(DomainError, match="cannot dispute"):
        dispute_raise(report=report, item_code="wait", reason="No", by=paris_manager, now=LATER)
    dispute_raise(report=report, item_code="wait", reason="No", by=cast.manager, now=LATER)
    with pytest.raises(DomainError, match="1 disputes"):
        dispute_raise(report=report, item_code="asked", reason="No", by=cast.manager, now=LATER)


def test_a_failed_critical_item_opens_a_corrective_case_and_the_next_shop_says_whether_it_was_fixed(cast):
    prog = programme(cast, lockout_days=0)
    failing = {**GOOD, "greeted": AnswerInput(0, comment="Nobody looked up")}
    first = submitted(prog, cast.cph, shopper("Sofie"), answers=failing)
    report_approve(assignment=first, by=cast.owner, now=LATER)
    corrective = CorrectiveCase.objects.get(report=first.report)
    assert corrective.item_code == "greeted" and corrective.case.source == CaseSource.MYSTERY_SHOP
    assert corrective.case.severity == "high" and "Nobody looked up" in corrective.case.description

    second = _second_shop(prog, cast, shopper("Karl"))
    report_approve(assignment=second, by=cast.owner, now=LATER)
    corrective.refresh_from_db()
    assert corrective.checked_by == second.report and corrective.fixed is True


def test_a_score_below_the_programmes_threshold_opens_a_case(cast):
    prog = programme(cast, case_threshold=90)
    answers = {**GOOD, "asked": AnswerInput(2)}  # (2 + 2 + 3) / 16 = 43.8
    report_approve(assignment=submitted(prog, cast.cph, shopper(), answers=answers), by=cast.owner, now=LATER)
    assert CorrectiveCase.objects.filter(item_code="").count() == 1


def _second_shop(prog, cast, who):
    from exceed.mystery.models import Assignment

    january = datetime(2027, 1, 5, 14, tzinfo=UTC)
    from exceed.mystery.services.assignments import assignments_generate

    assignments_generate(now=datetime(2027, 1, 2, tzinfo=UTC))
    assignment = Assignment.objects.get(programme=prog, location=cast.cph, period="2027-01")
    assignment_claim(assignment=assignment, shopper=who, now=january)
    report_save(
        assignment=assignment,
        shopper=who,
        answers=GOOD,
        time_in=january,
        time_out=january + timedelta(minutes=10),
        return_likelihood=10,
        expectation=1,
    )
    report_submit(assignment=assignment, shopper=who, now=january)
    assignment.refresh_from_db()
    return assignment


def test_the_shoppers_return_and_expectation_answers_are_measured_apart_from_customers(cast):
    from exceed.feedback.models import Response
    from exceed.mystery.selectors import shop_measures
    from exceed.org.scopes import scope_for

    prog = programme(cast, lockout_days=0)
    report_approve(assignment=submitted(prog, cast.cph, shopper("Sofie")), by=cast.owner, now=LATER)
    report_approve(assignment=submitted(prog, cast.aar, shopper("Karl")), by=cast.owner, now=LATER)
    figures = shop_measures(scope_for(cast.owner))
    # Both shoppers answered 9 (would return) and "exceeded".
    assert (figures["return_score"].value, figures["return_score"].n) == (100.0, 2)
    assert figures["expectation_index"].value == 100.0
    assert shop_measures(scope_for(cast.manager))["return_score"].n == 1  # Copenhagen only
    # The chain's measures hold them as mystery shops (tests/mystery/test_measures.py), never as customers'.
    assert set(Response.objects.values_list("channel_kind", flat=True)) == {"mystery"}
    assert Response.objects.count() == 2
