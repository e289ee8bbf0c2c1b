"""Surveys, channels, invitations, responses and the daily measure rollup (docs/DOMAIN.md §1)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from exceed.core.measures import Outcome
from exceed.core.texts import translated
from exceed.org.models import LANGUAGE_CHOICES, LANGUAGE_CODES, Location, Person, Touchpoint

# The survey that holds approved mystery shops in the measures (feedback.services.observed): it
# has no questions and no customer ever answers it, so the lists of surveys leave it out
# (feedback.selectors.surveys_for_customers).
MYSTERY_SURVEY_SLUG = "mystery-shops"


class Survey(models.Model):
    slug = models.SlugField(_("code"), max_length=64, unique=True)
    title = models.JSONField(_("title"), default=dict, help_text=_("Translations keyed by language code"))
    intro = models.JSONField(_("introduction"), default=dict, blank=True)
    thanks = models.JSONField(_("thank-you text"), default=dict, blank=True)
    default_language = models.CharField(_("default language"), max_length=5, choices=LANGUAGE_CHOICES, default="en")
    # The languages respondents may answer in, and which every text must be given in before the
    # survey is published. Empty for surveys from before the builder: they offer all five.
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # Active is published: only an active survey answers on its links, kiosks and invitations.
    active = models.BooleanField(_("active"), default=True)
    # A survey about something else than a visit (such as the recovery follow-up, which asks how
    # a failure was handled) must not move the dashboard's return score and expectation index.
    in_measures = models.BooleanField(
        _("counts in the measures"),
        default=True,
        help_text=_("Count its answers in the return score, expectation index and CSAT of the dashboard."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return translated(self.title, get_language() or "en", self.default_language) or self.slug

    @property
    def offered_languages(self) -> list[str]:
        """The languages offered, in the product's order of languages."""
        return [code for code in LANGUAGE_CODES if code in self.languages] or list(LANGUAGE_CODES)


class QuestionKind(models.TextChoices):
    """What a question asks; SCALE_KINDS (below) have anchors, CHOICE_KINDS the survey's own options."""

    RETURN_LIKELIHOOD = "return_likelihood", _("Return likelihood (0–10)")
    EXPECTATION = "expectation", _("Expectation outcome (below / met / exceeded)")
    CSAT = "csat", _("Satisfaction (1–5)")
    CHOICE = "choice", _("Single choice")
    MULTI_CHOICE = "multi_choice", _("Multiple choice")
    TEXT = "text", _("Free text")
    STAFF = "staff", _("Staff recognition (who served you?)")
    CONSENT = "consent", _("Contact consent")


SCALE_KINDS = (QuestionKind.RETURN_LIKELIHOOD, QuestionKind.CSAT)
CHOICE_KINDS = (QuestionKind.CHOICE, QuestionKind.MULTI_CHOICE)


class Question(models.Model):
    survey = models.ForeignKey(Survey, models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=64)
    kind = models.CharField(_("kind"), max_length=24, choices=QuestionKind.choices)
    text = models.JSONField(_("question"), default=dict)
    help_text = models.JSONField(_("help text"), default=dict, blank=True)
    # What the two ends of a scale mean ("Not at all likely" … "Extremely likely"), shown under
    # its first and last point; only the scale kinds (return likelihood, satisfaction) have them.
    anchor_low = models.JSONField(_("low end"), default=dict, blank=True)
    anchor_high = models.JSONField(_("high end"), default=dict, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # Set when an owner removes a question that has answers: it is asked no more, and its answers
    # stay, so the figures they are part of do not change (issue 8, item 2).
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    # Raised when the text of a question that has answers changes: each answer keeps the version
    # it was given to, and QuestionVersion keeps the earlier texts (issue 7, item 3).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["survey", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "code"], name="question_code_unique_in_survey")]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self) -> str:
        return f"{self.survey.slug}.{self.code}"


class QuestionVersion(models.Model):
    """An earlier text of a question, as answers were given to it: consent to one wording is no
    consent to a later one."""

    question = models.ForeignKey(Question, models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    text = models.JSONField(default=dict)
    help_text = models.JSONField(default=dict, blank=True)
    # When this wording stopped being shown.
    replaced_at = models.DateTimeField()

    class Meta:
        ordering = ["question", "version"]
        constraints = [models.UniqueConstraint(fields=["question", "version"], name="one_row_per_question_version")]


class Choice(models.Model):
    question = models.ForeignKey(Question, models.CASCADE, related_name="choices")
    code = models.SlugField(_("code"), max_length=64)
    label = models.JSONField(_("label"), default=dict)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["question", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="choice_code_unique_in_question")]

    def __str__(self) -> str:
        return self.code


class ChannelKind(models.TextChoices):
    LINK = "link", _("Link / QR code")
    KIOSK = "kiosk", _("Kiosk (exit interview)")
    EMAIL = "email", _("Email invitation")
    API = "api", _("API")
    IMPORT = "import", _("Import")
    # Not a channel a customer answers on: the two customer questions of an approved mystery
    # shop, recorded by the mystery app so the chain's measures can show them beside customers'
    # answers (issue 10 §2). The selectors leave them out unless a filter asks for them.
    MYSTERY = "mystery", _("Mystery shop")


def new_slug() -> str:
    return secrets.token_urlsafe(6).replace("-", "x").replace("_", "y").lower()


def new_kiosk_key() -> str:
    return secrets.token_urlsafe(24)


class Channel(models.Model):
    """A way in for respondents: a public link (and its QR poster) or a store tablet kiosk."""

    kind = models.CharField(_("kind"), max_length=8, choices=ChannelKind.choices, default=ChannelKind.LINK)
    slug = models.SlugField(_("link code"), max_length=32, unique=True, default=new_slug)
    name = models.CharField(_("name"), max_length=120, blank=True)
    survey = models.ForeignKey(Survey, models.PROTECT, related_name="channels", verbose_name=_("survey"))
    location = models.ForeignKey(Location, models.CASCADE, related_name="channels", verbose_name=_("location"))
    touchpoint = models.ForeignKey(
        Touchpoint, models.SET_NULL, null=True, blank=True, related_name="channels", verbose_name=_("touchpoint")
    )
    person = models.ForeignKey(
        Person, models.SET_NULL, null=True, blank=True, related_name="channels", verbose_name=_("person")
    )
    # Rotating the key revokes every tablet that was opened with the old one.
    kiosk_key = models.CharField(max_length=64, default=new_kiosk_key)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["location__name", "kind", "name"]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self) -> str:
        return self.name or f"{self.location} · {self.get_kind_display()}"


class InvitationStatus(models.TextChoices):
    # One invitation's status: French agrees it with "invitation" (feminine), which "Opened" alone,
    # shared with the case list's column, could not.
    PENDING = "pending", pgettext_lazy("invitation status", "Pending")
    SENT = "sent", pgettext_lazy("invitation status", "Sent")
    FAILED = "failed", pgettext_lazy("invitation status", "Failed")
    OPENED = "opened", pgettext_lazy("invitation status", "Opened")
    ANSWERED = "answered", pgettext_lazy("invitation status", "Answered")


class InvitationBatch(models.Model):
    """Invitations sent together from the back office: one upload or paste, one send time, one reminder rule."""

    survey = models.ForeignKey(Survey, models.PROTECT, related_name="invitation_batches")
    location = models.ForeignKey(Location, models.CASCADE, related_name="invitation_batches")
    touchpoint = models.ForeignKey(Touchpoint, models.SET_NULL, null=True, blank=True)
    person = models.ForeignKey(Person, models.SET_NULL, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    send_after = models.DateTimeField(_("send at"))
    # One reminder, this many days after the invitation was sent, to those who have not answered.
    reminder_days = models.PositiveSmallIntegerField(_("reminder after (days)"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation batch")
        verbose_name_plural = _("invitation batches")

    def __str__(self) -> str:
        return f"{self.location} {self.created_at:%Y-%m-%d %H:%M}"


class Invitation(models.Model):
    """An emailed, single-use invitation; only the token's hash is stored."""

    batch = models.ForeignKey(InvitationBatch, models.CASCADE, null=True, blank=True, related_name="invitations")
    # Set for invitations from the back office: the worker sends them once this moment has come.
    send_after = models.DateTimeField(null=True, blank=True)
    # When a worker claimed it for sending (a conditional update, so no two workers send it twice).
    queued_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    survey = models.ForeignKey(Survey, models.PROTECT, related_name="invitations")
    location = models.ForeignKey(Location, models.CASCADE, related_name="invitations")
    touchpoint = models.ForeignKey(Touchpoint, models.SET_NULL, null=True, blank=True)
    person = models.ForeignKey(Person, models.SET_NULL, null=True, blank=True)
    email = models.EmailField(_("email"))
    language = models.CharField(max_length=5, choices=LANGUAGE_CHOICES, blank=True)
    transaction_ref = models.CharField(_("transaction reference"), max_length=120, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    # The reminder's link is a second token, so the first email's link keeps working too.
    reminder_token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    status = models.CharField(max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status"])]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.location}"


class ExpectationOutcome(models.IntegerChoices):
    """The expectation outcome as stored, with its labels; the codes and words are core.measures.Outcome."""

    BELOW = Outcome.BELOW, _("Below expectations")
    MET = Outcome.MET, _("As expected")
    EXCEEDED = Outcome.EXCEEDED, _("Exceeded expectations")


class Response(models.Model):
    """One customer's answers. The key figures are copied onto the row so measures never join answers."""

    survey = models.ForeignKey(Survey, models.PROTECT, related_name="responses")
    channel = models.ForeignKey(Channel, models.SET_NULL, null=True, blank=True, related_name="responses")
    channel_kind = models.CharField(max_length=8, choices=ChannelKind.choices)
    # One invitation, one answer: the unique constraint is what keeps the first answer when a
    # customer clicks twice in two tabs, not a check in Python.
    invitation = models.OneToOneField(Invitation, models.SET_NULL, null=True, blank=True, related_name="response")
    # No index of its own: the (location, local_date) index below serves every look-up by store,
    # and each index is one more B-tree write per response (issue 11, item 7).
    location = models.ForeignKey(Location, models.PROTECT, related_name="responses", db_index=False)
    touchpoint = models.ForeignKey(Touchpoint, models.SET_NULL, null=True, blank=True, related_name="responses")
    people = models.ManyToManyField(Person, blank=True, related_name="responses")
    language = models.CharField(max_length=5, choices=LANGUAGE_CHOICES)
    submitted_at = models.DateTimeField(db_index=True)
    # The location's local calendar day, fixed at submission: "yesterday" in Tallinn is not UTC's.
    local_date = models.DateField()
    transaction_ref = models.CharField(max_length=120, blank=True)
    external_id = models.CharField(max_length=120, unique=True, null=True, blank=True)
    return_likelihood = models.PositiveSmallIntegerField(null=True, blank=True)
    expectation = models.SmallIntegerField(choices=ExpectationOutcome.choices, null=True, blank=True)
    csat = models.PositiveSmallIntegerField(null=True, blank=True)
    comment = models.TextField(blank=True)
    contact_consent = models.BooleanField(default=False)
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    # Evidence of consent (GDPR art. 7(1)): the exact wording of the consent question as shown,
    # its language and version, and when it was answered. Blank where no consent question was answered.
    consent_text = models.TextField(blank=True)
    consent_language = models.CharField(max_length=5, blank=True)
    consent_version = models.PositiveIntegerField(null=True, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [
            models.Index(fields=["location", "local_date"]),
            models.Index(fields=["local_date"]),
            # The dashboard's latest comments: read newest first within the window's days and stop
            # at the page's twenty, instead of sorting every response of the window (most of a
            # 1M-response page's time). Partial, so answers without a comment cost nothing here.
            models.Index(
                fields=["-local_date", "-submitted_at", "-id"],
                condition=~models.Q(comment=""),
                name="response_commented_latest",
            ),
        ]
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self) -> str:
        return f"#{self.pk} {self.location} {self.submitted_at:%Y-%m-%d}"


class PendingEvaluation(models.Model):
    """A stored response that the apps above feedback (recovery) have not reacted to yet.

    Written in the response's own transaction and deleted in the transaction of the work it
    stands for (a recovery case, a remembered contact, a follow-up's outcome), so a process that
    dies between the two leaves the row, and the worker's sweep does the work later; never twice,
    never not at all. Feedback writes it without knowing who consumes it.
    """

    response = models.OneToOneField(Response, models.CASCADE, primary_key=True, related_name="+")
    created_at = models.DateTimeField()
    # Failed evaluations are retried by the sweep a few times, then left for a person to look at.
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)


class Answer(models.Model):
    # No index of its own: the unique (response, question) constraint's index serves it.
    response = models.ForeignKey(Response, models.CASCADE, related_name="answers", db_index=False)
    question = models.ForeignKey(Question, models.CASCADE, related_name="answers")
    number = models.IntegerField(null=True, blank=True)
    text = models.TextField(blank=True)
    choices = models.JSONField(default=list, blank=True)
    # The version of the question's text this answer was given to (Question.version then).
    question_version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")]


class DailyMeasure(models.Model):
    """Exact per-day counts, kept up to date in the same transaction as each response.

    A 90-day GROUP BY over a million responses takes 0.4 s on SQLite; the same question answered
    from these rows takes milliseconds. Dimensions are plain integers with 0 for "none" because a
    unique constraint does not treat NULLs as equal, and the upsert needs a real conflict target.
    Rows with ``person_id = 0`` count each response once; rows with a person count the responses
    that named that person, so the two kinds are never summed together.
    """

    local_date = models.DateField()
    location_id = models.IntegerField()
    touchpoint_id = models.IntegerField()
    person_id = models.IntegerField()
    channel_kind = models.CharField(max_length=8)
    language = models.CharField(max_length=5)
    responses = models.IntegerField(default=0)
    return_n = models.IntegerField(default=0)
    return_promoters = models.IntegerField(default=0)
    return_detractors = models.IntegerField(default=0)
    return_sum = models.IntegerField(default=0)
    return_squares = models.IntegerField(default=0)
    expectation_n = models.IntegerField(default=0)
    expectation_exceeded = models.IntegerField(default=0)
    expectation_below = models.IntegerField(default=0)
    csat_n = models.IntegerField(default=0)
    csat_satisfied = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["local_date", "location_id", "touchpoint_id", "person_id", "channel_kind", "language"],
                name="daily_measure_key",
            )
        ]
        indexes = [
            models.Index(fields=["person_id", "local_date"]),
            # One location's (or a manager's few locations') figures read only their own rows.
            models.Index(fields=["location_id", "local_date"], name="daily_measure_location_date"),
        ]


class ThrottleCount(models.Model):
    """How many answers one client sent to one link (or one tablet) in the current window.

    In the database, not in a process's memory: every web process on every machine counts in the
    same row, so the promised limit holds however many workers serve the survey (issue 7, item 8).
    ``expires_at`` is in epoch seconds, so the one upsert that counts compares plain integers on
    SQLite and PostgreSQL alike.
    """

    key = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.BigIntegerField(db_index=True)
