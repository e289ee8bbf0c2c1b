"""Feedback's answers to the organisation's events (org may not import feedback: it signals)."""

from django.dispatch import receiver

from exceed.feedback.models import Survey
from exceed.feedback.services import channel_create, default_survey_install
from exceed.org.models import Location, Touchpoint
from exceed.org.services import location_created


@receiver(location_created, sender=Location, dispatch_uid="feedback.default_link_for_new_location")
def default_link_for_new_location(sender, location: Location, **kwargs) -> None:
    """A new store gets its survey link (and so its QR poster) at once, in the store's transaction.

    The link asks the visit survey; where an owner retired it, the oldest active survey that
    counts in the measures; in an empty installation, the visit survey is installed.
    """
    survey = (
        Survey.objects.filter(slug="visit", active=True).first()
        or Survey.objects.filter(active=True, in_measures=True).order_by("created_at", "pk").first()
        or default_survey_install()
    )
    channel_create(survey=survey, location=location, touchpoint=Touchpoint.objects.filter(code="in-store").first())
