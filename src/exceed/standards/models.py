"""The experience charter and the playbook (docs/DOMAIN.md §2, issue 9).

Every text a reader sees is a JSON field of translations (core.texts): {"en": …, "da": …}.
A playbook entry is edited as a working copy (its own fields) and read as its published
``EntryVersion``, an immutable snapshot: a new publication is a new version, and people
acknowledge a version, so a change asks again for that entry only.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from exceed.org.models import Location, Person, Touchpoint


class Charter(models.Model):
    """One per installation (the row with pk 1): the end state customers should feel."""

    statement = models.JSONField(_("statement"), default=dict, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )
    review_on = models.DateField(_("review date"), null=True, blank=True)
    # The number of the latest publication; 0 until the charter is first published.
    version = models.PositiveIntegerField(_("version"), default=0)
    # The review date the owner was last reminded of, so one passed date sends one email.
    review_reminded_for = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("experience charter")
        verbose_name_plural = _("experience charters")

    def __str__(self) -> str:
        return str(_("Experience charter"))


class CharterAttribute(models.Model):
    """A target attribute: what customers should feel, and the behaviours that show it."""

    charter = models.ForeignKey(Charter, models.CASCADE, related_name="attributes")
    code = models.SlugField(_("code"), max_length=40)
    name = models.JSONField(_("name"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    # One behaviour per line, in each language.
    behaviours = models.JSONField(_("behaviours"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["charter", "code"], name="charter_attribute_code_unique")]
        verbose_name = _("charter attribute")
        verbose_name_plural = _("charter attributes")

    def __str__(self) -> str:
        return self.code


class CharterVersion(models.Model):
    """A publication of the charter, kept as it was read."""

    charter = models.ForeignKey(Charter, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(default=dict)
    change_note = models.TextField(_("change note"), blank=True)
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["charter", "number"], name="charter_version_unique")]


class SituationCategory(models.TextChoices):
    ROUTINE = "routine", _("Everyday")
    REQUEST = "request", _("Request or question")
    PROBLEM = "problem", _("Problem")
    SERVICE_FAILURE = "service_failure", _("Service failure")
    NOTICE = "notice", _("Notice to staff")


class Situation(models.Model):
    """What happens to a customer that the business answers the same way every time."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.JSONField(_("name"), default=dict)
    description = models.JSONField(_("description"), default=dict, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=SituationCategory.choices)
    # For a service failure: the recovery step it documents (acknowledge, apologise, fix, gesture,
    # follow_up), so a recovery case shows the published entry beside each step. Held as text:
    # standards sits below recovery and may not name its choices.
    recovery_step = models.CharField(_("recovery step"), max_length=12, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("situation")
        verbose_name_plural = _("situations")

    def __str__(self) -> str:
        return self.code


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class PlaybookEntry(models.Model):
    """The documented response to one situation at one touchpoint (or at every touchpoint).

    ``status`` is the working copy's: after a publication, editing moves it back to draft while
    the published version stays in force until the next one is published.
    """

    situation = models.ForeignKey(Situation, models.PROTECT, related_name="entries", verbose_name=_("situation"))
    # None: the same response at every touchpoint.
    touchpoint = models.ForeignKey(
        Touchpoint, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("touchpoint")
    )
    status = models.CharField(_("status"), max_length=12, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner")
    )
    review_on = models.DateField(_("review date"), null=True, blank=True)
    review_reminded_for = models.DateField(null=True, blank=True)
    # One step per line, in each language.
    steps = models.JSONField(_("steps"), default=dict, blank=True)
    words_to_use = models.JSONField(_("words to use"), default=dict, blank=True)
    words_to_avoid = models.JSONField(_("words to avoid"), default=dict, blank=True)
    # What the employee may decide alone (free text until the expectations practice makes it a limit).
    authority = models.JSONField(_("authority"), default=dict, blank=True)
    attributes = models.ManyToManyField(CharterAttribute, blank=True, related_name="entries")
    # Empty: every job role / every location.
    job_roles = models.JSONField(_("job roles"), default=list, blank=True)
    locations = models.ManyToManyField(Location, blank=True, related_name="+", verbose_name=_("locations"))
    published_version = models.ForeignKey(
        "EntryVersion", models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("published version")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["situation__position", "situation__code", "touchpoint__position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["situation", "touchpoint"],
                condition=models.Q(touchpoint__isnull=False),
                name="one_entry_per_situation_and_touchpoint",
            ),
            models.UniqueConstraint(
                fields=["situation"],
                condition=models.Q(touchpoint__isnull=True),
                name="one_all_touchpoints_entry_per_situation",
            ),
        ]
        verbose_name = _("playbook entry")
        verbose_name_plural = _("playbook entries")

    def __str__(self) -> str:
        return f"{self.situation_id}:{self.touchpoint_id or '*'}"


class EntryVersion(models.Model):
    """One publication of an entry, never changed: what people read and acknowledged."""

    entry = models.ForeignKey(PlaybookEntry, models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    # steps, words_to_use, words_to_avoid, authority (translations), attributes (codes),
    # job_roles, location_ids, touchpoint (code or None): as published.
    content = models.JSONField(default=dict)
    change_note = models.TextField(_("change note"), blank=True)
    published_at = models.DateTimeField(_("published"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["entry", "-number"]
        constraints = [models.UniqueConstraint(fields=["entry", "number"], name="entry_version_unique")]
        verbose_name = _("entry version")
        verbose_name_plural = _("entry versions")

    def __str__(self) -> str:
        return f"{self.entry_id} v{self.number}"

    def save(self, *args, **kwargs):
        # A published version is a record of what people read: it is written once.
        if self.pk is not None:
            raise ValueError("An entry version is immutable.")
        super().save(*args, **kwargs)


class EntryStatusChange(models.Model):
    """Who moved an entry from which status to which, and when (core.workflow's history)."""

    entry = models.ForeignKey(PlaybookEntry, models.CASCADE, related_name="status_changes")
    from_status = models.CharField(max_length=12, choices=EntryStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=EntryStatus.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]


class Acknowledgement(models.Model):
    """A person read a published version and says so: their own login's action."""

    version = models.ForeignKey(EntryVersion, models.CASCADE, related_name="acknowledgements")
    person = models.ForeignKey(Person, models.CASCADE, related_name="acknowledgements")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "person"], name="one_acknowledgement_per_version")]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")


class AcknowledgementReminder(models.Model):
    """A reminder sent to a person about a version they had not acknowledged (None: the automatic one)."""

    version = models.ForeignKey(EntryVersion, models.CASCADE, related_name="reminders")
    person = models.ForeignKey(Person, models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "pk"]
        indexes = [models.Index(fields=["person", "version"])]
