"""Webhook subscriptions and the log of every message sent to them (issue 7, item 10)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The events a subscription may ask for; "mystery.approved" joins when mystery shopping does.
EVENTS = ("response.stored", "case.opened", "step.overdue", "case.closed")


class Subscription(models.Model):
    """An owner's URL that receives the chosen events, signed with its own secret.

    The secret is kept in clear because signing needs it; the API shows it once, when the
    subscription is created, and never again.
    """

    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    secret = models.CharField(max_length=80)
    description = models.CharField(_("description"), max_length=200, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One message to one subscription, with what happened to it so far.

    ``body`` is the exact text signed and sent, so every retry sends the same message under the same
    ``message_id`` (the receiver's idempotency key); only the timestamp and signature are fresh.
    """

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    message_id = models.CharField(max_length=40, unique=True)
    event = models.CharField(max_length=40)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # While pending: when the next attempt is due (or, during an attempt, when its claim lapses).
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="webhooks_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event} → {self.subscription_id} ({self.status})"
