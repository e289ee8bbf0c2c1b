"""The periodic work: generation, reminders by real SMTP, expiry, and the leniency index."""

from datetime import timedelta

from exceed.core.periodic import periodic_run_due
from exceed.mystery.models import Assignment
from exceed.mystery.selectors import leniency_index
from exceed.mystery.services.assignments import assignment_claim, assignments_remind
from exceed.mystery.services.reports import AnswerInput, report_save, report_submit
from exceed.mystery.services.review import report_approve
from exceed.org.scopes import scope_for
from tests.mystery.factories import GOOD, NOW, VISIT, december, programme, shopper, submitted


def test_the_worker_generates_this_and_next_periods_shops(cast):
    prog = programme(cast)
    results = periodic_run_due()
    assert "generated" in results["mystery.assignments"]
    assert Assignment.objects.filter(programme=prog).count() == 6


def test_a_shopper_is_reminded_once_before_the_window_closes(cast, smtp_inbox):
    prog = programme(cast)
    who = shopper()
    assignment = december(prog, cast.cph)
    assignment_claim(assignment=assignment, shopper=who, now=NOW)
    assert assignments_remind(now=assignment.window_end - timedelta(hours=30)) == 0
    assert assignments_remind(now=assignment.window_end - timedelta(hours=20)) == 1
    assert assignments_remind(now=assignment.window_end - timedelta(hours=10)) == 0
    message = smtp_inbox.messages[-1]
    assert message["To"] == who.user.email and "Copenhagen" in smtp_inbox.text_of(message)


def test_a_lenient_shopper_shows_a_positive_leniency_index(cast):
    prog = programme(cast, lockout_days=0, claims_per_period=5)
    strict, lenient = shopper("Strict"), shopper("Friend")
    harsh = {**GOOD, "asked": AnswerInput(2)}
    for location in (cast.cph, cast.aar):
        report_approve(assignment=submitted(prog, location, strict, answers=harsh), by=cast.owner, now=VISIT)
    # The friend shops the same stores in a second slot of the same month and scores them all top marks.
    for location in (cast.cph, cast.aar):
        original = Assignment.objects.get(programme=prog, location=location, period="2026-12", slot=0)
        twin = Assignment.objects.create(
            programme=prog,
            location=location,
            period="2026-12",
            slot=1,
            window_start=original.window_start,
            window_end=original.window_end,
            windows=original.windows,
            calibration_of=original,
        )
        assignment_claim(assignment=twin, shopper=lenient, now=NOW)
        report_save(
            assignment=twin,
            shopper=lenient,
            answers=GOOD,
            time_in=VISIT,
            time_out=VISIT + timedelta(minutes=5),
            return_likelihood=10,
            expectation=1,
        )
        report_submit(assignment=twin, shopper=lenient, now=VISIT)
        report_approve(assignment=twin, by=cast.owner, now=VISIT)
    index = {row["shopper"]: row["index"] for row in leniency_index(scope_for(cast.owner))}
    # Strict: (2 + 2 + 3) / 16 = 43.8; the friend: 100 → +56.2 and −56.2.
    assert index == {"Friend": 56.2, "Strict": -56.2}
    assert leniency_index(scope_for(cast.manager)) == []
