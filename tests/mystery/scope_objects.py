"""Mystery shopping's objects outside the scope: a Paris programme with an open (upcoming) shop,
an approved report with an open dispute and an unpaid reward, and the shopper who did it.

Only the owner may see the upcoming shop or the shopper's name (issue 10 §5); the Paris managers
are not in the cast, so every other role must see none of it.
"""

from datetime import timedelta

from django.contrib.auth.models import User

from exceed.mystery.models import Assignment, Dispute, RewardEntry
from exceed.mystery.services.assignments import assignment_claim
from exceed.mystery.services.reports import evidence_add, report_save, report_submit
from exceed.mystery.services.review import dispute_raise, report_approve
from exceed.org.models import Membership, Role
from tests.mystery.factories import GOOD, NOW, VISIT, december, programme, receipt_pdf, shopper
from tests.scope import OutsideScope

SHOPPER_MARKER = "Yvette Incognito"
PROGRAMME_MARKER = "Programme Parisien Secret"


def outside_scope(cast, found) -> OutsideScope:
    prog = programme(cast, name=PROGRAMME_MARKER, locations=[cast.par])
    who = shopper(SHOPPER_MARKER)
    done = december(prog, cast.par)
    assignment_claim(assignment=done, shopper=who, now=NOW)
    receipt = evidence_add(assignment=done, shopper=who, name="r.pdf", data=receipt_pdf(PROGRAMME_MARKER))
    report_save(
        assignment=done,
        shopper=who,
        answers=GOOD,
        time_in=VISIT,
        time_out=VISIT + timedelta(minutes=9),
        return_likelihood=8,
        expectation=0,
    )
    report_submit(assignment=done, shopper=who, now=VISIT + timedelta(hours=1))
    report = report_approve(assignment=done, by=cast.owner, now=VISIT + timedelta(days=1))
    pierre = User.objects.create_user("pierre-paris")
    Membership.objects.create(user=pierre, role=Role.LOCATION_MANAGER).locations.set([cast.par])
    dispute = dispute_raise(
        report=report, item_code="wait", reason="Disputed", by=pierre, now=VISIT + timedelta(days=1)
    )
    upcoming = Assignment.objects.get(programme=prog, location=cast.par, period="2026-11")
    reward = RewardEntry.objects.filter(assignment=done).first()
    before = (upcoming.status, upcoming.shopper_id, done.status, dispute.status, reward.paid_on)

    def unchanged():
        upcoming.refresh_from_db()
        done.refresh_from_db()
        dispute.refresh_from_db()
        reward.refresh_from_db()
        assert (upcoming.status, upcoming.shopper_id, done.status, dispute.status, reward.paid_on) == before
        assert Dispute.objects.filter(report=report).count() == 1
        who.refresh_from_db()
        assert who.active

    return OutsideScope(
        objects={"mystery_upcoming": upcoming, "mystery_done": done},
        values={
            "token": "not-a-sign-in-link",
            "assignment_id": upcoming.pk,
            "programme_id": prog.pk,
            "scorecard_id": prog.scorecard_id,
            "section_code": "welcome",
            "item_code": "greeted",
        },
        prefixed={
            "mystery/shop/": {"pk": upcoming.pk},
            "mystery/reports/": {"pk": done.pk},
            "mystery/disputes/": {"pk": dispute.pk},
            "mystery/rewards/": {"pk": reward.pk},
            "mystery/assignments/": {"pk": upcoming.pk},
            "mystery/evidence/": {"pk": receipt.pk},
            "mystery/shoppers/": {"pk": who.pk},
            "api/v1/mystery/reports/": {"assignment_id": done.pk},
        },
        markers=[SHOPPER_MARKER, PROGRAMME_MARKER],
        unchanged=[unchanged],
    )
