"""Service failures, their recovery cases and steps, the rules that open them, and observed visits
(docs/DOMAIN.md §4: acknowledge, apologise, fix, gesture, follow up)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from exceed.core.measures import CSAT_SCALE, RETURN_SCALE
from exceed.feedback.models import Invitation, Response, Survey
from exceed.org.models import Location, Person, Touchpoint


class CaseSource(models.TextChoices):
    SURVEY = "survey", _("Survey response")
    STAFF = "staff", _("Logged by staff")
    PHONE = "phone", _("Phone complaint")
    EMAIL = "email", _("Email complaint")
    API = "api", _("API")
    MYSTERY_SHOP = "mystery_shop", _("Mystery shop")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")
    REOPENED = "reopened", _("Reopened")


class StepKind(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledge")
    APOLOGISE = "apologise", _("Apologise")
    FIX = "fix", _("Fix")
    GESTURE = "gesture", _("Gesture")
    FOLLOW_UP = "follow_up", _("Follow up")


class CaseCategory(models.Model):
    """The editable list of failure kinds (wrong order, wait, product, …)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=80)
    # The owner's translations of the name (core.texts), shown before the built-in ones.
    names = models.JSONField(_("translated names"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("failure category")
        verbose_name_plural = _("failure categories")

    def __str__(self) -> str:
        from exceed.recovery.labels import category_label

        return category_label(self)


class RecoverySettings(models.Model):
    """One row (pk=1) of owner-editable timings."""

    followup_delay_hours = models.PositiveIntegerField(_("follow-up survey delay after closing (hours)"), default=168)
    loyalty_window_days = models.PositiveIntegerField(_("loyal-conversion window (days)"), default=90)
    # Overdue steps reach each escalation recipient as one digest per this many minutes (issue 8,
    # item 5): one mail per step sent the demo's owner 366 in a minute.
    digest_minutes = models.PositiveIntegerField(_("overdue digest period (minutes)"), default=60)
    # The start of the digest period now running, claimed by one worker with a conditional update.
    digest_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery settings")
        verbose_name_plural = _("recovery settings")
        constraints = [models.CheckConstraint(condition=Q(digest_minutes__gte=1), name="digest_period_positive")]


class DeadlinePolicy(models.Model):
    """How many hours after opening a step is due; the most specific row wins
    (category and severity, then category, then severity, then the built-in default)."""

    category = models.ForeignKey(CaseCategory, models.CASCADE, null=True, blank=True, verbose_name=_("category"))
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, blank=True)
    step = models.CharField(_("step"), max_length=12, choices=StepKind.choices)
    hours = models.PositiveIntegerField(_("hours after opening"))

    class Meta:
        verbose_name = _("step deadline")
        verbose_name_plural = _("step deadlines")
        constraints = [models.CheckConstraint(condition=Q(hours__gte=1), name="deadline_hours_positive")]


class RecoveryRule(models.Model):
    """Opens a case from a stored response when any of its conditions holds."""

    survey = models.ForeignKey(Survey, models.CASCADE, null=True, blank=True, verbose_name=_("survey"))
    location = models.ForeignKey(Location, models.CASCADE, null=True, blank=True, verbose_name=_("location"))
    expectation_below = models.BooleanField(_("expectation below"), default=False)
    return_at_most = models.PositiveSmallIntegerField(_("return likelihood at most"), null=True, blank=True)
    csat_at_most = models.PositiveSmallIntegerField(_("satisfaction at most"), null=True, blank=True)
    category = models.ForeignKey(CaseCategory, models.SET_NULL, null=True, blank=True, verbose_name=_("category"))
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("recovery rule")
        verbose_name_plural = _("recovery rules")
        constraints = [
            # The services say why in words; these keep an impossible rule out whatever writes it.
            models.CheckConstraint(
                condition=Q(return_at_most__isnull=True) | Q(return_at_most__lte=RETURN_SCALE[1] - 1),
                name="rule_return_possible",
            ),
            models.CheckConstraint(
                condition=Q(csat_at_most__isnull=True)
                | Q(csat_at_most__gte=CSAT_SCALE[0], csat_at_most__lte=CSAT_SCALE[1] - 1),
                name="rule_csat_possible",
            ),
            models.CheckConstraint(
                condition=Q(expectation_below=True) | Q(return_at_most__isnull=False) | Q(csat_at_most__isnull=False),
                name="rule_has_condition",
            ),
        ]

    def __str__(self) -> str:
        from exceed.recovery.labels import rule_label

        return rule_label(self)


class RecoveryCase(models.Model):
    source = models.CharField(_("source"), max_length=12, choices=CaseSource.choices)
    # One response, one case: the constraint, not a check in Python, is what stops a duplicate
    # when the signal is delivered twice or two workers race.
    response = models.OneToOneField(
        Response, models.SET_NULL, null=True, blank=True, related_name="recovery_case", verbose_name=_("response")
    )
    rule = models.ForeignKey(RecoveryRule, models.SET_NULL, null=True, blank=True, related_name="cases")
    location = models.ForeignKey(Location, models.PROTECT, related_name="recovery_cases", verbose_name=_("location"))
    touchpoint = models.ForeignKey(Touchpoint, models.SET_NULL, null=True, blank=True, verbose_name=_("touchpoint"))
    category = models.ForeignKey(CaseCategory, models.PROTECT, related_name="cases", verbose_name=_("category"))
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.MEDIUM)
    summary = models.CharField(_("what happened"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    contact_consent = models.BooleanField(_("customer consents to contact"), default=False)
    contact_name = models.CharField(_("customer name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("customer email"), blank=True)
    contact_phone = models.CharField(_("customer phone"), max_length=40, blank=True)
    language = models.CharField(_("customer language"), max_length=5, blank=True)
    # Hashed identities for loyal conversion (exceed.recovery.identity); never reversible.
    contact_hash = models.CharField(max_length=64, blank=True, db_index=True)
    customer_ref_hash = models.CharField(max_length=64, blank=True, db_index=True)
    owner = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="owned_cases", verbose_name=_("case owner")
    )
    people = models.ManyToManyField(
        Person, blank=True, related_name="recovery_cases", verbose_name=_("people involved")
    )
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    opened_at = models.DateTimeField(_("opened"), db_index=True)
    # The location's calendar day of opening, for per-month measures without time-zone arithmetic in SQL.
    opened_date = models.DateField()
    # Seconds from opening, denormalised when the step is recorded, so medians and p90 are plain
    # integer window queries on SQLite and PostgreSQL alike.
    acknowledge_seconds = models.PositiveIntegerField(null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_seconds = models.PositiveIntegerField(null=True, blank=True)
    close_reason = models.TextField(_("reason for closing with steps missing"), blank=True)
    alerted_at = models.DateTimeField(null=True, blank=True)
    followup_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    followup_invitation = models.OneToOneField(
        Invitation, models.SET_NULL, null=True, blank=True, related_name="recovery_case"
    )
    outcome_response = models.OneToOneField(
        Response, models.SET_NULL, null=True, blank=True, related_name="recovery_outcome_of"
    )
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_rating = models.PositiveSmallIntegerField(_("how we handled it (1–5)"), null=True, blank=True)
    outcome_distributive = models.PositiveSmallIntegerField(_("fair outcome (1–5)"), null=True, blank=True)
    outcome_procedural = models.PositiveSmallIntegerField(_("fair process (1–5)"), null=True, blank=True)
    outcome_interactional = models.PositiveSmallIntegerField(_("courtesy and respect (1–5)"), null=True, blank=True)
    outcome_return_likelihood = models.PositiveSmallIntegerField(
        _("return likelihood after recovery"), null=True, blank=True
    )
    impressed = models.BooleanField(_("impressed"), null=True, blank=True)
    impressed_text = models.TextField(_("what impressed"), blank=True)
    double_deviation = models.BooleanField(_("double deviation"), default=False)
    # Seconds (rounded up) from opening to the customer's first return, a later answer or till
    # visit with one of the case's identities; kept by exceed.recovery.returns, so loyal
    # conversion is a plain comparison with the window, not a subquery per case.
    return_seconds = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["location", "opened_date"]), models.Index(fields=["status"])]
        verbose_name = _("recovery case")
        verbose_name_plural = _("recovery cases")

    def __str__(self) -> str:
        return f"#{self.pk} {self.summary}"


class RecoveryStep(models.Model):
    case = models.ForeignKey(RecoveryCase, models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=12, choices=StepKind.choices)
    # 1 for the five steps a case opens with; each reopening adds a follow-up of the next round.
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    due_at = models.DateTimeField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("done by")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(_("note"), blank=True)
    gesture_given = models.CharField(_("what was given"), max_length=200, blank=True)
    gesture_value = models.DecimalField(_("value"), max_digits=10, decimal_places=2, null=True, blank=True)
    # Set by the one deadline check that wins the claim, so a step escalates once.
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case", "round", "due_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "round"], name="one_step_of_each_kind_per_round")
        ]
        indexes = [models.Index(fields=["done_at", "due_at"])]

    def __str__(self) -> str:
        return f"{self.case_id}:{self.kind}"


class CaseAssignment(models.Model):
    """Who gave a case to which colleague, and when: the case's history beside its status changes."""

    case = models.ForeignKey(RecoveryCase, models.CASCADE, related_name="assignments")
    from_owner = models.ForeignKey(Person, models.SET_NULL, null=True, blank=True, related_name="+")
    to_owner = models.ForeignKey(Person, models.SET_NULL, null=True, blank=True, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]


class CaseStatusChange(models.Model):
    """Who moved a case from which status to which, and when (None: the system)."""

    case = models.ForeignKey(RecoveryCase, models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=CaseStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]


class TillVisit(models.Model):
    """A recorded visit or transaction from the till, so that observed return is a fact. Named for
    the till, so it is never taken for a mystery shopper's visit report."""

    external_id = models.CharField(_("external id"), max_length=120, unique=True)
    location = models.ForeignKey(Location, models.PROTECT, related_name="visits", verbose_name=_("location"))
    visited_at = models.DateTimeField(_("time"), db_index=True)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2, null=True, blank=True)
    served_by = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("served by")
    )
    customer_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-visited_at"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")


class CustomerContact(models.Model):
    """The hashed contact of a consenting respondent, kept by recovery to see who came back
    without adding columns to feedback's tables."""

    response = models.OneToOneField(Response, models.CASCADE, related_name="+")
    location = models.ForeignKey(Location, models.CASCADE, related_name="+")
    contact_hash = models.CharField(max_length=64, db_index=True)
    submitted_at = models.DateTimeField()
    # Seconds (rounded up) from this answer to the respondent's first return (exceed.recovery.returns).
    return_seconds = models.PositiveBigIntegerField(null=True, blank=True)
