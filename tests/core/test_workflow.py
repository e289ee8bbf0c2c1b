"""The shared workflow mechanism, exercised through the recovery case pipeline that uses it."""

import pytest

from exceed.errors import DomainError
from exceed.recovery.models import CaseStatus, CaseStatusChange, RecoveryCase
from exceed.recovery.workflow import CASE_WORKFLOW
from tests.recovery.factories import staff_case


def test_a_move_updates_the_row_and_records_who_and_when(cast):
    case = staff_case(cast)
    CASE_WORKFLOW.move(case, CaseStatus.IN_PROGRESS, by=cast.manager, note="on it")
    assert RecoveryCase.objects.get(pk=case.pk).status == CaseStatus.IN_PROGRESS
    change = CaseStatusChange.objects.filter(case=case).latest("pk")
    assert (change.from_status, change.to_status, change.by, change.note) == (
        CaseStatus.OPEN,
        CaseStatus.IN_PROGRESS,
        cast.manager,
        "on it",
    )


def test_a_move_the_pipeline_does_not_allow_is_a_conflict(cast):
    case = staff_case(cast)
    with pytest.raises(DomainError) as error:
        CASE_WORKFLOW.move(case, CaseStatus.REOPENED)
    assert error.value.status == 409
    assert RecoveryCase.objects.get(pk=case.pk).status == CaseStatus.OPEN


def test_a_move_from_a_stale_status_fails_instead_of_overwriting(cast):
    case = staff_case(cast)
    stale = RecoveryCase.objects.get(pk=case.pk)
    CASE_WORKFLOW.move(case, CaseStatus.CLOSED)
    with pytest.raises(DomainError) as error:
        CASE_WORKFLOW.move(stale, CaseStatus.IN_PROGRESS)
    assert error.value.status == 409
    assert RecoveryCase.objects.get(pk=case.pk).status == CaseStatus.CLOSED
