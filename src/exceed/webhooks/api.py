"""/api/v1/webhooks: owners subscribe URLs to events and read each subscription's delivery log."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from exceed.api.schemas import ErrorOut
from exceed.errors import DomainError
from exceed.webhooks import selectors, services
from exceed.webhooks.models import DeliveryStatus, Subscription
from exceed.webhooks.schemas import DeliveryOut, SubscriptionCreated, SubscriptionIn, SubscriptionOut

router = Router(tags=["webhooks"])


def _owner(request) -> None:
    if not request.scope.is_owner:
        raise DomainError(_("Only owners manage webhooks."), status=403)


def _subscription_or_404(request, subscription_id: int) -> Subscription:
    _owner(request)
    subscription = selectors.subscriptions_visible(request.scope).filter(pk=subscription_id).first()
    if subscription is None:
        raise DomainError(_("No such webhook."), status=404)
    return subscription


@router.get("/webhooks", response={200: list[SubscriptionOut], 403: ErrorOut})
def webhooks_list(request):
    _owner(request)
    return list(selectors.subscriptions_visible(request.scope))


@router.post("/webhooks", response={201: SubscriptionCreated, 400: ErrorOut, 403: ErrorOut})
def webhooks_create(request, payload: SubscriptionIn):
    """Subscribe a URL to events. The answer holds the signing secret, shown this once only.

    Each message is a POST of ``{"type", "timestamp", "data"}`` with the Standard Webhooks headers
    ``webhook-id`` (the same on every retry), ``webhook-timestamp`` and ``webhook-signature``
    (``v1,`` + base64 HMAC-SHA256 of ``id.timestamp.body``). A 2xx answer is success; anything
    else is retried with exponential backoff for about fifteen hours. Redirects are not followed.
    """
    _owner(request)
    subscription = services.subscription_create(
        url=payload.url, events=payload.events, description=payload.description, by=request.user
    )
    return Status(201, subscription)


@router.get("/webhooks/{subscription_id}", response={200: SubscriptionOut, 403: ErrorOut, 404: ErrorOut})
def webhooks_detail(request, subscription_id: int):
    return _subscription_or_404(request, subscription_id)


@router.delete("/webhooks/{subscription_id}", response={204: None, 403: ErrorOut, 404: ErrorOut})
def webhooks_delete(request, subscription_id: int):
    services.subscription_delete(subscription=_subscription_or_404(request, subscription_id))
    return Status(204, None)


@router.get("/webhooks/{subscription_id}/deliveries", response={200: list[DeliveryOut], 403: ErrorOut, 404: ErrorOut})
def webhooks_deliveries(
    request, subscription_id: int, status: str | None = None, limit: int = Query(100, ge=1, le=500)
):
    """The delivery log, newest first: status code, attempts, next attempt and last error of each message."""
    subscription = _subscription_or_404(request, subscription_id)
    deliveries = selectors.deliveries_of(request.scope, subscription.pk)
    if status:
        if status not in DeliveryStatus.values:
            raise DomainError(
                _("Choose a status from: %(known)s.") % {"known": ", ".join(DeliveryStatus.values)}, field="status"
            )
        deliveries = deliveries.filter(status=status)
    return list(deliveries[:limit])
