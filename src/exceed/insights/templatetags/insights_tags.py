"""Small presentation filters for the dashboard: signed scores, their tone, sort toggles."""

from datetime import date

from django import template
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from exceed.feedback.models import ExpectationOutcome
from exceed.insights.selectors import EXPECTATION_WORDS

register = template.Library()

# Numeric columns sort high-to-low first, because the top and the bottom are what people look for.
_ASCENDING_FIRST = {"name"}


@register.filter
def signed(value) -> str:
    """A score on −100…100 as a whole number with its sign: "+42", "−7", "0"; "–" when unknown."""
    if value is None:
        return "–"
    number = round(value)
    if number > 0:
        return f"+{number}"
    if number < 0:
        return f"\u2212{abs(number)}"
    return "0"


@register.filter
def whole(value) -> str:
    return "–" if value is None else str(round(value))


@register.filter
def tone(value) -> str:
    if value is None:
        return ""
    return "positive" if value > 0 else "negative" if value < 0 else ""


@register.filter
def next_sort(key: str, current: str) -> str:
    """The sort a column header's link asks for: the other direction if it is the current column."""
    if current == key:
        return f"-{key}"
    if current == f"-{key}":
        return key
    return key if key in _ASCENDING_FIRST else f"-{key}"


@register.filter
def aria_sort(key: str, current: str) -> str:
    if current == key:
        return "ascending"
    if current == f"-{key}":
        return "descending"
    return "none"


@register.filter
def expectation_word(value) -> str:
    return EXPECTATION_WORDS.get(value, "")


_SHORT = {
    ExpectationOutcome.BELOW: _("Below"),
    ExpectationOutcome.MET: _("Met"),
    ExpectationOutcome.EXCEEDED: _("Exceeded"),
}


@register.filter
def expectation_short(value) -> str:
    """ "Below" / "Met" / "Exceeded", for narrow table cells."""
    return str(_SHORT.get(value, ""))


@register.filter
def expectation_label(value) -> str:
    return str(ExpectationOutcome(value).label) if value in ExpectationOutcome.values else ""


@register.filter
def iso_date(value):
    """An ISO date string (the trend's points are JSON-ready) as a date, for ``|date``."""
    return date.fromisoformat(value) if isinstance(value, str) and value else value


@register.filter
def score_text(figure) -> str:
    """ "+42 (n = 120; +30 to +54)": a score with its sample and 95 % interval (the monthly report's
    page and PDF say it alike)."""
    if figure is None or figure.value is None:
        return "–"
    if figure.low is None or figure.high is None:
        return gettext("%(value)s (n = %(n)s)") % {"value": signed(figure.value), "n": figure.n}
    return gettext("%(value)s (n = %(n)s; %(low)s to %(high)s)") % {
        "value": signed(figure.value),
        "n": figure.n,
        "low": signed(figure.low),
        "high": signed(figure.high),
    }


@register.filter
def percent_text(figure) -> str:
    if figure is None or figure.value is None:
        return "–"
    return gettext("%(value)s %% (n = %(n)s)") % {"value": whole(figure.value), "n": figure.n}
