"""Reads of webhooks: only owners see subscriptions and their deliveries (they span every location)."""

from django.db.models import QuerySet

from exceed.org.scopes import Scope
from exceed.webhooks.models import Delivery, Subscription


def subscriptions_visible(scope: Scope) -> QuerySet[Subscription]:
    if not scope.is_owner:
        return Subscription.objects.none()
    return Subscription.objects.order_by("pk")


def deliveries_of(scope: Scope, subscription_id: int) -> QuerySet[Delivery]:
    """Newest first."""
    return Delivery.objects.filter(
        subscription__in=subscriptions_visible(scope), subscription_id=subscription_id
    ).order_by("-pk")
