"""The audit of privacy requests and the owner's retention periods."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PrivacyAction(models.TextChoices):
    FIND = "find", _("Found")
    EXPORT = "export", _("Exported")
    ERASE = "erase", _("Erased")
    PURGE = "purge", _("Purged (retention)")


class PrivacyAudit(models.Model):
    """Who handled which privacy request, when, and how much it touched (GDPR art. 5(2), 30).

    The customer is recorded by a keyed hash of what they were found by, never the address: an
    audit of an erasure must not itself keep what was erased.
    """

    at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=8, choices=PrivacyAction.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    # Kept as text too, so the record still says who once their login is removed; blank: the worker.
    by_username = models.CharField(max_length=150, blank=True)
    # "page", "api" or "worker".
    via = models.CharField(max_length=8)
    identifier_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # For a purge: the kind of data (a retention kind's code).
    kind = models.CharField(max_length=32, blank=True)
    # What was touched, by source: {"responses": 3, "invitations": 1, …}.
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("privacy audit record")
        verbose_name_plural = _("privacy audit records")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.by_username}"


class RetentionPeriod(models.Model):
    """How many days one kind of customer data is kept; no row, or no days, keeps it.

    One row per kind (``exceed.privacy.retention.RETENTION_KINDS``), so a new kind (mystery-shop
    evidence) needs no migration here.
    """

    kind = models.CharField(max_length=32, unique=True)
    days = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")
        constraints = [models.CheckConstraint(condition=models.Q(days__gte=1), name="retention_days_positive")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.days or '∞'}"
