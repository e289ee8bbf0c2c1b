"""Every write to recovery cases, steps, rules and settings goes through these functions."""

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exceed.core.texts import translations_clean
from exceed.errors import DomainError
from exceed.feedback.answers import check_contact_details
from exceed.feedback.models import Response, Survey
from exceed.org.models import LANGUAGE_CODES, Location, Person, Touchpoint
from exceed.recovery import defaults
from exceed.recovery.deadlines import deadline_hours, step_add_round
from exceed.recovery.identity import customer_hash
from exceed.recovery.models import (
    CaseAssignment,
    CaseCategory,
    CaseSource,
    CaseStatus,
    CaseStatusChange,
    DeadlinePolicy,
    RecoveryCase,
    RecoveryRule,
    RecoverySettings,
    RecoveryStep,
    Severity,
    StepKind,
)
from exceed.recovery.returns import case_return_refresh
from exceed.recovery.rules import rule_and_category
from exceed.recovery.signals import case_closed, case_opened
from exceed.recovery.workflow import case_set_status

# --- Defaults ----------------------------------------------------------------------------------


def categories_install() -> None:
    """The built-in categories, for installs (and flushed test databases) that lack them."""
    for position, (code, name) in enumerate(defaults.CATEGORIES):
        CaseCategory.objects.get_or_create(code=code, defaults={"name": name, "position": position})


def settings_get() -> RecoverySettings:
    found, _created = RecoverySettings.objects.get_or_create(
        pk=1,
        defaults={
            "followup_delay_hours": defaults.FOLLOWUP_DELAY_HOURS,
            "loyalty_window_days": defaults.LOYALTY_WINDOW_DAYS,
        },
    )
    return found


# A day: a longer digest would let an overdue step wait unseen past its case's whole life.
DIGEST_MINUTES_MAX = 24 * 60


def settings_update(
    *, followup_delay_hours: int, loyalty_window_days: int, digest_minutes: int | None = None
) -> RecoverySettings:
    if digest_minutes is not None and not 1 <= digest_minutes <= DIGEST_MINUTES_MAX:
        raise DomainError(
            _("The overdue digest period must be between 1 and %(most)s minutes; 0 would send a mail per step.")
            % {"most": DIGEST_MINUTES_MAX},
            field="digest_minutes",
        )
    if not 0 <= followup_delay_hours <= 24 * 90:
        raise DomainError(_("The follow-up delay must be between 0 and 2160 hours."), field="followup_delay_hours")
    if not 1 <= loyalty_window_days <= 730:
        raise DomainError(_("The loyalty window must be between 1 and 730 days."), field="loyalty_window_days")
    found = settings_get()
    found.followup_delay_hours, found.loyalty_window_days = followup_delay_hours, loyalty_window_days
    if digest_minutes is not None:
        found.digest_minutes = digest_minutes
    found.save()
    return found


# --- Opening -----------------------------------------------------------------------------------


def _check_contact(*, consent: bool, email: str, phone: str, language: str) -> None:
    if (email or phone) and not consent:
        raise DomainError(
            _("Contact details may only be stored when the customer consents to be contacted."), field="contact_consent"
        )
    check_contact_details(email=email, phone=phone)
    if language and language not in LANGUAGE_CODES:
        raise DomainError(_("Unknown language: %(language)s") % {"language": language}, field="language")


@transaction.atomic
def case_open(
    *,
    location: Location,
    category: CaseCategory,
    summary: str,
    source: str = CaseSource.STAFF,
    touchpoint: Touchpoint | None = None,
    severity: str = Severity.MEDIUM,
    description: str = "",
    consent: bool = False,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    language: str = "",
    customer_ref: str = "",
    owner: Person | None = None,
    people: list[Person] | tuple | None = (),
    response: Response | None = None,
    rule: RecoveryRule | None = None,
    by: User | None = None,
    opened_at: datetime | None = None,
) -> RecoveryCase:
    """Open a case with its five steps and their deadlines, and alert the location's managers.

    1. Check the input: a one-line summary, a known source and severity, contact only with consent.
    2. Insert the case, its steps (due relative to opening) and the first status record.
    3. After commit, queue the email alert (exceed.recovery.tasks.case_alert).

    ``people=None``: the people ``response`` names. ``customer_ref`` identifies the customer for
    loyal conversion (a loyalty card, an account number), never a receipt.
    """
    summary = " ".join((summary or "").split())
    contact_email, contact_phone = contact_email.strip(), contact_phone.strip()
    if not summary:
        raise DomainError(_("Please say in one line what happened."), field="summary")
    if len(summary) > 200:
        raise DomainError(_("Please keep the summary under 200 characters; add the rest as details."), field="summary")
    if source not in CaseSource.values:
        raise DomainError(_("Unknown source."), field="source")
    if severity not in Severity.values:
        raise DomainError(_("Unknown severity."), field="severity")
    if not category.active:
        raise DomainError(_("This category is no longer in use."), field="category")
    if owner is not None and not owner.locations.filter(pk=location.pk).exists():
        raise DomainError(_("The case owner does not work at this location."), field="owner")
    _check_contact(consent=consent, email=contact_email, phone=contact_phone, language=language)
    opened_at = opened_at or timezone.now()
    case = RecoveryCase(
        source=source,
        response=response,
        rule=rule,
        location=location,
        touchpoint=touchpoint,
        category=category,
        severity=severity,
        summary=summary,
        description=description.strip(),
        contact_consent=consent,
        contact_name=contact_name.strip() if consent else "",
        contact_email=contact_email,
        contact_phone=contact_phone,
        language=language or location.default_language,
        contact_hash=customer_hash(contact_email or contact_phone),
        customer_ref_hash=customer_hash(customer_ref),
        owner=owner,
        logged_by=by,
        opened_at=opened_at,
        opened_date=opened_at.astimezone(location.zone).date(),
    )
    case.save(force_insert=True)
    # Answers or visits stored before the case (an import, a late evaluation) may already be its return.
    case_return_refresh(case=case)
    # The case is new, so its people are plain inserts; ``people.set()`` would first read what
    # the case already has, twice.
    through = RecoveryCase.people.through
    if people is None and response is not None:
        _people_copy_from_response(case_id=case.pk, response_id=response.pk)
    elif people:
        through.objects.bulk_create(
            through(recoverycase_id=case.pk, person_id=pk) for pk in dict.fromkeys(p.pk for p in people)
        )
    hours = deadline_hours(category=category, severity=severity)
    RecoveryStep.objects.bulk_create(
        RecoveryStep(case=case, kind=kind, due_at=opened_at + timedelta(hours=hours[kind])) for kind in StepKind.values
    )
    CaseStatusChange.objects.create(case=case, to_status=CaseStatus.OPEN, by=by, at=opened_at)
    case_opened.send(sender=RecoveryCase, case=case)

    def queue_alert():
        from exceed.recovery.tasks import case_alert

        case_alert.enqueue(case.pk)

    transaction.on_commit(queue_alert)
    return case


def _people_copy_from_response(*, case_id: int, response_id: int) -> None:
    """The people a response names become the case's, in one INSERT … SELECT instead of a read and a write."""
    case_people, response_people = RecoveryCase.people.through._meta, Response.people.through._meta
    quote = connection.ops.quote_name
    case_fk = quote(case_people.get_field("recoverycase").column)
    person_fk = quote(case_people.get_field("person").column)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(case_people.db_table)} ({case_fk}, {person_fk}) "
            f"SELECT %s, {quote(response_people.get_field('person').column)} FROM {quote(response_people.db_table)} "
            f"WHERE {quote(response_people.get_field('response').column)} = %s",
            [case_id, response_id],
        )


def case_open_from_response(*, response: Response, fresh: bool = False) -> RecoveryCase | None:
    """Open the one case a low response calls for, or return the case it already has.

    ``fresh``: the response was never evaluated (its PendingEvaluation row is claimed, see
    exceed.recovery.evaluation), so the look-up for its case is skipped; should a case exist after
    all, the unique response on RecoveryCase refuses the second and the winner's case is returned.
    """
    if not fresh:
        existing = RecoveryCase.objects.filter(response=response).first()
        if existing is not None:
            return existing
    found = rule_and_category(response)
    if found is None:
        return None
    rule, category = found
    if category is None or not category.active:
        # A rule outlives the category it names: the failure is still a failure, so it lands in
        # "other" rather than being dropped by the receiver that cannot raise.
        category = _category_other()
    comment = " ".join(response.comment.split())
    summary = comment[:197] + "…" if len(comment) > 200 else comment
    if not summary:
        summary = _("Low rating without a comment (return likelihood %(n)s)") % {
            "n": response.return_likelihood if response.return_likelihood is not None else "—"
        }
    try:
        # case_open's atomic is a savepoint inside a caller's transaction, so a lost race on the
        # unique response ends quietly with the winner's case.
        return case_open(
            location=response.location,
            category=category,
            summary=summary,
            description=response.comment,
            source=CaseSource.SURVEY,
            touchpoint=response.touchpoint,
            severity=rule.severity,
            consent=response.contact_consent,
            contact_email=response.contact_email if response.contact_consent else "",
            contact_phone=response.contact_phone if response.contact_consent else "",
            language=response.language,
            # No customer_ref: a response's transaction ref is a receipt number, not a customer,
            # and would count the case as identified though it could never be matched to a return.
            people=None,
            response=response,
            rule=rule,
            opened_at=response.submitted_at,
        )
    except IntegrityError:
        return RecoveryCase.objects.get(response=response)


def _category_other() -> CaseCategory:
    """The "other" category, created or brought back into use if an owner removed or retired it."""
    categories_install()
    other = CaseCategory.objects.get(code="other")
    if not other.active:
        CaseCategory.objects.filter(pk=other.pk).update(active=True)
        other.active = True
    return other


# --- Steps and closing -------------------------------------------------------------------------


def _money(value) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(_("Please enter the value as a number, e.g. 10.00."), field="gesture_value") from None
    if amount < 0 or amount >= Decimal("100000000"):
        raise DomainError(_("Please enter a value from 0 upwards."), field="gesture_value")
    return amount


@transaction.atomic
def step_record(
    *,
    case: RecoveryCase,
    kind: str,
    by: User | None = None,
    done_by: Person | None = None,
    note: str = "",
    gesture_given: str = "",
    gesture_value=None,
    done_at: datetime | None = None,
) -> RecoveryStep:
    """Record that a step was done. A step is done once; a second record is refused, keeping the first."""
    if kind not in StepKind.values:
        raise DomainError(_("Unknown step."), field="kind")
    if case.status == CaseStatus.CLOSED:
        raise DomainError(_("This case is closed."), field="kind", status=409)
    gesture_given = gesture_given.strip()
    value = _money(gesture_value)
    if kind == StepKind.GESTURE and not gesture_given:
        raise DomainError(_("Please say what was given (e.g. a free dessert, a €10 voucher)."), field="gesture_given")
    if done_by is not None and not done_by.locations.filter(pk=case.location_id).exists():
        raise DomainError(_("This person does not work at this location."), field="done_by")
    done_at = done_at or timezone.now()
    if done_at < case.opened_at:
        raise DomainError(_("A step cannot be done before the case was opened."), field="done_at")
    claimed = RecoveryStep.objects.filter(case=case, kind=kind, done_at__isnull=True).update(
        done_at=done_at,
        done_by=done_by,
        recorded_by=by,
        note=note.strip(),
        gesture_given=gesture_given if kind == StepKind.GESTURE else "",
        gesture_value=value if kind == StepKind.GESTURE else None,
    )
    if not claimed:
        raise DomainError(
            _("The step “%(step)s” has already been recorded.") % {"step": StepKind(kind).label},
            field="kind",
            status=409,
        )
    if kind == StepKind.ACKNOWLEDGE:
        case.acknowledge_seconds = int((done_at - case.opened_at).total_seconds())
        RecoveryCase.objects.filter(pk=case.pk).update(acknowledge_seconds=case.acknowledge_seconds)
    if case.status in (CaseStatus.OPEN, CaseStatus.REOPENED):
        case_set_status(case=case, status=CaseStatus.IN_PROGRESS, by=by, at=done_at)
    return RecoveryStep.objects.filter(case=case, kind=kind).order_by("-round")[0]


@transaction.atomic
def case_close(
    *, case: RecoveryCase, by: User | None = None, reason: str = "", at: datetime | None = None
) -> RecoveryCase:
    """Close a case; with steps missing only when a reason is given. Schedules the follow-up survey."""
    reason = reason.strip()
    missing = list(case.steps.filter(done_at__isnull=True).values_list("kind", flat=True))
    if missing and not reason:
        names = ", ".join(str(StepKind(kind).label) for kind in StepKind.values if kind in missing)
        raise DomainError(
            _("These steps are not recorded yet: %(steps)s. Record them, or give a reason for closing without them.")
            % {"steps": names},
            field="reason",
        )
    if case.closed_at is not None and not reason:
        # Closed once already: a second close says what the second recovery did.
        raise DomainError(
            _("This case was reopened: please say how the second recovery went before closing it again."),
            field="reason",
        )
    at = at or timezone.now()
    case_set_status(case=case, status=CaseStatus.CLOSED, by=by, at=at, note=reason)
    case.closed_at, case.close_reason = at, reason
    case.close_seconds = max(0, int((at - case.opened_at).total_seconds()))
    fields = ["closed_at", "close_reason", "close_seconds"]
    if case.contact_consent and case.contact_email and case.followup_invitation_id is None:
        case.followup_due_at = at + timedelta(hours=settings_get().followup_delay_hours)
        fields.append("followup_due_at")
    RecoveryCase.objects.filter(pk=case.pk).update(**{name: getattr(case, name) for name in fields})
    case_closed.send(sender=RecoveryCase, case=case)
    return case


@transaction.atomic
def case_assign(*, case: RecoveryCase, owner: Person, by: User, at: datetime | None = None) -> RecoveryCase:
    """Give a case to a colleague of its store, recorded in the case's history.

    Only a manager whose scope covers the case's location may assign it, and only to an active
    person of that location: a case given to another store's employee would be one nobody there
    could act on, and one they could read only because it was theirs.
    """
    from exceed.org.scopes import scope_for

    scope = scope_for(by)
    if not scope.may_write_at(case.location_id):
        raise DomainError(
            _("You may not assign cases at %(location)s.") % {"location": case.location.name}, field="owner", status=403
        )
    if not owner.active or not owner.locations.filter(pk=case.location_id).exists():
        raise DomainError(
            _("%(person)s does not work at %(location)s; choose a colleague of that store.")
            % {"person": owner.name, "location": case.location.name},
            field="owner",
        )
    previous = RecoveryCase.objects.select_for_update().values_list("owner_id", flat=True).get(pk=case.pk)
    if previous == owner.pk:
        return case
    at = at or timezone.now()
    RecoveryCase.objects.filter(pk=case.pk).update(owner=owner)
    CaseAssignment.objects.create(case=case, from_owner_id=previous, to_owner=owner, by=by, at=at)
    case.owner = owner
    return case


@transaction.atomic
def case_reopen(
    *, case: RecoveryCase, by: User | None = None, note: str = "", at: datetime | None = None
) -> RecoveryCase:
    """Reopen a closed case; it gets a fresh follow-up step, due from now (the move's side effect)."""
    at = at or timezone.now()
    case_set_status(case=case, status=CaseStatus.REOPENED, by=by, note=note.strip(), at=at)
    step_add_round(case=case, at=at)
    return case


# --- Rules -------------------------------------------------------------------------------------


def rule_save(
    *,
    expectation_below: bool = False,
    return_at_most: int | None = None,
    csat_at_most: int | None = None,
    survey: Survey | None = None,
    location: Location | None = None,
    category: CaseCategory | None = None,
    severity: str = Severity.MEDIUM,
    active: bool = True,
    rule: RecoveryRule | None = None,
) -> RecoveryRule:
    """Create or change a rule. A threshold outside its scale, or one every answer meets, is refused."""
    if return_at_most is not None and not 0 <= return_at_most <= 9:
        raise DomainError(
            _(
                "Return likelihood runs from 0 to 10: choose a threshold from 0 to 9 (10 would open a case for every answer)."
            ),
            field="return_at_most",
        )
    if csat_at_most is not None and not 1 <= csat_at_most <= 4:
        raise DomainError(
            _("Satisfaction runs from 1 to 5: choose a threshold from 1 to 4 (5 would open a case for every answer)."),
            field="csat_at_most",
        )
    if not expectation_below and return_at_most is None and csat_at_most is None:
        raise DomainError(_("A rule needs at least one condition."), field="expectation_below")
    if severity not in Severity.values:
        raise DomainError(_("Unknown severity."), field="severity")
    rule = rule or RecoveryRule()
    rule.expectation_below, rule.return_at_most, rule.csat_at_most = expectation_below, return_at_most, csat_at_most
    rule.survey, rule.location, rule.category, rule.severity, rule.active = survey, location, category, severity, active
    rule.save()
    return rule


# --- Categories and step deadlines (the owner's pages) -----------------------------------------

CATEGORY_POSITION_MAX = 1000
# 90 days: a later deadline would outlive the follow-up and the loyalty window it is meant to lead to.
DEADLINE_HOURS_MAX = 24 * 90


def _check_category_values(*, name: str, position: int) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("A name is required."), field="name")
    if len(name) > 80:
        raise DomainError(_("A name of up to 80 characters, please."), field="name")
    if not 0 <= position <= CATEGORY_POSITION_MAX:
        raise DomainError(
            _("The position must be between 0 and %(most)s.") % {"most": CATEGORY_POSITION_MAX}, field="position"
        )
    return name


def category_create(*, code: str, name: str, names: dict | None = None, position: int = 0) -> CaseCategory:
    """A failure category; ``names`` are the owner's translations (core.texts), ``name`` the fallback."""
    name = _check_category_values(name=name, position=position)
    code = (code or "").strip().lower()
    if not code:
        raise DomainError(_("A code is required."), field="code")
    if CaseCategory.objects.filter(code=code).exists():
        raise DomainError(_("A category with the code %(code)s exists already.") % {"code": code}, field="code")
    return CaseCategory.objects.create(code=code, name=name, names=translations_clean(names or {}), position=position)


def category_update(
    *, category: CaseCategory, name: str, names: dict, position: int, active: bool = True
) -> CaseCategory:
    """Rename, translate, reorder or retire a category. A retired one keeps its cases and rules but
    is offered for no new case; "other" stays, as cases with a retired rule category land there."""
    name = _check_category_values(name=name, position=position)
    if not active and category.code == "other":
        raise DomainError(
            _("The category “other” stays in use: cases whose category was retired are filed there."), field="active"
        )
    category.name, category.names, category.position, category.active = (
        name,
        translations_clean(names),
        position,
        active,
    )
    category.save(update_fields=["name", "names", "position", "active"])
    return category


@transaction.atomic
def deadline_policy_save(
    *, step: str, hours: int, category: CaseCategory | None = None, severity: str = ""
) -> DeadlinePolicy:
    """The hours after opening a step is due, for a category, a severity, both or neither; the same
    combination again changes the stored row instead of adding a second one."""
    if step not in StepKind.values:
        raise DomainError(_("Unknown step."), field="step")
    if severity and severity not in Severity.values:
        raise DomainError(_("Unknown severity."), field="severity")
    if hours is None or not 1 <= hours <= DEADLINE_HOURS_MAX:
        raise DomainError(
            _("A deadline must be between 1 and %(most)s hours after opening.") % {"most": DEADLINE_HOURS_MAX},
            field="hours",
        )
    found = (
        DeadlinePolicy.objects.select_for_update()
        .filter(category=category, severity=severity or "", step=step)
        .order_by("pk")
        .first()
    )
    if found is None:
        return DeadlinePolicy.objects.create(category=category, severity=severity or "", step=step, hours=hours)
    found.hours = hours
    found.save(update_fields=["hours"])
    return found


def deadline_policy_delete(*, policy: DeadlinePolicy) -> None:
    """Back to the next less specific deadline (in the end the built-in one); open cases keep theirs."""
    policy.delete()
