"""The filter bar: which options a scope may pick from, and a query string read into a filter.

A value outside the options offered (a location of another region, a made-up id) is dropped
rather than honoured: the selectors would return nothing for it anyway, and the form must never
echo a name the user may not see. A date outside ``exceed.bounds`` or a period longer than it
allows is dropped or shortened with a message for the bar, so no query string can make a
request build more than a few hundred trend buckets (issue 7).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from exceed.bounds import MAX_PERIOD_DAYS, date_problem, period_problem
from exceed.core.measures import Outcome
from exceed.feedback.models import ChannelKind
from exceed.feedback.selectors import SOURCE_ALL, SOURCE_CUSTOMERS, SOURCE_MYSTERY, FeedbackFilter
from exceed.org.models import LANGUAGE_CHOICES, Person, Region, Touchpoint
from exceed.org.scopes import Scope, locations_in_scope

PRESETS = {"7": _("Last 7 days"), "30": _("Last 30 days"), "90": _("Last 90 days"), "all": _("All time")}
DEFAULT_PERIOD = "30"
SORT_KEYS = {"name", "score", "index", "exceeded", "n"}
COMMENT_TABS = [("", _("All")), ("below", _("Below")), ("met", _("Met")), ("exceeded", _("Exceeded"))]
OUTCOMES = Outcome.CODES  # "below" / "met" / "exceeded" → the stored code
# Whose answers the figures count; customers' alone unless the user asks (issue 10 §2).
SOURCE_CHOICES = [
    (SOURCE_CUSTOMERS, _("Customers")),
    (SOURCE_MYSTERY, _("Mystery shops")),
    (SOURCE_ALL, _("Customers and mystery shops")),
]


@dataclass
class FilterOptions:
    """What the filter bar offers; everything here lies within the scope."""

    regions: list
    locations: list
    touchpoints: list
    people: list
    # The channels customers answer on; mystery shops are picked by their source.
    channels: list = field(
        default_factory=lambda: [choice for choice in ChannelKind.choices if choice[0] != ChannelKind.MYSTERY]
    )
    sources: list = field(default_factory=lambda: list(SOURCE_CHOICES))
    languages: list = field(default_factory=lambda: list(LANGUAGE_CHOICES))

    @property
    def location_groups(self) -> list[tuple[str, list]]:
        """Locations grouped under their region, for an <optgroup> per region."""
        groups: dict[str, list] = {}
        for location in self.locations:
            groups.setdefault(location.region.name, []).append(location)
        return list(groups.items())


@dataclass
class DashboardQuery:
    """A cleaned query string: the selector filter plus the page's own choices."""

    filters: FeedbackFilter
    period: str  # a key of PRESETS, or "custom"
    outcome: str = ""  # a key of OUTCOMES, or "" for all
    sort: str = ""
    errors: dict[str, str] = field(default_factory=dict)  # parameter → why it was dropped or changed

    @property
    def expectation(self) -> int | None:
        return OUTCOMES[self.outcome] if self.outcome else None

    @property
    def active_filters(self) -> int:
        """How many filters narrow the view beyond its period, for the folded filter bar's label.

        The outcome is left out: on the dashboard it picks the comments' tab, not the figures."""
        filters = self.filters
        chosen = [filters.region, filters.location, filters.touchpoint, filters.person, filters.channel]
        extra = bool(filters.language) + (filters.source != SOURCE_CUSTOMERS)
        return sum(value is not None for value in chosen) + extra

    @property
    def days(self) -> int | None:
        if self.filters.date_from and self.filters.date_to:
            return (self.filters.date_to - self.filters.date_from).days + 1
        return None


def filter_options(scope: Scope) -> FilterOptions:
    locations = list(locations_in_scope(scope).select_related("region").order_by("region__name", "name"))
    location_ids = [location.pk for location in locations]
    # An associate's figures are theirs alone, so the bar offers no colleagues to pick from.
    people = (
        []
        if scope.person_id is not None
        else list(Person.objects.filter(locations__in=location_ids).distinct().order_by("name"))
    )
    return FilterOptions(
        regions=list(Region.objects.filter(locations__in=location_ids).distinct().order_by("name")),
        locations=locations,
        touchpoints=list(Touchpoint.objects.order_by("position", "name")) if locations else [],
        people=people,
    )


def query_from_params(params, options: FilterOptions, *, today: date | None = None) -> DashboardQuery:
    """Read GET parameters into a DashboardQuery, keeping only values the options allow.

    The form always submits its date fields along with the period they were filled from; dates
    that differ from that period's range were edited by hand and win, as a custom range. So the
    plain form and the preset links (which send empty dates) agree without JavaScript.
    """
    today = today or stores_today(options.locations)
    date_from, date_to, errors = _bounded_dates(params, today)
    period = params.get("period", "")
    if period not in PRESETS:
        period = "custom" if (date_from or date_to) else DEFAULT_PERIOD
    preset_range = preset_dates(period, today)
    if (date_from or date_to) and (date_from, date_to) != preset_range:
        period = "custom"
    else:
        date_from, date_to = preset_range
    if period == "custom" and not (date_from or date_to):
        period = "all"
    filters = FeedbackFilter(
        date_from=date_from,
        date_to=date_to,
        region=_pick(params.get("region"), {region.pk for region in options.regions}),
        location=_pick(params.get("location"), {location.pk for location in options.locations}),
        touchpoint=_pick(params.get("touchpoint"), {touchpoint.pk for touchpoint in options.touchpoints}),
        person=_pick(params.get("person"), {person.pk for person in options.people}),
        channel=params.get("channel") if params.get("channel") in dict(options.channels) else None,
        language=params.get("language") if params.get("language") in dict(options.languages) else None,
        source=params.get("source") if params.get("source") in dict(options.sources) else SOURCE_CUSTOMERS,
    )
    outcome, sort = params.get("outcome", ""), params.get("sort", "")
    return DashboardQuery(
        filters=filters,
        period=period,
        outcome=outcome if outcome in OUTCOMES else "",
        sort=sort if sort.lstrip("-") in SORT_KEYS else "",
        errors=errors,
    )


def stores_today(locations) -> date:
    """Today as the stores in view count it: responses carry their store's local day, so "the
    last 7 days" must end on the latest local date among them (Helsinki's day starts before UTC's),
    not on the server's UTC date, or the first hours of each day would be missing."""
    now = timezone.now()
    return max((now.astimezone(location.zone).date() for location in locations), default=timezone.localdate())


def preset_dates(period: str, today: date) -> tuple[date | None, date | None]:
    if period in PRESETS and period != "all":
        return today - timedelta(days=int(period) - 1), today
    return None, None


def canonical_query(query: DashboardQuery, **extra) -> str:
    """The query string that names this view and nothing more: no empty or default values."""
    filters = query.filters
    params = {}
    if query.period == "custom":
        params["date_from"] = filters.date_from.isoformat() if filters.date_from else None
        params["date_to"] = filters.date_to.isoformat() if filters.date_to else None
    elif query.period != DEFAULT_PERIOD:
        params["period"] = query.period
    for name in ("region", "location", "touchpoint", "person", "channel", "language"):
        params[name] = getattr(filters, name)
    params["source"] = filters.source if filters.source != SOURCE_CUSTOMERS else None
    params.update(outcome=query.outcome, sort=query.sort, **extra)
    kept = {name: value for name, value in params.items() if value not in (None, "")}
    return "?" + urlencode(kept) if kept else ""


def _bounded_dates(params, today: date) -> tuple[date | None, date | None, dict[str, str]]:
    """The dates asked for, in order, within ``exceed.bounds``; and why any was dropped or moved."""
    errors: dict[str, str] = {}
    date_from = _date(params.get("date_from"), "date_from", today, errors)
    date_to = _date(params.get("date_to"), "date_to", today, errors)
    if date_from and date_to and date_from > date_to:
        date_from, date_to = date_to, date_from
    if problem := period_problem(date_from, date_to):
        # Keep the end the user chose and shorten the period to the longest allowed.
        errors["date_from"] = problem
        date_from = date_to - timedelta(days=MAX_PERIOD_DAYS - 1)
    return date_from, date_to, errors


def _date(raw, name: str, today: date, errors: dict[str, str]) -> date | None:
    if not raw:
        return None
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        errors[name] = gettext("Enter a valid date.")
        return None
    if problem := date_problem(value, today=today):
        errors[name] = problem
        return None
    return value


def _pick(raw, allowed: set[int]) -> int | None:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return None
    return value if value in allowed else None
