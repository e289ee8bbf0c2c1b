"""The limits on what anyone may send: dates, periods, numbers and text, in one home.

The dashboard's filter bar, the recovery filters, the API's types (``exceed.api.types``) and the
answer checks all ask here, so a date the dashboard refuses is one the API refuses too. Why limits
at all (issue 7): a range from year 1 to 9999 made the dashboard build 520,000 trend buckets and
held a worker for 30 s, 9999-12-31 overflowed Python's date arithmetic, PostgreSQL refuses a NUL
in text (a 500 where SQLite stored it), and its bigint stops at 2⁶³−1.

Each ``*_problem`` function returns the message to show, in the active language, or None.
"""

import re
from datetime import date, datetime, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

# No retailer's feedback predates the web survey; nothing is planned further ahead than a year.
EARLIEST_DATE = date(2000, 1, 1)
FUTURE_DAYS = 366
# Five years: at most 262 weekly trend buckets, and a range no report of ours needs to exceed.
MAX_PERIOD_DAYS = 5 * 366
# PostgreSQL's bigint; SQLite's integer is the same width.
MAX_DB_INT = 2**63 - 1
# A page offset past this skips more rows than any installation holds.
MAX_OFFSET = 1_000_000_000
# Tills sync with slightly fast clocks; an event from further ahead than this is a mistake.
CLOCK_SKEW = timedelta(minutes=5)


def latest_date(today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=FUTURE_DAYS)


def date_problem(value: date, *, today: date | None = None) -> str | None:
    if isinstance(value, datetime):
        value = value.date()
    last = latest_date(today)
    if EARLIEST_DATE <= value <= last:
        return None
    return _("Choose a date from %(first)s to %(last)s.") % {
        "first": EARLIEST_DATE.isoformat(),
        "last": last.isoformat(),
    }


def period_problem(date_from: date | None, date_to: date | None) -> str | None:
    if date_from and date_to and (date_to - date_from).days + 1 > MAX_PERIOD_DAYS:
        return _("Choose a period of at most %(years)s years.") % {"years": MAX_PERIOD_DAYS // 366}
    return None


def moment_problem(value: datetime) -> str | None:
    """Any moment: not before 2000 (year 1 overflows a time zone's arithmetic)."""
    if value.date() < EARLIEST_DATE:
        return date_problem(value.date())
    return None


def past_moment_problem(value: datetime) -> str | None:
    """An event that has happened (a visit, an answer): not before 2000, not in the future."""
    if value.tzinfo is not None and value > timezone.now() + CLOCK_SKEW:
        return _("This time is in the future.")
    return moment_problem(value)


def text_problem(value: str) -> str | None:
    """Free text (a comment, a note): any character but NUL, which PostgreSQL cannot store."""
    if "\x00" in value:
        return _("This text contains a NUL character, which cannot be stored.")
    return None


def nul_path(value, path: tuple[str, ...] = ()) -> str | None:
    """Where the first NUL lies in decoded JSON (``answers.comment``, ``people.0``), or None.

    A NUL in a key is reported as the key with the NUL written ``\\u0000``; "" is the value itself.
    """
    if isinstance(value, str):
        return ".".join(path) if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            key = str(key)
            if "\x00" in key:
                return ".".join([*path, key.replace("\x00", "\\u0000")])
            if (found := nul_path(item, (*path, key))) is not None:
                return found
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if (found := nul_path(item, (*path, str(index)))) is not None:
                return found
    return None


# Unicode's "Cc" category is exactly these two ranges (C0 with DEL, and C1); one regular
# expression instead of a category look-up per character: an import checks millions of codes.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def code_problem(value: str) -> str | None:
    """A one-line identifier (an external id, an employee number): no control characters at all,
    which no till or spreadsheet shows and which make two equal-looking codes differ."""
    if _CONTROL.search(value):
        return _("This value contains a control character (such as a tab, line break or NUL).")
    return None


class BoundedDateField(forms.DateField):
    """A date field of a filter or form that refuses dates outside ``date_problem``'s range."""

    def validate(self, value):
        super().validate(value)
        if value and (problem := date_problem(value)):
            raise ValidationError(problem, code="out_of_range")


def clean_period(form: forms.Form, *, start: str = "date_from", end: str = "date_to") -> None:
    """For a form's ``clean()``: a period no longer than ``MAX_PERIOD_DAYS``, the error on its start."""
    data = form.cleaned_data
    if problem := period_problem(data.get(start), data.get(end)):
        form.add_error(start, problem)
