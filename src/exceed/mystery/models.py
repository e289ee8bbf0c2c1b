"""Mystery shopping (docs/DOMAIN.md §1, practice 1; issue 10): programmes that have each location
shopped on a rhythm, versioned scorecards, shoppers, assignments and their visit reports.

The results pages read these tables, so what they need is stored, not recomputed from answers:
each report keeps its overall and per-section score (``ReportSectionScore``) for the scorecard
version it was filled against, and an answer keeps its points.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from exceed.core.measures import RETURN_SCALE, Outcome
from exceed.feedback.models import Response
from exceed.org.models import LANGUAGE_CHOICES, Location, Person, Touchpoint
from exceed.recovery.models import RecoveryCase
from exceed.standards.models import CharterAttribute, PlaybookEntry

# --- Scorecards --------------------------------------------------------------------------------


class CriticalRule(models.TextChoices):
    CAP = "cap", _("A failed critical item caps the score")
    FAIL = "fail", _("A failed critical item fails the shop")


class Scorecard(models.Model):
    """A named scorecard; its content lives in versions, so an edit never changes a filed report."""

    name = models.JSONField(_("name"), default=dict)  # core.texts translations
    critical_rule = models.CharField(_("critical items"), max_length=4, choices=CriticalRule, default=CriticalRule.CAP)
    # The highest overall score (0–100) a shop with a failed critical item can get, under CAP.
    critical_cap = models.PositiveSmallIntegerField(_("score cap after a failed critical item"), default=50)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")
        constraints = [models.CheckConstraint(condition=Q(critical_cap__lte=100), name="scorecard_cap_at_most_100")]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        from exceed.core.texts import translated

        return translated(self.name, get_language() or "en") or f"#{self.pk}"


class ScorecardVersion(models.Model):
    """One immutable state of a scorecard once a report uses it (services.scorecard_edit_version)."""

    scorecard = models.ForeignKey(Scorecard, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["scorecard", "-number"]
        constraints = [models.UniqueConstraint(fields=["scorecard", "number"], name="one_number_per_scorecard")]

    def __str__(self) -> str:
        return f"{self.scorecard} v{self.number}"


class Section(models.Model):
    version = models.ForeignKey(ScorecardVersion, models.CASCADE, related_name="sections")
    # Stable across versions, so results compare "greeting" over a year of edits.
    code = models.SlugField(max_length=40)
    title = models.JSONField(_("title"), default=dict)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="one_section_code_per_version")]


class ItemKind(models.TextChoices):
    YES_NO = "yes_no", _("Yes / no")
    SCALE = "scale", _("Scale 1–5")
    CHOICE = "choice", _("Choice with points")
    NUMERIC = "numeric", _("Number with thresholds")
    TEXT = "text", _("Free text")


class Item(models.Model):
    """One thing the shopper observes. Its points: yes/no 1/0; scale 1–5 as 0–4 of 4 (a 1 earns
    nothing); choice: the chosen option's points of the best option's; numeric: the points of the
    first threshold the number is within (``thresholds`` [[upper bound, points], …] ascending,
    lower is better: seconds waited), 0 above the last; free text is never scored."""

    section = models.ForeignKey(Section, models.CASCADE, related_name="items")
    code = models.SlugField(max_length=40)
    kind = models.CharField(_("kind"), max_length=8, choices=ItemKind)
    text = models.JSONField(_("question"), default=dict)
    help = models.JSONField(_("what to observe"), default=dict, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    na_allowed = models.BooleanField(_("not applicable allowed"), default=False)
    critical = models.BooleanField(_("critical"), default=False)
    # A bonus item adds its points when earned and is never held against the shop.
    bonus = models.BooleanField(_("bonus"), default=False)
    required = models.BooleanField(_("answer required"), default=True)
    # CHOICE: [{"label": {"en": …}, "points": 2}, …]
    options = models.JSONField(default=list, blank=True)
    # NUMERIC: [[30, 2], [60, 1]] — up to 30 s earns 2, up to 60 s earns 1, slower 0.
    thresholds = models.JSONField(default=list, blank=True)
    # What the item checks: the charter attribute it shows, and the playbook entry it follows
    # (the corrective case a failure opens links that entry).
    charter_attribute = models.ForeignKey(
        CharterAttribute, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("charter attribute")
    )
    playbook_entry = models.ForeignKey(
        PlaybookEntry, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("playbook entry")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section__position", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["section", "code"], name="one_item_code_per_section"),
            models.CheckConstraint(condition=Q(weight__gte=0), name="item_weight_not_negative"),
        ]

    def __str__(self) -> str:
        from django.utils.translation import get_language

        from exceed.core.texts import translated

        return translated(self.text, get_language() or "en") or self.code

    @property
    def max_points(self) -> float:
        if self.kind == ItemKind.YES_NO:
            return 1.0
        if self.kind == ItemKind.SCALE:
            return 4.0
        if self.kind == ItemKind.CHOICE:
            return float(max((option.get("points", 0) for option in self.options), default=0))
        if self.kind == ItemKind.NUMERIC:
            return float(max((points for _bound, points in self.thresholds), default=0))
        return 0.0

    @property
    def scored(self) -> bool:
        return self.kind != ItemKind.TEXT and self.max_points > 0


# --- Programmes --------------------------------------------------------------------------------


class Rhythm(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    WEEKLY = "weekly", _("Weekly")
    EVERY_N_DAYS = "every_n_days", _("Every N days")


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=120)
    touchpoint = models.ForeignKey(Touchpoint, models.PROTECT, related_name="+", verbose_name=_("touchpoint"))
    scorecard = models.ForeignKey(Scorecard, models.PROTECT, related_name="programmes", verbose_name=_("scorecard"))
    rhythm = models.CharField(_("rhythm"), max_length=12, choices=Rhythm, default=Rhythm.MONTHLY)
    interval_days = models.PositiveSmallIntegerField(_("every how many days"), null=True, blank=True)
    # When shops may happen, in each store's own time zone: [{"weekday": 0–6 (Monday 0),
    # "start": 14, "end": 17}, …] (hours, end exclusive).
    windows = models.JSONField(_("visit windows"), default=list)
    lockout_days = models.PositiveSmallIntegerField(
        _("days before a shopper may shop the same store again"), default=60
    )
    claims_per_period = models.PositiveSmallIntegerField(_("shops a shopper may claim per period"), default=2)
    reward_amount = models.DecimalField(_("reward"), max_digits=8, decimal_places=2, default=0)
    reward_currency = models.CharField(_("currency"), max_length=3, default="EUR")
    expense_cap = models.DecimalField(_("purchases refunded up to"), max_digits=8, decimal_places=2, default=0)
    min_shops_ranked = models.PositiveSmallIntegerField(_("shops before a location is ranked"), default=3)
    # An approved shop scoring below this (0–100) opens a corrective case; blank: only critical items do.
    case_threshold = models.PositiveSmallIntegerField(_("score that opens a corrective case"), null=True, blank=True)
    revise_hours = models.PositiveSmallIntegerField(_("hours a shopper has to revise a returned report"), default=24)
    reminder_hours = models.PositiveSmallIntegerField(_("remind this many hours before the window closes"), default=24)
    dispute_days = models.PositiveSmallIntegerField(_("days a manager has to dispute"), default=14)
    disputes_per_period = models.PositiveSmallIntegerField(_("disputes per location and period"), default=3)
    # Photos and receipts are deleted this many days after the visit (issue 10 §5: 60 at least).
    evidence_days = models.PositiveSmallIntegerField(_("days evidence is kept"), default=60)
    locations = models.ManyToManyField(
        Location, through="ProgrammeLocation", related_name="mystery_programmes", verbose_name=_("locations")
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mystery-shop programme")
        verbose_name_plural = _("mystery-shop programmes")
        constraints = [
            models.CheckConstraint(condition=Q(evidence_days__gte=60), name="programme_evidence_kept_60_days"),
            models.CheckConstraint(
                condition=~Q(rhythm="every_n_days") | Q(interval_days__gte=1), name="programme_interval_given"
            ),
            models.CheckConstraint(
                condition=Q(case_threshold__isnull=True) | Q(case_threshold__lte=100), name="programme_threshold_0_100"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProgrammeLocation(models.Model):
    """A location in a programme; its own rhythm where it differs from the programme's."""

    programme = models.ForeignKey(Programme, models.CASCADE, related_name="memberships")
    location = models.ForeignKey(Location, models.CASCADE, related_name="+")
    rhythm = models.CharField(max_length=12, choices=Rhythm, blank=True)
    interval_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # Generation starts counting periods here (every N days); set when the location joins.
    starts_on = models.DateField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["programme", "location"], name="location_once_per_programme")]

    @property
    def effective_rhythm(self) -> str:
        return self.rhythm or self.programme.rhythm

    @property
    def effective_interval(self) -> int:
        return self.interval_days or self.programme.interval_days or 30


class LocationPolicy(models.Model):
    """A location's mystery-shop settings (issue 10 §5): may a report name its staff at all."""

    location = models.OneToOneField(Location, models.CASCADE, related_name="mystery_policy")
    staff_may_be_named = models.BooleanField(_("reports may name staff who acknowledged the notice"), default=False)


# --- Shoppers ----------------------------------------------------------------------------------


class Shopper(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="shopper")
    display_name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    area = models.CharField(_("where you live or shop"), max_length=120, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=LANGUAGE_CHOICES, default="en")
    # Where the shopper is known (staff would recognise them): never offered there.
    excluded_locations = models.ManyToManyField(Location, blank=True, related_name="+", verbose_name=_("known at"))
    active = models.BooleanField(_("active"), default=True)
    # The shopper's home point and how far they will travel, for "shops near me"; all optional.
    home_latitude = models.FloatField(_("home latitude"), null=True, blank=True)
    home_longitude = models.FloatField(_("home longitude"), null=True, blank=True)
    travel_km = models.PositiveIntegerField(_("how far I will travel (km)"), null=True, blank=True)
    invited_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    # Consent to the terms, with the exact wording accepted (GDPR art. 7(1)).
    terms_accepted_at = models.DateTimeField(null=True, blank=True)
    terms_text = models.TextField(blank=True)
    terms_language = models.CharField(max_length=5, blank=True)

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("mystery shopper")
        verbose_name_plural = _("mystery shoppers")

    def __str__(self) -> str:
        return self.display_name


# --- Assignments -------------------------------------------------------------------------------


class AssignmentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("Claimed")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")
    APPROVED_EXCLUDED = "approved_excluded", _("Approved, excluded from results")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")


class Assignment(models.Model):
    """One shop to be done at a location within a window. Generated by periodic work, once per
    programme, location, period and slot (slot 1 is the calibration twin of slot 0)."""

    programme = models.ForeignKey(Programme, models.PROTECT, related_name="assignments")
    location = models.ForeignKey(Location, models.PROTECT, related_name="mystery_assignments")
    period = models.CharField(max_length=16)  # "2026-11", "2026-W48", "d2026-11-30"
    slot = models.PositiveSmallIntegerField(default=0)
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    # The visit windows that apply, copied from the programme when generated (UTC instants are
    # not enough: "weekday afternoons" is a rule the shopper reads).
    windows = models.JSONField(default=list)
    shopper = models.ForeignKey(
        Shopper, models.PROTECT, null=True, blank=True, related_name="assignments", verbose_name=_("shopper")
    )
    # Only this shopper may claim it (a calibration pair, or a shop the owner hands out).
    reserved_for = models.ForeignKey(Shopper, models.SET_NULL, null=True, blank=True, related_name="+")
    calibration_of = models.ForeignKey("self", models.SET_NULL, null=True, blank=True, related_name="calibration_twins")
    status = models.CharField(max_length=20, choices=AssignmentStatus, default=AssignmentStatus.OPEN)
    claimed_at = models.DateTimeField(null=True, blank=True)
    revise_by = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["window_start", "pk"]
        indexes = [models.Index(fields=["status", "window_end"]), models.Index(fields=["location", "status"])]
        constraints = [
            models.UniqueConstraint(fields=["programme", "location", "period", "slot"], name="one_assignment_per_slot"),
            models.CheckConstraint(condition=Q(window_end__gt=models.F("window_start")), name="assignment_window"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.location} · {self.period}"


class AssignmentChange(models.Model):
    """The workflow's record of each move (core.workflow): who, when, the comment."""

    assignment = models.ForeignKey(Assignment, models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]


class AuditEntry(models.Model):
    """Every other action on a shop (answers saved, photo added, dispute, payment), for the trail."""

    assignment = models.ForeignKey(Assignment, models.CASCADE, related_name="audit")
    action = models.CharField(max_length=40)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField()
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]


# --- Reports -----------------------------------------------------------------------------------


class Report(models.Model):
    assignment = models.OneToOneField(Assignment, models.CASCADE, related_name="report")
    version = models.ForeignKey(ScorecardVersion, models.PROTECT, related_name="reports")
    shopper = models.ForeignKey(Shopper, models.PROTECT, related_name="reports")
    time_in = models.DateTimeField(_("time in"), null=True, blank=True)
    time_out = models.DateTimeField(_("time out"), null=True, blank=True)
    narrative = models.TextField(_("what happened, in your words"), blank=True)
    # Always asked, as every customer is asked (core.measures scales).
    return_likelihood = models.PositiveSmallIntegerField(_("how likely to come back"), null=True, blank=True)
    expectation = models.SmallIntegerField(_("expectations"), null=True, blank=True)
    language = models.CharField(max_length=5, choices=LANGUAGE_CHOICES, default="en")
    # What the shopper spent on the required purchase, refunded up to the programme's cap.
    expenses = models.DecimalField(_("purchases"), max_digits=8, decimal_places=2, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    # The location's calendar day of the visit, for results by period without time-zone SQL.
    visit_date = models.DateField(null=True, blank=True, db_index=True)
    # The score as last computed (on submit, approval and each dispute decision), 0–100.
    score = models.FloatField(null=True, blank=True)
    score_low = models.FloatField(null=True, blank=True)
    score_high = models.FloatField(null=True, blank=True)
    score_n = models.PositiveSmallIntegerField(default=0)
    failed_critical = models.BooleanField(default=False)
    # Counted in results: approved and not excluded; set with the status so results filter one column.
    counts = models.BooleanField(default=False, db_index=True)
    review_comment = models.TextField(blank=True)
    shopper_rating = models.PositiveSmallIntegerField(null=True, blank=True)  # 1–5, by the reviewer
    # A photo whose bytes match one stored before (another report, or this shopper's earlier one).
    reused_photo = models.BooleanField(default=False)
    # The report's return likelihood and expectation outcome in the chain's measures, as a
    # response of the channel kind "mystery", while the report counts in the results (issue 10
    # §2). One to one, so approving twice, or excluding and including again, never counts it twice.
    measures_response = models.OneToOneField(
        Response, models.SET_NULL, null=True, blank=True, related_name="mystery_report"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(return_likelihood__isnull=True) | Q(return_likelihood__lte=RETURN_SCALE[1]),
                name="report_return_0_10",
            ),
            models.CheckConstraint(
                condition=Q(expectation__isnull=True) | Q(expectation__in=list(Outcome.WORDS)),
                name="report_expectation_known",
            ),
            models.CheckConstraint(
                condition=Q(shopper_rating__isnull=True) | Q(shopper_rating__gte=1, shopper_rating__lte=5),
                name="report_rating_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.assignment}"


class ReportSectionScore(models.Model):
    report = models.ForeignKey(Report, models.CASCADE, related_name="section_scores")
    section = models.ForeignKey(Section, models.PROTECT, related_name="+")
    code = models.SlugField(max_length=40)
    score = models.FloatField(null=True, blank=True)
    n = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "section"], name="one_score_per_section")]


class ReportAnswer(models.Model):
    report = models.ForeignKey(Report, models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, models.PROTECT, related_name="answers")
    # yes/no: 1/0; scale: 1–5; choice: the option's index; numeric: the number observed.
    value = models.FloatField(null=True, blank=True)
    text = models.TextField(blank=True)
    not_applicable = models.BooleanField(default=False)
    comment = models.TextField(blank=True)
    # The points this answer earns (None: not applicable or unscored), kept for failure rates.
    points = models.FloatField(null=True, blank=True)
    # Set by an owner's dispute decision; the points above are then the changed ones.
    changed_by_dispute = models.BooleanField(default=False)

    class Meta:
        ordering = ["item__section__position", "item__position", "pk"]
        constraints = [models.UniqueConstraint(fields=["report", "item"], name="one_answer_per_item")]

    @property
    def failed(self) -> bool:
        return self.points is not None and self.points <= 0


class ReportPerson(models.Model):
    """Someone the shopper dealt with: a person of that location (only where allowed) or a description."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="people")
    person = models.ForeignKey(Person, models.SET_NULL, null=True, blank=True, related_name="mystery_mentions")
    description = models.CharField(_("description"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]


def evidence_storage() -> FileSystemStorage:
    """Photos and receipts live under the data directory, never under a public URL: the owner
    reads them through a view that checks the scope (views.evidence_file)."""
    return FileSystemStorage(location=settings.DATA_DIR / "mystery-evidence")


class Evidence(models.Model):
    """A photo or receipt; the file is deleted after the programme's evidence period."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="evidence")
    item = models.ForeignKey(Item, models.SET_NULL, null=True, blank=True, related_name="+")
    file = models.FileField(upload_to="%Y/%m/", storage=evidence_storage, blank=True)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    is_receipt = models.BooleanField(default=False)
    reused = models.BooleanField(default=False)
    uploaded_at = models.DateTimeField()
    expired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld: the result stands")
    CHANGED = "changed", _("Changed")


class Dispute(models.Model):
    report = models.ForeignKey(Report, models.CASCADE, related_name="disputes")
    item = models.ForeignKey(Item, models.PROTECT, related_name="+")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    raised_at = models.DateTimeField()
    reason = models.TextField(_("reason"))
    status = models.CharField(max_length=8, choices=DisputeStatus, default=DisputeStatus.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision = models.TextField(_("decision"), blank=True)
    score_before = models.FloatField(null=True, blank=True)
    score_after = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "item"], condition=Q(status="open"), name="one_open_dispute_per_item"
            )
        ]


class RewardKind(models.TextChoices):
    REWARD = "reward", _("Reward")
    EXPENSE = "expense", _("Purchase refund")


class RewardEntry(models.Model):
    """What the chain owes a shopper for one shop, and when and how it was paid."""

    assignment = models.ForeignKey(Assignment, models.PROTECT, related_name="rewards")
    shopper = models.ForeignKey(Shopper, models.PROTECT, related_name="rewards")
    kind = models.CharField(max_length=8, choices=RewardKind)
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    currency = models.CharField(max_length=3)
    owed_at = models.DateTimeField()
    paid_on = models.DateField(null=True, blank=True)
    method = models.CharField(_("payment method"), max_length=60, blank=True)
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["owed_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "kind"], name="one_reward_of_each_kind_per_shop"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="reward_not_negative"),
        ]


class CorrectiveCase(models.Model):
    """A recovery case a shop opened (a failed critical item or a low score), and whether the next
    shop at that location found it fixed."""

    report = models.ForeignKey(Report, models.CASCADE, related_name="corrective_cases")
    case = models.OneToOneField(RecoveryCase, models.CASCADE, related_name="mystery_origin")
    # The failed item's code (stable across versions); blank for a low overall score.
    item_code = models.SlugField(max_length=40, blank=True)
    checked_by = models.ForeignKey(Report, models.SET_NULL, null=True, blank=True, related_name="checks")
    fixed = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
