"""Links and kiosks: where a survey is answered, for which location, touchpoint and person."""

from django.utils.translation import gettext as _

from exceed.errors import DomainError
from exceed.feedback.models import (
    Channel,
    ChannelKind,
    Survey,
)
from exceed.org.models import Location, Person, Touchpoint


def channel_create(
    *,
    survey: Survey,
    location: Location,
    kind: str = ChannelKind.LINK,
    touchpoint: Touchpoint | None = None,
    person: Person | None = None,
    name: str = "",
) -> Channel:
    if kind not in (ChannelKind.LINK, ChannelKind.KIOSK):
        raise DomainError(_("A channel is a link or a kiosk."), field="kind")
    channel_check_person(location=location, person=person)
    return Channel.objects.create(
        survey=survey, location=location, kind=kind, touchpoint=touchpoint, person=person, name=name
    )


def channel_check_person(*, location: Location, person: Person | None) -> None:
    """A link or kiosk that credits a person must be at a location where that person works."""
    if person is not None and not person.locations.filter(pk=location.pk).exists():
        raise DomainError(_("This person does not work at this location."), field="person")


def channel_revoke_kiosks(*, channel: Channel) -> Channel:
    from exceed.feedback.models import new_kiosk_key

    channel.kiosk_key = new_kiosk_key()
    channel.save(update_fields=["kiosk_key"])
    return channel
