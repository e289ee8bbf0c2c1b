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


def channel_update(
    *, channel: Channel, name: str, touchpoint: Touchpoint | None = None, person: Person | None = None
) -> Channel:
    """Rename a link or kiosk, or change the touchpoint and person its answers are credited to.
    Its address stays, so printed posters and unlocked tablets keep working."""
    name = " ".join((name or "").split())
    if len(name) > 120:
        raise DomainError(_("A name of up to 120 characters, please."), field="name")
    channel_check_person(location=channel.location, person=person)
    channel.name, channel.touchpoint, channel.person = name, touchpoint, person
    channel.save(update_fields=["name", "touchpoint", "person"])
    return channel


def channel_set_active(*, channel: Channel, active: bool) -> Channel:
    """Revoke a link or kiosk (its address answers "no longer in use") or bring it back."""
    channel.active = active
    channel.save(update_fields=["active"])
    return channel


def channel_reissue(*, channel: Channel) -> Channel:
    """A new address for the link or kiosk (and a new key for a kiosk): the old address, the posters
    printed with it and every tablet opened with it stop working; the answers stay with the channel."""
    from exceed.feedback.models import new_kiosk_key, new_slug

    slug = new_slug()
    while Channel.objects.filter(slug=slug).exists():
        slug = new_slug()
    channel.slug, channel.kiosk_key = slug, new_kiosk_key()
    channel.save(update_fields=["slug", "kiosk_key"])
    return channel
