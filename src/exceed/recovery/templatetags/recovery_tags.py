from django import template
from django.utils import dateformat, formats
from django.utils.translation import gettext as _

register = template.Library()


@register.filter(expects_localtime=True)
def when(moment):
    """A moment in the reader's format and the zone the template renders in, the zone named:
    "30.11.2026 klo 14.05 EET" in Finnish, "30. nov. 2026 14:05 CET" in Danish."""
    if moment is None or moment == "":
        return ""
    return f"{formats.date_format(moment, 'DATETIME_FORMAT')} {dateformat.format(moment, 'T')}"


@register.filter
def duration(seconds):
    """Seconds as a manager reads a deadline: "25 min", "3 h 10 min", "2 d 4 h"."""
    if seconds is None or seconds == "":
        return "—"
    minutes = round(float(seconds) / 60)
    if minutes < 60:
        return _("%(m)s min") % {"m": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes} if minutes else _("%(h)s h") % {"h": hours}
    days, hours = divmod(hours, 24)
    return _("%(d)s d %(h)s h") % {"d": days, "h": hours} if hours else _("%(d)s d") % {"d": days}
