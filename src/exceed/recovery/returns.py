"""Whether a customer came back, stored when it becomes known (issue 8, item 8).

A customer "comes back" after a case (or after their own answer) when a later answer with a
consented contact (not to the follow-up survey, which we sent them) or a recorded till visit
carries one of their hashed identities. Checking that per case with correlated subqueries took 3 of
the 5.3 s the measures needed at 100,000 cases; instead each case and each contact keeps
``return_seconds``: whole seconds, rounded up, from its own moment to the first such return. The
loyalty window stays a setting read at measuring time, so "came back within the window" is the
plain comparison ``return_seconds <= window`` — and, because the first return is within the window
exactly when any return is, the same answer the subqueries gave, to the microsecond.

It is kept by whichever side arrives second: a new answer or visit moves the figure of every
earlier case and contact of its identity (``return_event_record``); a new case or contact looks for
returns already stored after it (``case_return_refresh``, ``contact_return_refresh``). A deleted
answer or visit makes its identity's figures be computed again (``identity_returns_refresh``).
``returns_rebuild`` computes everything at once, for the migration and for rows written in bulk.
"""

from bisect import bisect_right
from collections import defaultdict
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Min, Q

from exceed.recovery.defaults import FOLLOWUP_SURVEY_SLUG
from exceed.recovery.models import CustomerContact, RecoveryCase, TillVisit

_MICROSECOND = timedelta(microseconds=1)


def seconds_between(start: datetime, moment: datetime) -> int:
    """Whole seconds from ``start`` to a later ``moment``, rounded up: for a window of W whole
    seconds, ``moment <= start + W`` exactly when the result is ``<= W``."""
    micro = (moment - start) // _MICROSECOND
    return -(-micro // 1_000_000)


def _first_return(hashes: list[str], after: datetime) -> datetime | None:
    hashes = [value for value in hashes if value]
    if not hashes:
        return None
    # Strictly later: the answer that reported the failure is not its own return.
    answered = (
        CustomerContact.objects.filter(contact_hash__in=hashes, submitted_at__gt=after)
        .exclude(response__survey__slug=FOLLOWUP_SURVEY_SLUG)
        .aggregate(first=Min("submitted_at"))["first"]
    )
    visited = TillVisit.objects.filter(customer_hash__in=hashes, visited_at__gt=after).aggregate(
        first=Min("visited_at")
    )["first"]
    found = [moment for moment in (answered, visited) if moment is not None]
    return min(found) if found else None


def case_return_refresh(*, case: RecoveryCase) -> int | None:
    """The case's first return after opening, from what is stored now."""
    first = _first_return([case.contact_hash, case.customer_ref_hash], case.opened_at)
    seconds = seconds_between(case.opened_at, first) if first else None
    if seconds != case.return_seconds:
        RecoveryCase.objects.filter(pk=case.pk).update(return_seconds=seconds)
        case.return_seconds = seconds
    return seconds


def contact_return_refresh(*, contact: CustomerContact) -> int | None:
    """The respondent's first return after answering, from what is stored now."""
    first = _first_return([contact.contact_hash], contact.submitted_at)
    seconds = seconds_between(contact.submitted_at, first) if first else None
    if seconds != contact.return_seconds:
        CustomerContact.objects.filter(pk=contact.pk).update(return_seconds=seconds)
        contact.return_seconds = seconds
    return seconds


def return_event_record(*, identity: str, at: datetime) -> int:
    """An answer or visit by ``identity`` at ``at``: every earlier case and contact of that identity
    whose first return was later (or none) now came back at ``at``. Returns how many moved.

    The update is conditional, so two returns stored at once each lower the figure or leave it,
    and the earlier one wins whatever the order."""
    if not identity:
        return 0
    moved = 0
    for model, identity_match, started in (
        (RecoveryCase, Q(contact_hash=identity) | Q(customer_ref_hash=identity), "opened_at"),
        (CustomerContact, Q(contact_hash=identity), "submitted_at"),
    ):
        earlier = model.objects.filter(identity_match, **{f"{started}__lt": at}).values_list(
            "pk", started, "return_seconds"
        )
        for pk, moment, current in earlier:
            seconds = seconds_between(moment, at)
            if current is not None and current <= seconds:
                continue  # an earlier return is stored already: a regular's hundredth answer writes nothing
            moved += (
                model.objects.filter(pk=pk)
                .filter(Q(return_seconds__isnull=True) | Q(return_seconds__gt=seconds))
                .update(return_seconds=seconds)
            )
    return moved


def identity_returns_refresh(*, identity: str) -> None:
    """Every case and contact of ``identity`` computed again (after an answer or visit is deleted)."""
    if not identity:
        return
    for case in RecoveryCase.objects.filter(Q(contact_hash=identity) | Q(customer_ref_hash=identity)).only(
        "pk", "contact_hash", "customer_ref_hash", "opened_at", "return_seconds"
    ):
        case_return_refresh(case=case)
    for contact in CustomerContact.objects.filter(contact_hash=identity).only(
        "pk", "contact_hash", "submitted_at", "return_seconds"
    ):
        contact_return_refresh(contact=contact)


def returns_rebuild(*, case_model=RecoveryCase, contact_model=CustomerContact, visit_model=TillVisit) -> int:
    """Every case's and contact's ``return_seconds`` computed afresh; returns how many changed.

    The moments of every return are read once per identity and each case and contact finds its
    first later one by bisection: one pass over each table, where a subquery per row took minutes at
    100,000 cases. The models can be a migration's historical ones."""
    moments: dict[str, list[datetime]] = defaultdict(list)
    answers = contact_model.objects.exclude(response__survey__slug=FOLLOWUP_SURVEY_SLUG)
    for identity, moment in answers.values_list("contact_hash", "submitted_at").iterator(chunk_size=20000):
        moments[identity].append(moment)
    for identity, moment in visit_model.objects.values_list("customer_hash", "visited_at").iterator(chunk_size=20000):
        if identity:
            moments[identity].append(moment)
    for found in moments.values():
        found.sort()

    def first_after(identities, moment):
        firsts = []
        for identity in identities:
            found = moments.get(identity) if identity else None
            if found:
                at = bisect_right(found, moment)
                if at < len(found):
                    firsts.append(found[at])
        return seconds_between(moment, min(firsts)) if firsts else None

    changed = 0
    for model, columns, started in (
        (case_model, ("contact_hash", "customer_ref_hash"), "opened_at"),
        (contact_model, ("contact_hash",), "submitted_at"),
    ):
        updates = []
        for pk, moment, current, *identities in model.objects.values_list(
            "pk", started, "return_seconds", *columns
        ).iterator(chunk_size=20000):
            seconds = first_after(identities, moment)
            if seconds != current:
                updates.append((seconds, pk))
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            for start in range(0, len(updates), 20000):
                cursor.executemany(
                    f"UPDATE {table} SET return_seconds = %s WHERE id = %s", updates[start : start + 20000]
                )
        changed += len(updates)
    return changed
