"""A small scorecard, a monthly programme over the cast's stores, and a shopper who accepted the terms."""

from datetime import UTC, datetime

from django.contrib.auth.models import User

from exceed.mystery.models import Assignment, Shopper
from exceed.mystery.services.assignments import assignment_claim, assignments_generate
from exceed.mystery.services.programmes import programme_create
from exceed.mystery.services.reports import AnswerInput, report_save, report_submit
from exceed.mystery.services.scorecards import scorecard_from_definition
from exceed.mystery.services.shoppers import shopper_accept_terms
from exceed.org.models import Membership, Role

DEFINITION = {
    "name": {"en": "Store visit", "da": "Butiksbesøg"},
    "critical_rule": "cap",
    "critical_cap": 50,
    "sections": [
        {
            "code": "welcome",
            "title": {"en": "Welcome"},
            "items": [
                {
                    "code": "greeted",
                    "kind": "yes_no",
                    "text": {"en": "Greeted within 30 s"},
                    "weight": 2,
                    "critical": True,
                },
                {"code": "wait", "kind": "numeric", "text": {"en": "Seconds waited"}, "thresholds": [[30, 2], [60, 1]]},
            ],
        },
        {
            "code": "help",
            "title": {"en": "Help"},
            "items": [
                {"code": "asked", "kind": "scale", "text": {"en": "Asked what I expected"}, "weight": 3},
                {"code": "returns", "kind": "yes_no", "text": {"en": "Return handled"}, "na_allowed": True},
                {"code": "extra", "kind": "yes_no", "text": {"en": "Went beyond"}, "bonus": True, "required": False},
                {"code": "notes", "kind": "text", "text": {"en": "Anything else"}},
            ],
        },
    ],
}

# Tuesday 1 December 2026, 15:00 in Copenhagen (14:00 UTC): inside "weekday afternoons".
VISIT = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
WINDOWS = [{"weekday": d, "start": 14, "end": 18} for d in range(5)] + [{"weekday": 5, "start": 9, "end": 12}]


def programme(cast, **overrides):
    scorecard = scorecard_from_definition(definition=DEFINITION)
    fields = {
        "name": "Monthly store visit",
        "touchpoint": cast.in_store,
        "scorecard": scorecard,
        "locations": [cast.cph, cast.aar, cast.par],
        "windows": WINDOWS,
        "reward_amount": "20",
        "expense_cap": "15",
        **overrides,
    }
    return programme_create(**fields)


def shopper(name="Sofie", user=None, language="en"):
    if user is None:
        user = User.objects.create_user(username=name.lower() + "@example.com", email=name.lower() + "@example.com")
        Membership.objects.create(user=user, role=Role.MYSTERY_SHOPPER)
    found = Shopper.objects.create(user=user, display_name=name, language=language)
    return shopper_accept_terms(shopper=found, wording="terms", language=language, at=NOW)


def december(prog, location):
    assignments_generate(now=NOW)
    return Assignment.objects.get(programme=prog, location=location, period="2026-12", slot=0)


GOOD = {
    "greeted": AnswerInput(1),
    "wait": AnswerInput(20),
    "asked": AnswerInput(5),
    "returns": AnswerInput(not_applicable=True),
    "notes": AnswerInput(text="Nice"),
}


def submitted(prog, location, who, answers=None, visit=VISIT):
    assignment = december(prog, location)
    assignment_claim(assignment=assignment, shopper=who, now=NOW)
    report_save(
        assignment=assignment,
        shopper=who,
        answers=answers or GOOD,
        time_in=visit,
        time_out=visit.replace(minute=20),
        return_likelihood=9,
        expectation=1,
        expenses="18.50",
    )
    report_submit(assignment=assignment, shopper=who, now=visit.replace(hour=visit.hour + 1))
    assignment.refresh_from_db()
    return assignment


def receipt_pdf(text: str = "Receipt") -> bytes:
    """A one-page PDF whose page shows ``text`` uncompressed, so a test can find it in the bytes."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_compression(False)
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    return bytes(pdf.output())
