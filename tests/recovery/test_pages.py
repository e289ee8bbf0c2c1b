"""The case pages as staff use them: quick capture, steps, close, errors in words."""

import random

from exceed.recovery.demo import seed_demo_cases
from exceed.recovery.models import CaseCategory, CaseSource, CaseStatus, RecoveryCase, StepKind
from tests.recovery.factories import staff_case


def test_quick_capture_logs_a_failure_and_remembers_location_and_touchpoint(cast, client):
    client.force_login(cast.associate)
    wrong_order = CaseCategory.objects.get(code="wrong-order")
    answer = client.post(
        "/recovery/capture/",
        {
            "location": cast.cph.pk,
            "touchpoint": cast.phone.pk,
            "category": wrong_order.pk,
            "summary": "Gave a latte instead of a flat white",
            "severity": "medium",
            "source": "staff",
        },
    )
    assert answer.status_code == 302
    case = RecoveryCase.objects.get()
    assert (case.location, case.touchpoint, case.category, case.source) == (
        cast.cph,
        cast.phone,
        wrong_order,
        CaseSource.STAFF,
    )
    assert list(case.people.all()) == [cast.anders] and case.logged_by == cast.associate
    page = client.get("/recovery/capture/").content.decode()
    assert f'<option value="{cast.phone.pk}" selected>' in page
    # The associate logged it, so it is theirs to see.
    assert client.get(f"/recovery/{case.pk}/").status_code == 200


def test_quick_capture_refuses_contact_data_without_consent_and_keeps_the_input(cast, client):
    client.force_login(cast.manager)
    answer = client.post(
        "/recovery/capture/",
        {
            "location": cast.cph.pk,
            "category": CaseCategory.objects.get(code="wait").pk,
            "summary": "Waited 20 minutes",
            "severity": "medium",
            "source": "phone",
            "contact_email": "kunde@example.com",
        },
    )
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "consents to be contacted" in page and "Waited 20 minutes" in page
    assert not RecoveryCase.objects.exists()


def test_the_case_page_shows_the_playbook_and_refuses_a_step_recorded_twice(cast, client):
    case = staff_case(cast, hours_ago=2)
    client.force_login(cast.manager)
    page = client.get(f"/recovery/{case.pk}/").content.decode()
    assert "no excuses" in page.lower() and "chocolate cake" in page.lower()
    assert 'class="card step overdue"' in page  # acknowledge (1 h) is overdue
    assert client.post(f"/recovery/{case.pk}/steps/acknowledge/", {"acknowledge-note": "Saw it"}).status_code == 302
    twice = client.post(f"/recovery/{case.pk}/steps/acknowledge/", {"acknowledge-note": "Again"})
    assert twice.status_code == 409 and "already been recorded" in twice.content.decode()
    assert case.steps.get(kind=StepKind.ACKNOWLEDGE).note == "Saw it"


def test_closing_with_steps_missing_asks_for_a_reason_on_the_page(cast, client):
    case = staff_case(cast)
    client.force_login(cast.manager)
    refused = client.post(f"/recovery/{case.pk}/close/", {"reason": ""})
    assert refused.status_code == 400 and "give a reason" in refused.content.decode()
    assert client.post(f"/recovery/{case.pk}/close/", {"reason": "Customer left"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


def test_overdue_cases_come_first_and_stand_out_in_the_list(cast, client):
    staff_case(cast, summary="Fresh case")
    staff_case(cast, hours_ago=5, summary="Late case")
    client.force_login(cast.manager)
    page = client.get("/recovery/").content.decode()
    assert page.index("Late case") < page.index("Fresh case")
    assert page.count('class="overdue"') == 1
    assert "Late case" in client.get("/recovery/?overdue=on").content.decode()
    assert "Fresh case" not in client.get("/recovery/?overdue=on").content.decode()


def test_the_demo_seeds_cases_in_various_states(cast, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from tests.recovery.factories import low_response

    for day in range(60):
        # Not evaluated: the demo's responses are bulk-inserted, and it seeds their cases itself.
        low_response(cast, when=timezone.now() - timedelta(days=day, hours=3), consent=day % 2 == 0, evaluated=False)
    created = seed_demo_cases(rng=random.Random(7))
    assert created == 60 == RecoveryCase.objects.count()
    statuses = set(RecoveryCase.objects.values_list("status", flat=True))
    assert {CaseStatus.OPEN, CaseStatus.IN_PROGRESS, CaseStatus.CLOSED} <= statuses
    assert RecoveryCase.objects.filter(outcome_rating__isnull=False).exists()
    assert seed_demo_cases(rng=random.Random(7)) == 0  # no response gets a second case


def test_the_dashboard_shows_the_median_and_p90_time_to_close(cast, client):
    from datetime import timedelta

    from exceed.recovery.services import case_close
    from tests.recovery.factories import staff_case

    case = staff_case(cast, hours_ago=3)
    case_close(case=case, reason="Phone call", at=case.opened_at + timedelta(hours=2))
    client.force_login(cast.manager)
    page = client.get("/recovery/dashboard/").content.decode()
    card = page[page.index("Median time to close") :]
    card = card[: card.index("</div></div>")]
    assert '<div class="value">2 h</div>' in card and "p90: 2 h" in card
