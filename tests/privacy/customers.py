"""One customer, Kirsten, held in all four sources, and a stranger who must be left alone."""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from exceed.feedback.models import Invitation, Response
from exceed.feedback.services import invitation_create, response_submit
from exceed.recovery.models import RecoveryCase, TillVisit
from exceed.recovery.services import step_record
from exceed.recovery.visits import visit_record
from tests.recovery.factories import evaluate_pending, staff_case

EMAIL = "Kirsten.Holm@Example.com"
PHONE = "+45 12 34 56 78"
COMMENT = "Kirsten waited forty minutes at the till"
STRANGER_EMAIL = "stranger@example.org"
STRANGER_COMMENT = "The stranger loved the bakery"


@dataclass
class Held:
    by_email: Response
    by_phone: Response
    by_invitation: Response
    invitation: Invitation
    case_from_answer: RecoveryCase
    staff_case: RecoveryCase
    visit: TillVisit
    stranger: Response
    stranger_visit: TillVisit


def customer_held(cast) -> Held:
    """Kirsten: a low answer with her email (it opens a case), a high one with her phone written
    otherwise, an answer through an invitation to her address (in capitals), a case staff logged
    with her phone in the 00-form, and a till visit by her email after the failure. The stranger:
    an answer with contact and a visit."""
    now = timezone.now()
    by_email = response_submit(
        survey=cast.survey,
        location=cast.cph,
        touchpoint=cast.in_store,
        raw_answers={
            "return": "2",
            "expectation": "below",
            "difference": COMMENT,
            "contact": "yes",
            # Naming Anders puts the answer in the rollup's per-person rows too.
            "served_by": [cast.anders.pk],
        },
        contact={"email": EMAIL.lower()},
        language="da",
        channel_kind="link",
        submitted_at=now - timedelta(days=3),
        transaction_ref="R-1001",
    )
    by_phone = response_submit(
        survey=cast.survey,
        location=cast.aar,
        raw_answers={"return": "9", "expectation": "exceeded", "contact": "yes"},
        contact={"phone": "+4512345678"},
        language="da",
        channel_kind="link",
        submitted_at=now - timedelta(days=2),
    )
    invitation = invitation_create(survey=cast.survey, location=cast.par, email=EMAIL.upper())
    by_invitation = response_submit(
        survey=cast.survey,
        location=cast.par,
        raw_answers={"return": "7", "expectation": "met", "difference": "Kirsten again, via the mail"},
        invitation=invitation,
        language="fr",
        channel_kind="email",
        submitted_at=now - timedelta(hours=6),
    )
    stranger = response_submit(
        survey=cast.survey,
        location=cast.cph,
        raw_answers={"return": "1", "expectation": "below", "difference": STRANGER_COMMENT, "contact": "yes"},
        contact={"email": STRANGER_EMAIL},
        language="da",
        channel_kind="link",
        submitted_at=now - timedelta(days=3),
    )
    evaluate_pending()
    case_from_answer = RecoveryCase.objects.get(response=by_email)
    step_record(case=case_from_answer, kind="apologise", note="Called Kirsten, she accepted the apology")
    logged = staff_case(
        cast, consent=True, contact_name="Kirsten Holm", contact_phone="0045 1234 5678", language="da", hours_ago=30
    )
    visit, _ = visit_record(
        external_id="TILL-77", location=cast.cph, visited_at=now - timedelta(hours=1), customer_ref=EMAIL
    )
    stranger_visit, _ = visit_record(
        external_id="TILL-78", location=cast.cph, visited_at=now - timedelta(hours=1), customer_ref=STRANGER_EMAIL
    )
    return Held(
        by_email=by_email,
        by_phone=by_phone,
        by_invitation=by_invitation,
        invitation=invitation,
        case_from_answer=case_from_answer,
        staff_case=logged,
        visit=visit,
        stranger=stranger,
        stranger_visit=stranger_visit,
    )
