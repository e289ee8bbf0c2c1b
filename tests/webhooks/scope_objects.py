"""Webhooks' object outside every scope but the owner's: a subscription (owners only)."""

from exceed.webhooks.models import Subscription
from exceed.webhooks.services import subscription_create
from tests.scope import OutsideScope

HOOK_MARKER = "paris-hook-marker"


def outside_scope(cast, found) -> OutsideScope:
    # Port 9 (discard) on loopback: nothing in the walk may reach the network.
    subscription = subscription_create(
        url=f"https://hooks.example.com/{HOOK_MARKER}", events=["case.opened"], by=cast.owner
    )

    def subscription_unchanged():
        assert Subscription.objects.filter(pk=subscription.pk, active=True).exists()

    return OutsideScope(
        objects={"subscription": subscription},
        values={"subscription_id": subscription.pk},
        markers=[HOOK_MARKER, subscription.secret],
        unchanged=[subscription_unchanged],
    )
