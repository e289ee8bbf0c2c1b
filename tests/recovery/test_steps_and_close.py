from datetime import timedelta

import pytest
from django.utils import timezone

from exceed.errors import DomainError
from exceed.recovery.models import CaseStatus, CaseStatusChange, RecoveryCase, StepKind
from exceed.recovery.services import case_close, step_record
from exceed.recovery.workflow import case_set_status
from tests.recovery.factories import staff_case


def test_a_step_recorded_twice_is_refused_and_the_first_record_is_kept(cast):
    case = staff_case(cast)
    step_record(case=case, kind=StepKind.APOLOGISE, by=cast.manager, done_by=cast.anders, note="Sorry for the mix-up.")
    with pytest.raises(DomainError) as error:
        step_record(case=case, kind=StepKind.APOLOGISE, by=cast.owner, note="Second try")
    assert error.value.status == 409
    step = case.steps.get(kind=StepKind.APOLOGISE)
    assert (step.note, step.done_by, step.recorded_by) == ("Sorry for the mix-up.", cast.anders, cast.manager)


def test_recording_a_step_moves_the_case_in_progress_and_records_who_and_when(cast):
    case = staff_case(cast, hours_ago=1)
    step_record(case=case, kind=StepKind.ACKNOWLEDGE, by=cast.manager)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert 3590 <= case.acknowledge_seconds <= 3610
    change = CaseStatusChange.objects.filter(case=case).last()
    assert (change.from_status, change.to_status, change.by) == (CaseStatus.OPEN, CaseStatus.IN_PROGRESS, cast.manager)


def test_a_gesture_records_what_was_given_and_its_value(cast):
    case = staff_case(cast)
    with pytest.raises(DomainError) as error:
        step_record(case=case, kind=StepKind.GESTURE, gesture_value="10")
    assert error.value.field == "gesture_given"
    step = step_record(case=case, kind=StepKind.GESTURE, gesture_given="€10 voucher", gesture_value="10")
    assert (step.gesture_given, str(step.gesture_value)) == ("€10 voucher", "10.00")


def test_closing_with_steps_missing_needs_a_reason(cast):
    case = staff_case(cast)
    step_record(case=case, kind=StepKind.ACKNOWLEDGE)
    with pytest.raises(DomainError) as error:
        case_close(case=case, by=cast.manager)
    assert error.value.field == "reason" and "Apologise" in error.value.message
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS  # nothing changed
    case_close(case=case, by=cast.manager, reason="The customer left before we could do more.")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.close_reason.startswith("The customer left")


def test_a_case_with_every_step_done_closes_without_a_reason(cast):
    case = staff_case(cast)
    for kind in StepKind.values:
        step_record(case=case, kind=kind, gesture_given="Chocolate cake" if kind == StepKind.GESTURE else "")
    case_close(case=case, by=cast.manager)
    assert case.status == CaseStatus.CLOSED


def test_an_illegal_move_raises_a_domain_error(cast):
    case = staff_case(cast)
    case_close(case=case, reason="Duplicate of another case")
    with pytest.raises(DomainError):
        case_set_status(case=case, status=CaseStatus.IN_PROGRESS)
    with pytest.raises(DomainError):
        step_record(case=case, kind=StepKind.FIX)


def test_a_step_cannot_predate_the_case(cast):
    case = staff_case(cast)
    with pytest.raises(DomainError):
        step_record(case=case, kind=StepKind.FIX, done_at=timezone.now() - timedelta(days=1))


def test_a_reopened_case_gets_a_second_follow_up_and_closes_again_only_with_a_reason(cast):
    from exceed.recovery.models import RecoveryStep
    from exceed.recovery.services import case_reopen

    case = staff_case(cast)
    for kind in StepKind.values:
        step_record(case=case, kind=kind, gesture_given="Chocolate cake" if kind == StepKind.GESTURE else "")
    case_close(case=case)
    case_reopen(case=case, note="The customer called again")
    second = RecoveryStep.objects.get(case=case, round=2)
    assert (second.kind, second.done_at) == (StepKind.FOLLOW_UP, None)
    recorded = step_record(case=case, kind=StepKind.FOLLOW_UP, note="Called back, refunded")
    assert recorded.pk == second.pk and recorded.done_at is not None
    with pytest.raises(DomainError) as error:
        case_close(case=case)
    assert error.value.field == "reason" and case.status != CaseStatus.CLOSED
    case_close(case=case, reason="Refund accepted")
    assert RecoveryCase.objects.get(pk=case.pk).status == CaseStatus.CLOSED
    # Reopened twice: a third round, not a clash with the second.
    case_reopen(case=case)
    assert list(case.steps.filter(kind=StepKind.FOLLOW_UP).values_list("round", flat=True)) == [1, 2, 3]
