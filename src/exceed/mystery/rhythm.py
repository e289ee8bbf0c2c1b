"""Periods and visit windows in a store's own time zone (issue 10 §1, §4).

A programme's rhythm cuts time into periods (a calendar month, an ISO week, or N days from the
day the location joined), each in the location's zone: a Copenhagen store's November starts at
midnight in Copenhagen, not in UTC. The visit windows ("weekday afternoons, Saturday mornings")
are local weekdays and hours, so a visit at 15:00 UTC is 16:00 in Copenhagen.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from exceed.errors import DomainError
from exceed.mystery.models import Rhythm


@dataclass(frozen=True)
class Period:
    key: str
    start: datetime  # aware, UTC
    end: datetime


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def period_of(
    moment: datetime, *, rhythm: str, zone: ZoneInfo, interval_days: int = 30, origin: date | None = None
) -> Period:
    """The period of ``rhythm`` containing ``moment``, its bounds at local midnight."""
    local = moment.astimezone(zone).date()
    if rhythm == Rhythm.MONTHLY:
        first = local.replace(day=1)
        following = (first + timedelta(days=32)).replace(day=1)
        key = f"{first:%Y-%m}"
    elif rhythm == Rhythm.WEEKLY:
        first = local - timedelta(days=local.weekday())
        following = first + timedelta(days=7)
        year, week, _day = first.isocalendar()
        key = f"{year}-W{week:02d}"
    else:
        origin = origin or date(2026, 1, 1)
        index = (local - origin).days // max(interval_days, 1)
        first = origin + timedelta(days=index * interval_days)
        following = first + timedelta(days=interval_days)
        key = f"d{first:%Y-%m-%d}"
    return Period(key, _local_midnight(first, zone), _local_midnight(following, zone))


def windows_check(windows: list) -> list[dict]:
    """The visit windows as stored, or a DomainError naming what is wrong."""
    cleaned = []
    for window in windows:
        try:
            weekday, start, end = int(window["weekday"]), int(window["start"]), int(window["end"])
        except (KeyError, TypeError, ValueError):
            raise DomainError(
                _("Each visit window needs a weekday, a start hour and an end hour."), field="windows"
            ) from None
        if not 0 <= weekday <= 6 or not 0 <= start < end <= 24:
            raise DomainError(
                _(
                    "A visit window needs a weekday from 0 (Monday) to 6 and hours from 0 to 24, the start before the end."
                ),
                field="windows",
            )
        cleaned.append({"weekday": weekday, "start": start, "end": end})
    return cleaned


def within_windows(moment: datetime, windows: list, zone: ZoneInfo) -> bool:
    """Whether ``moment`` falls in one of the visit windows, read in the store's zone. No windows: any time."""
    if not windows:
        return True
    local = moment.astimezone(zone)
    return any(w["weekday"] == local.weekday() and w["start"] <= local.hour < w["end"] for w in windows)
