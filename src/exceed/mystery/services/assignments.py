"""Assignments: generated from each programme's rhythm, claimed under the programme's rules,
reminded before their window closes, expired when their time runs out, paired for calibration."""

from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from exceed.errors import DomainError
from exceed.mystery.models import Assignment, AssignmentStatus, ProgrammeLocation, Shopper
from exceed.mystery.rhythm import period_of
from exceed.mystery.workflow import ASSIGNMENT_WORKFLOW, HELD

S = AssignmentStatus


def _periods_ahead(membership: ProgrammeLocation, now: datetime):
    """The period now running and the next one, so shoppers can plan a period ahead."""
    zone = membership.location.zone
    rhythm, interval = membership.effective_rhythm, membership.effective_interval
    current = period_of(now, rhythm=rhythm, zone=zone, interval_days=interval, origin=membership.starts_on)
    following = period_of(current.end, rhythm=rhythm, zone=zone, interval_days=interval, origin=membership.starts_on)
    return [current, following]


def assignments_generate(*, now: datetime | None = None) -> int:
    """One assignment per active programme, location and period (this one and the next); returns
    how many were new. Safe to run any number of times: the unique slot makes a second run a no-op."""
    now = now or timezone.now()
    memberships = ProgrammeLocation.objects.filter(programme__active=True, location__active=True).select_related(
        "programme", "location"
    )
    rows = []
    for membership in memberships:
        for period in _periods_ahead(membership, now):
            if period.end <= now:
                continue
            rows.append(
                Assignment(
                    programme=membership.programme,
                    location=membership.location,
                    period=period.key,
                    slot=0,
                    window_start=period.start,
                    window_end=period.end,
                    windows=membership.programme.windows,
                )
            )
    before = Assignment.objects.count()
    Assignment.objects.bulk_create(rows, ignore_conflicts=True)
    return Assignment.objects.count() - before


def _lockout_conflict(*, assignment: Assignment, shopper: Shopper) -> bool:
    """Whether the shopper holds a shop at this location within the lockout days of this one.

    A visit's own time where the report gives it, else the window's start.
    """
    days = timedelta(days=assignment.programme.lockout_days)
    others = (
        Assignment.objects.filter(shopper=shopper, location=assignment.location, status__in=HELD)
        .exclude(pk=assignment.pk)
        .select_related("report")
    )
    for other in others:
        report = getattr(other, "report", None)
        when = (report.time_in if report is not None else None) or other.window_start
        if abs(when - assignment.window_start) < days:
            return True
    return False


def claim_problem(*, assignment: Assignment, shopper: Shopper, now: datetime) -> str | None:
    """Why ``shopper`` may not claim ``assignment`` now, in words; None when they may."""
    if not shopper.active:
        return _("Your shopper account is paused.")
    if shopper.terms_accepted_at is None:
        return _("Please accept the terms before claiming a shop.")
    if assignment.status == S.EXPIRED or assignment.window_end <= now:
        return _("This shop has expired.")
    if assignment.status != S.OPEN:
        return _("Another shopper has this shop already.")
    if assignment.reserved_for_id not in (None, shopper.pk):
        return _("This shop is reserved for another shopper.")
    if shopper.excluded_locations.filter(pk=assignment.location_id).exists():
        return _("You are known at this store, so you cannot shop it.")
    twin = assignment.calibration_of
    if twin is not None and twin.shopper_id == shopper.pk:
        return _("A calibration shop needs a second shopper.")
    if _lockout_conflict(assignment=assignment, shopper=shopper):
        return _("You shopped this store less than %(days)s days ago.") % {"days": assignment.programme.lockout_days}
    held = Assignment.objects.filter(
        shopper=shopper, programme=assignment.programme, period=assignment.period, status__in=HELD
    ).count()
    if held >= assignment.programme.claims_per_period:
        return _("You have claimed as many shops as this programme allows in one period (%(limit)s).") % {
            "limit": assignment.programme.claims_per_period
        }
    return None


@transaction.atomic
def assignment_claim(*, assignment: Assignment, shopper: Shopper, now: datetime | None = None) -> Assignment:
    """Give ``assignment`` to ``shopper`` if the rules allow; the workflow's conditional update
    decides between two shoppers claiming the same shop at once."""
    now = now or timezone.now()
    problem = claim_problem(assignment=assignment, shopper=shopper, now=now)
    if problem:
        raise DomainError(problem, field="assignment", status=409)
    ASSIGNMENT_WORKFLOW.move(assignment, S.CLAIMED, by=shopper.user, at=now)
    Assignment.objects.filter(pk=assignment.pk).update(shopper=shopper, claimed_at=now)
    assignment.shopper, assignment.claimed_at = shopper, now
    return assignment


@transaction.atomic
def assignment_release(*, assignment: Assignment, shopper: Shopper, now: datetime | None = None) -> Assignment:
    """The shopper cannot go after all: the shop is open again for others (a draft is dropped)."""
    if assignment.shopper_id != shopper.pk:
        raise DomainError(_("This is not your shop."), field="assignment", status=404)
    ASSIGNMENT_WORKFLOW.move(assignment, S.OPEN, by=shopper.user, at=now)
    if hasattr(assignment, "report"):
        assignment.report.delete()
    Assignment.objects.filter(pk=assignment.pk).update(shopper=None, claimed_at=None, reminded_at=None)
    assignment.shopper = None
    return assignment


def assignments_expire(*, now: datetime | None = None) -> int:
    """Open and claimed shops whose window closed, and returned ones not revised in time, expire."""
    now = now or timezone.now()
    due = Assignment.objects.filter(
        Q(status__in=(S.OPEN, S.CLAIMED), window_end__lte=now) | Q(status=S.RETURNED, revise_by__lte=now)
    )
    expired = 0
    for assignment in due:
        try:
            with transaction.atomic():
                ASSIGNMENT_WORKFLOW.move(assignment, S.EXPIRED, at=now)
                expired += 1
        except DomainError:
            continue  # moved by someone else meanwhile (submitted at the last minute)
    return expired


def assignments_remind(*, now: datetime | None = None) -> int:
    """Remind each shopper once of a claimed shop whose window closes within the programme's hours.

    The conditional update on ``reminded_at`` claims the reminder, so two workers send it once.
    """
    now = now or timezone.now()
    sent = 0
    candidates = Assignment.objects.filter(
        status=S.CLAIMED, reminded_at__isnull=True, window_end__gt=now
    ).select_related("programme", "location", "shopper__user")
    for assignment in candidates:
        if assignment.window_end - timedelta(hours=assignment.programme.reminder_hours) > now:
            continue
        if not Assignment.objects.filter(pk=assignment.pk, reminded_at__isnull=True).update(reminded_at=now):
            continue
        shopper = assignment.shopper
        with translation.override(shopper.language):
            local_end = assignment.window_end.astimezone(assignment.location.zone)
            body = _(
                "Hello %(name)s,\n\nYour shop at %(location)s for “%(programme)s” must be done and reported by "
                "%(end)s (store time). If you cannot go, release it so another shopper can.\n"
            ) % {
                "name": shopper.display_name,
                "location": assignment.location.name,
                "programme": assignment.programme.name,
                "end": local_end.strftime("%Y-%m-%d %H:%M"),
            }
            EmailMessage(subject=_("Reminder: your mystery shop"), body=body, to=[shopper.user.email]).send()
        sent += 1
    return sent


@transaction.atomic
def calibration_pair_create(
    *, assignment: Assignment, first: Shopper, second: Shopper, by: User | None = None
) -> Assignment:
    """Send two shoppers to the same location in the same window, to see how far apart they score.

    The open shop is reserved for ``first``; a twin in the next slot is reserved for ``second``.
    """
    if first.pk == second.pk:
        raise DomainError(_("A calibration pair needs two different shoppers."), field="second")
    if assignment.status != S.OPEN or assignment.calibration_of_id:
        raise DomainError(_("Only an open shop can be paired for calibration."), field="assignment", status=409)
    for shopper in (first, second):
        if shopper.excluded_locations.filter(pk=assignment.location_id).exists():
            raise DomainError(_("%(name)s is known at this store.") % {"name": shopper.display_name}, field="second")
    slot = (
        Assignment.objects.filter(
            programme=assignment.programme, location=assignment.location, period=assignment.period
        )
        .order_by("-slot")
        .values_list("slot", flat=True)
        .first()
        or 0
    ) + 1
    Assignment.objects.filter(pk=assignment.pk).update(reserved_for=first)
    assignment.reserved_for = first
    return Assignment.objects.create(
        programme=assignment.programme,
        location=assignment.location,
        period=assignment.period,
        slot=slot,
        window_start=assignment.window_start,
        window_end=assignment.window_end,
        windows=assignment.windows,
        reserved_for=second,
        calibration_of=assignment,
    )
