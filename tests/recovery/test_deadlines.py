from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from exceed.recovery.deadlines import steps_mark_overdue
from exceed.recovery.models import DeadlinePolicy, RecoveryStep, StepKind
from exceed.recovery.services import step_record
from tests.recovery.factories import staff_case


def test_overdue_steps_escalate_to_the_regional_manager_exactly_once(cast, smtp_inbox):
    case = staff_case(cast, hours_ago=3)  # acknowledge (1 h) and apologise (2 h) are overdue
    step_record(case=case, kind=StepKind.APOLOGISE)  # done late, so not escalated

    assert steps_mark_overdue(now=timezone.now()) == 1
    assert steps_mark_overdue(now=timezone.now()) == 0
    call_command("recovery_tick", verbosity=0)  # the periodic command finds nothing new either

    assert len(smtp_inbox.messages) == 1
    message = smtp_inbox.messages[0]
    assert message["To"] == "rasmus@example.com"
    # In the location's language: Copenhagen's is Danish.
    assert message["Subject"] == "Forsinkede trin i kundesager: 1"
    assert "Anerkendelse" in smtp_inbox.text_of(message) and f"Sag nr. {case.pk}" in smtp_inbox.text_of(message)
    assert RecoveryStep.objects.get(case=case, kind=StepKind.ACKNOWLEDGE).escalated_at is not None


def test_steps_of_a_closed_case_do_not_escalate(cast, smtp_inbox):
    from exceed.recovery.services import case_close

    case = staff_case(cast, hours_ago=72)
    case_close(case=case, reason="Handled by phone")
    assert steps_mark_overdue(now=timezone.now()) == 0
    assert smtp_inbox.messages == []


def test_a_failed_escalation_is_retried_on_the_next_run(cast, settings, smtp_inbox):
    staff_case(cast, hours_ago=1.5)
    port, settings.EMAIL_PORT = settings.EMAIL_PORT, 9  # nothing listens on the discard port
    assert steps_mark_overdue(now=timezone.now()) == 0
    assert not RecoveryStep.objects.filter(escalated_at__isnull=False).exists()
    settings.EMAIL_PORT = port
    # Nothing went out, so the digest period was not used up: the next run sends at once.
    assert steps_mark_overdue(now=timezone.now()) == 1
    assert len(smtp_inbox.messages) == 1


def test_deadlines_follow_the_most_specific_policy(cast):
    from exceed.recovery.models import CaseCategory

    wait = CaseCategory.objects.get(code="wait")
    DeadlinePolicy.objects.create(step=StepKind.ACKNOWLEDGE, hours=3)
    DeadlinePolicy.objects.create(step=StepKind.ACKNOWLEDGE, category=wait, severity="high", hours=2)
    urgent = staff_case(cast, category="wait", severity="high")
    ordinary = staff_case(cast, category="product")
    due = lambda case: case.steps.get(kind=StepKind.ACKNOWLEDGE).due_at - case.opened_at  # noqa: E731
    assert due(urgent) == timedelta(hours=2)
    assert due(ordinary) == timedelta(hours=3)
