"""Mystery shops in the chain's measures: the two customer questions of an approved shop, stored
as a response of the channel kind "mystery" (issue 10 §2).

Feedback does not know the mystery app; it offers these two writes, and the mystery app calls
them when a report comes to count in its results and when it stops counting. They go through the
rollup's own increment and decrement, so the daily measures stay equal to a rebuild.

What a customer's answer sets off, a mystery shop does not: no evaluation is recorded (recovery
would open a customer recovery case, and there is no customer to contact; the mystery app opens
its own corrective cases) and ``response_stored`` is not sent (webhooks tell other systems about
customers' answers; a shopper's is no customer's, and would reach a till or CRM as one).
"""

from datetime import date, datetime, time

from django.db import transaction
from django.utils.translation import gettext as _

from exceed.core.measures import RETURN_SCALE, Outcome
from exceed.errors import DomainError
from exceed.feedback.models import MYSTERY_SURVEY_SLUG, ChannelKind, Response, Survey
from exceed.feedback.rollup import rollup_add, rollup_remove
from exceed.org.models import LANGUAGE_CODES, Location, Person, Touchpoint

# The survey the mystery shops' responses belong to: never published (no link answers on it),
# counted in the measures. Created on first use.
_MYSTERY_SURVEY_TITLE = {
    "en": "Mystery shops",
    "da": "Mystery shopping-besøg",
    "fr": "Visites mystère",
    "et": "Salaostjate külastused",
    "fi": "Haamuasiointikäynnit",
}


def _mystery_survey() -> Survey:
    survey, _created = Survey.objects.get_or_create(
        slug=MYSTERY_SURVEY_SLUG,
        defaults={"title": _MYSTERY_SURVEY_TITLE, "active": False, "in_measures": True},
    )
    return survey


@transaction.atomic
def response_record_mystery_shop(
    *,
    location: Location,
    touchpoint: Touchpoint | None,
    people: list[Person],
    language: str,
    local_date: date,
    return_likelihood: int | None,
    expectation: int | None,
) -> Response:
    """Store a mystery shop's return likelihood and expectation outcome as a response of the
    channel kind "mystery" on the visit's local day, and count it in the daily measures.

    Its moment is the start of that day in the store's time zone, not the visit's time: the
    measures need only the day, and a response list that showed the hour would tell the staff
    when the shopper came (issue 10 §5)."""
    low, high = RETURN_SCALE
    if return_likelihood is not None and not low <= return_likelihood <= high:
        raise DomainError(_("The return likelihood takes 0 to 10."), field="return_likelihood")
    if expectation is not None and expectation not in Outcome.WORDS:
        raise DomainError(_("Unknown expectation outcome."), field="expectation")
    if language not in LANGUAGE_CODES:
        raise DomainError(_("Unknown language: %(language)s") % {"language": language}, field="language")
    response = Response.objects.create(
        survey=_mystery_survey(),
        channel_kind=ChannelKind.MYSTERY,
        location=location,
        touchpoint=touchpoint,
        language=language,
        submitted_at=datetime.combine(local_date, time(), tzinfo=location.zone),
        local_date=local_date,
        return_likelihood=return_likelihood,
        expectation=expectation,
    )
    person_ids = sorted({person.pk for person in people})
    if person_ids:
        response.people.add(*person_ids)
    rollup_add(response, person_ids)
    return response


@transaction.atomic
def response_withdraw_mystery_shop(*, response: Response) -> None:
    """Take a mystery shop back out of the measures and delete its response (its report was
    taken out of the results). A customer's response is never withdrawn this way."""
    response = Response.objects.select_related("survey").select_for_update(of=("self",)).get(pk=response.pk)
    if response.channel_kind != ChannelKind.MYSTERY:
        raise DomainError(_("Only a mystery shop can be withdrawn from the measures."), field="response")
    rollup_remove(response, list(response.people.values_list("pk", flat=True)))
    response.delete()
