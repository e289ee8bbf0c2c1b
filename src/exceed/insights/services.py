"""The monthly report's delivery (issue 8, item 10): on the 1st, every owner and manager with an
email address gets last month's report for their scope as a PDF, in their language, unless an
owner took them off the list."""

import logging
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from exceed.insights.models import MonthlyReportDelivery, MonthlyReportOptOut
from exceed.insights.report import month_label, monthly_report_filename, monthly_report_pdf
from exceed.insights.selectors import previous_month
from exceed.org.models import Role
from exceed.org.scopes import scope_for

logger = logging.getLogger(__name__)

REPORT_ROLES = (Role.OWNER, Role.REGIONAL_MANAGER, Role.LOCATION_MANAGER)


def report_candidates():
    """Who may receive the report: active owners (superusers count as owners) and regional and
    location managers with an email."""
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(Q(is_superuser=True) | Q(membership__role__in=REPORT_ROLES))
        .select_related("membership")
        .order_by("pk")
    )


def report_recipients():
    """The candidates the owner has not taken off the list."""
    return report_candidates().exclude(pk__in=MonthlyReportOptOut.objects.values("user_id"))


@transaction.atomic
def report_recipients_choose(*, receiving_ids: set[int]) -> None:
    """Make exactly the candidates in ``receiving_ids`` receive the report; the rest opt out. A
    login that is no candidate (an associate, a login without email) is left as it is."""
    candidates = set(report_candidates().values_list("pk", flat=True))
    MonthlyReportOptOut.objects.filter(user_id__in=candidates & receiving_ids).delete()
    opted_out = set(MonthlyReportOptOut.objects.values_list("user_id", flat=True))
    now = timezone.now()
    # Two owners saving at once may both add the same login: the one row is enough.
    MonthlyReportOptOut.objects.bulk_create(
        [MonthlyReportOptOut(user_id=pk, chosen_at=now) for pk in sorted(candidates - receiving_ids - opted_out)],
        ignore_conflicts=True,
    )


def report_language(user) -> str:
    """The login's chosen language, else the site's default: a chain-wide report has no one store
    whose language would do."""
    membership = getattr(user, "membership", None)
    return (membership.language if membership is not None else "") or settings.LANGUAGE_CODE


def _page_link(month) -> str:
    return f"{settings.BASE_URL}{reverse('insights:monthly_report_page')}?month={month:%Y-%m}"


def monthly_report_send(*, user, month) -> None:
    """Email ``user`` the report on ``month`` for their scope, in their language."""
    scope = scope_for(user)
    with translation.override(report_language(user)):
        pdf = monthly_report_pdf(scope, month)
        label = month_label(month)
        subject = _("Monthly report: %(month)s") % {"month": label}
        body = _(
            "Attached is the Exceed report on %(month)s for the locations you look after, "
            "with the month before beside it.\n\nThe dashboard has the details: %(link)s\n"
        ) % {"month": label, "link": settings.BASE_URL + "/dashboard/"}
        body += _("The same report as a page: %(link)s\n") % {"link": _page_link(month)}
    message = EmailMessage(subject=subject, body=body, to=[user.email])
    message.attach(monthly_report_filename(month), pdf, "application/pdf")
    message.send()


def monthly_reports_send(*, now: datetime | None = None) -> str:
    """On the 1st, send last month's report to each recipient once; on other days nothing.

    Each recipient's delivery row is created before their email goes out: a second worker, or a
    second run the same day, fails to create it and skips them. A failed email removes its row, so
    the next run (the job is hourly) tries that recipient again.
    """
    if not settings.EXCEED_MONTHLY_REPORT_EMAILS:
        return "monthly report emails are off"
    today = timezone.localdate(now or timezone.now())
    if today.day != 1:
        return "not the first of the month"
    month = previous_month(today)
    sent = failed = 0
    for user in report_recipients():
        scope = scope_for(user)
        if scope.location_ids is not None and not scope.location_ids:
            continue  # a manager of no store yet: an empty report every month would be noise
        try:
            with transaction.atomic():
                delivery = MonthlyReportDelivery.objects.create(month=month, user=user, sent_at=now or timezone.now())
        except IntegrityError:
            continue  # sent already, or being sent by another worker
        try:
            monthly_report_send(user=user, month=month)
            sent += 1
        except Exception:
            logger.exception("monthly report to user %s failed", user.pk)
            delivery.delete()
            failed += 1
    return f"{month:%Y-%m}: {sent} sent, {failed} failed"
