"""Writes for privacy requests: erase one customer, record each request, set and apply retention.

What "erase" keeps: every score, outcome and count the measures read (return likelihood,
expectation, CSAT, the case's outcome and timings, the invitation's sent/opened/answered), so the
daily rollup (feedback/rollup.py counts responses by day, store, touchpoint, person, channel and
language, and those scores) has nothing to follow and stays exact. What it removes: contact
details, what the customer wrote, invitation addresses and links, receipt references. Recovery's
keyed hashes of the customer's email or phone (which match a returning customer to their earlier
failure) are replaced by a random value, the same one wherever the same hash stood: observed
return and loyal conversion still count exactly what they counted, but nothing links the rows to
the person any more, and their next visit starts a new identity.
"""

import logging
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from exceed.errors import DomainError
from exceed.feedback.models import Answer, Invitation, Response
from exceed.org.scopes import Scope
from exceed.privacy.identifiers import CustomerIdentifier
from exceed.privacy.models import PrivacyAction, PrivacyAudit, RetentionPeriod
from exceed.privacy.retention import RETENTION_KINDS, retention_kind
from exceed.privacy.selectors import Holdings, customer_export, customer_holdings
from exceed.recovery.models import CustomerContact, RecoveryCase, TillVisit

logger = logging.getLogger(__name__)

# Rows cleared per transaction by the retention purge: short transactions, so answers arriving
# meanwhile never wait long, and a crash loses at most one batch's progress (the next run redoes it).
PURGE_BATCH = 500
# Batches per kind and run; the rest waits for the next run (the job runs hourly).
PURGE_BATCHES_PER_RUN = 200

MAX_RETENTION_DAYS = 36500


def _require(scope: Scope) -> None:
    if not scope.may_handle_privacy_requests:
        raise DomainError(_("Only owners handle customers' privacy requests."), status=403)


def audit_record(
    *,
    action: str,
    by,
    via: str,
    counts: dict,
    identifier: CustomerIdentifier | None = None,
    kind: str = "",
    at: datetime | None = None,
) -> PrivacyAudit:
    return PrivacyAudit.objects.create(
        at=at or timezone.now(),
        action=action,
        by=by if by is not None and by.is_authenticated else None,
        by_username=by.get_username() if by is not None and by.is_authenticated else "",
        via=via,
        identifier_hash=identifier.audit_hash() if identifier else "",
        kind=kind,
        counts=counts,
    )


@transaction.atomic
def customer_find(*, scope: Scope, identifier: CustomerIdentifier, by, via: str) -> Holdings:
    """What is held about the customer; looking is itself recorded (it reads personal data)."""
    _require(scope)
    holdings = customer_holdings(scope, identifier)
    audit_record(action=PrivacyAction.FIND, by=by, via=via, identifier=identifier, counts=holdings.counts())
    return holdings


@transaction.atomic
def customer_export_take(*, scope: Scope, identifier: CustomerIdentifier, by, via: str) -> dict:
    """Everything held about the customer, for a subject-access or portability request; recorded."""
    _require(scope)
    holdings = customer_holdings(scope, identifier)
    audit_record(action=PrivacyAction.EXPORT, by=by, via=via, identifier=identifier, counts=holdings.counts())
    return customer_export(holdings)


def _hashes_replace(hashes: list[str]) -> None:
    """Each of the customer's hashes becomes one random value, wherever it stood (see the module)."""
    for old in hashes:
        new = secrets.token_hex(32)
        RecoveryCase.objects.filter(contact_hash=old).update(contact_hash=new)
        RecoveryCase.objects.filter(customer_ref_hash=old).update(customer_ref_hash=new)
        CustomerContact.objects.filter(contact_hash=old).update(contact_hash=new)
        TillVisit.objects.filter(customer_hash=old).update(customer_hash=new)


@transaction.atomic
def customer_erase(*, scope: Scope, identifier: CustomerIdentifier, by, via: str) -> dict[str, int]:
    """Erase the customer (GDPR art. 17), all of it or nothing, and record it.

    1. Find everything held, in this transaction (an answer the customer gives while it runs is
       their new data, not part of this request).
    2. Responses: contact, comment, receipt reference and every free-text answer cleared.
    3. Invitations: address and link tokens cleared (the link stops working; the worker never
       sends or reminds an invitation without an address); their status and times stay.
    4. Cases: the customer's name, email, phone and "what impressed you" cleared.
    5. Recovery's hashes of their email or phone replaced (visits hold nothing else about them).
    6. The audit record, with the counts and a keyed hash of the identifier.
    """
    _require(scope)
    holdings = customer_holdings(scope, identifier)
    Response.objects.filter(pk__in=holdings.responses).update(
        contact_email="", contact_phone="", comment="", transaction_ref=""
    )
    Answer.objects.filter(response_id__in=holdings.responses).exclude(text="").update(text="")
    Invitation.objects.filter(pk__in=holdings.invitations).update(
        email="", token_hash=None, reminder_token_hash=None, error=""
    )
    RecoveryCase.objects.filter(pk__in=holdings.cases).update(
        contact_name="", contact_email="", contact_phone="", impressed_text=""
    )
    _hashes_replace(holdings.hashes)
    counts = holdings.counts()
    audit_record(action=PrivacyAction.ERASE, by=by, via=via, identifier=identifier, counts=counts)
    return counts


# --- Retention ----------------------------------------------------------------------------------


@transaction.atomic
def retention_set(*, scope: Scope, kind: str, days: int | None, by) -> RetentionPeriod:
    _require(scope)
    if retention_kind(kind) is None:
        raise DomainError(_("Unknown kind of data."), field="kind")
    if days is not None and not 1 <= days <= MAX_RETENTION_DAYS:
        raise DomainError(
            _("Enter a number of days from 1 to %(max)s, or leave it blank to keep.") % {"max": MAX_RETENTION_DAYS},
            field=kind,
        )
    period, _created = RetentionPeriod.objects.update_or_create(
        kind=kind, defaults={"days": days, "updated_at": timezone.now(), "updated_by": by}
    )
    return period


def _batch(queryset, limit: int) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True)[:limit])


def contact_details_purge(*, before: datetime, limit: int) -> int:
    """Contact details on responses submitted, and cases opened, before ``before``.

    Recovery's hashes stay: they are what observed return is counted by, and they identify no one
    without the contact itself.
    """
    responses = _batch(
        Response.objects.filter(submitted_at__lt=before).filter(~Q(contact_email="") | ~Q(contact_phone="")), limit
    )
    Response.objects.filter(pk__in=responses).update(contact_email="", contact_phone="")
    cases = _batch(
        RecoveryCase.objects.filter(opened_at__lt=before).filter(
            ~Q(contact_name="") | ~Q(contact_email="") | ~Q(contact_phone="")
        ),
        limit - len(responses),
    )
    RecoveryCase.objects.filter(pk__in=cases).update(contact_name="", contact_email="", contact_phone="")
    return len(responses) + len(cases)


def comments_purge(*, before: datetime, limit: int) -> int:
    """What customers wrote, on responses submitted, and cases' outcomes given, before ``before``."""
    responses = _batch(
        Response.objects.filter(submitted_at__lt=before).filter(
            ~Q(comment="") | Q(pk__in=Answer.objects.exclude(text="").values("response_id"))
        ),
        limit,
    )
    Response.objects.filter(pk__in=responses).update(comment="")
    Answer.objects.filter(response_id__in=responses).exclude(text="").update(text="")
    cases = _batch(
        RecoveryCase.objects.filter(outcome_at__lt=before).exclude(impressed_text=""), limit - len(responses)
    )
    RecoveryCase.objects.filter(pk__in=cases).update(impressed_text="")
    return len(responses) + len(cases)


def invitation_addresses_purge(*, before: datetime, limit: int) -> int:
    """Addresses of invitations created before ``before`` that have been sent (or failed);
    one still waiting for its send time keeps its address until it has gone."""
    invitations = _batch(
        Invitation.objects.filter(created_at__lt=before)
        .exclude(email="")
        .filter(Q(sent_at__isnull=False) | Q(status="failed")),
        limit,
    )
    Invitation.objects.filter(pk__in=invitations).update(email="", token_hash=None, reminder_token_hash=None, error="")
    return len(invitations)


def retention_apply(*, now: datetime | None = None, batch: int = PURGE_BATCH) -> dict[str, int]:
    """The periodic purge: for each kind with a period, clear what is older, batch by batch.

    Each batch is its own transaction; nothing a measure counts is touched (see the module), so the
    rollup stays exact between batches too. Each kind that cleared anything gets an audit record.
    """
    now = now or timezone.now()
    days_by_kind = dict(RetentionPeriod.objects.filter(days__isnull=False).values_list("kind", "days"))
    cleared: dict[str, int] = {}
    for kind in RETENTION_KINDS:
        days = days_by_kind.get(kind.code)
        if not days:
            continue
        purge = import_string(kind.purge)
        before = now - timedelta(days=days)
        total = 0
        for _round in range(PURGE_BATCHES_PER_RUN):
            with transaction.atomic():
                done = purge(before=before, limit=batch)
            total += done
            if done < batch:
                break
        if total:
            audit_record(
                action=PrivacyAction.PURGE, by=None, via="worker", kind=kind.code, counts={"items": total}, at=now
            )
        cleared[kind.code] = total
    cleared["login_records"] = login_records_purge(now=now)
    return cleared


def login_records_purge(*, now: datetime | None = None) -> int:
    """django-axes' sign-in records (username and address of each attempt) older than
    ``EXCEED_LOGIN_RECORD_DAYS``: its access log, failure log and attempts. A lock older than
    that is lifted with its attempt."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    days = settings.EXCEED_LOGIN_RECORD_DAYS
    if not days:
        return 0
    before = (now or timezone.now()) - timedelta(days=days)
    removed = 0
    for model in (AccessLog, AccessFailureLog, AccessAttempt):
        count, _per_model = model.objects.filter(attempt_time__lt=before).delete()
        removed += count
    return removed
