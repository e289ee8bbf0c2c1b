"""Every write to webhooks: subscriptions, the messages an event queues, and each delivery attempt.

Delivery is at least once: a message is a ``Delivery`` row written when its event happens, sent by
the worker, and retried with exponential backoff until the receiver answers 2xx or the attempts run
out. Each attempt is claimed by a conditional update, so two workers never send the same attempt.
"""

import ipaddress
import json
import logging
import socket
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exceed.errors import DomainError
from exceed.webhooks import signing
from exceed.webhooks.models import EVENTS, Delivery, DeliveryStatus, Subscription

logger = logging.getLogger(__name__)

# 10 s, 40 s, 2.7 min, 11 min, 43 min, 2.8 h, 11.4 h: about fifteen hours of a receiver's outage.
MAX_ATTEMPTS = 8
BACKOFF_FIRST = timedelta(seconds=10)
BACKOFF_FACTOR = 4
# An attempt's claim: if the worker dies mid-request, the delivery is due again after this.
CLAIM = timedelta(minutes=2)
TIMEOUT_SECONDS = 10
LOG_KEPT = timedelta(days=30)


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt."""
    return BACKOFF_FIRST * BACKOFF_FACTOR ** (attempts - 1)


def _check_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DomainError(_("Give an http:// or https:// address."), field="url")
    if parts.username or parts.password:
        raise DomainError(_("Put no user name or password in the address; check the signature instead."), field="url")
    if len(url) > 500:
        raise DomainError(_("The address is too long."), field="url")
    if _internal_address(parts.hostname):
        raise DomainError(
            _("Give an address on the internet: this one points into the server's own network."), field="url"
        )
    return url


def _internal_address(host: str) -> bool:
    """Whether ``host`` is, or resolves to, an address inside the server's own network.

    A subscription must not turn the worker into a way to reach the database, the cloud's metadata
    service or an intranet page (server-side request forgery). A host that does not resolve now is
    let through: it is checked again before every attempt, because a name can be pointed elsewhere
    later. ``EXCEED_WEBHOOKS_ALLOW_INTERNAL`` lets a chain deliver to its own network on purpose.
    """
    if settings.EXCEED_WEBHOOKS_ALLOW_INTERNAL:
        return False
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%")[0])
        mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
        if not (mapped or address).is_global:
            return True
    return False


def _check_events(events: list[str]) -> list[str]:
    unknown = [event for event in events if event not in EVENTS]
    if unknown or not events:
        raise DomainError(_("Choose events from: %(known)s.") % {"known": ", ".join(EVENTS)}, field="events")
    return sorted(set(events), key=EVENTS.index)


@transaction.atomic
def subscription_create(*, url: str, events: list[str], description: str = "", by: User | None = None) -> Subscription:
    return Subscription.objects.create(
        url=_check_url(url),
        events=_check_events(events),
        description=description.strip()[:200],
        secret=signing.secret_new(),
        created_by=by,
    )


@transaction.atomic
def subscription_delete(*, subscription: Subscription) -> None:
    subscription.delete()


def event_publish(*, event: str, data: dict, at: datetime | None = None) -> int:
    """Queue one message per active subscription to ``event``; returns how many.

    Called inside the event's own transaction where there is one (a case opened or closed), so
    the messages commit or roll back with it; their sending is queued after commit.
    """
    at = at or timezone.now()
    subscriptions = [
        subscription for subscription in Subscription.objects.filter(active=True) if event in subscription.events
    ]
    if not subscriptions:
        return 0
    body = json.dumps({"type": event, "timestamp": at, "data": data}, cls=DjangoJSONEncoder, separators=(",", ":"))
    with transaction.atomic():
        deliveries = Delivery.objects.bulk_create(
            Delivery(
                subscription=subscription,
                message_id=f"msg_{uuid.uuid4().hex}",
                event=event,
                body=body,
                next_attempt_at=at,
            )
            for subscription in subscriptions
        )
    ids = [delivery.pk for delivery in deliveries]  # bulk_create returns ids on SQLite and PostgreSQL

    def queue():
        from exceed.webhooks.tasks import delivery_send

        for pk in ids:
            try:
                delivery_send.enqueue(pk)
            except Exception:
                logger.exception("could not queue webhook delivery %s; the periodic retry will send it", pk)

    transaction.on_commit(queue)
    return len(ids)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A message goes only to the subscribed URL: a redirect is the receiver's error, not a new address."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


# No proxies from the environment either: the request goes straight to the subscribed address.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


def _post(delivery: Delivery) -> tuple[int | None, str]:
    """POST the message, signed now; returns (status code or None, error text)."""
    subscription = delivery.subscription
    host = urlsplit(subscription.url).hostname or ""
    if _internal_address(host):
        return None, "refused: the address resolves into the server's own network"
    headers = signing.headers(subscription.secret, delivery.message_id, int(time.time()), delivery.body)
    request = urllib.request.Request(
        subscription.url,
        data=delivery.body.encode(),
        method="POST",
        headers={**headers, "content-type": "application/json", "user-agent": "Exceed-Webhooks/1"},
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as answer:
            return answer.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code} {error.reason}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, str(getattr(error, "reason", error))[:500]


def delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> str:
    """Send one due delivery once and record the outcome; returns its status afterwards.

    1. Claim the attempt: move ``next_attempt_at`` past the request, if it is still due.
    2. POST it, signed with a fresh timestamp.
    3. Record the status code and error; a failure is due again after the backoff, until the
       attempts run out.
    """
    now = now or timezone.now()
    claimed = Delivery.objects.filter(pk=delivery_id, status=DeliveryStatus.PENDING, next_attempt_at__lte=now).update(
        next_attempt_at=now + CLAIM
    )
    if not claimed:
        return "not due"
    delivery = Delivery.objects.select_related("subscription").get(pk=delivery_id)
    status_code, error = _post(delivery)
    attempts = delivery.attempts + 1
    changes = {"attempts": attempts, "last_attempt_at": now, "last_status_code": status_code, "last_error": error}
    if status_code is not None and 200 <= status_code < 300:
        changes.update(status=DeliveryStatus.DELIVERED, delivered_at=now, next_attempt_at=None, last_error="")
    elif attempts >= MAX_ATTEMPTS:
        changes.update(status=DeliveryStatus.FAILED, next_attempt_at=None)
    else:
        retry_at = now + backoff(attempts)
        changes.update(next_attempt_at=retry_at)
    Delivery.objects.filter(pk=delivery_id).update(**changes)
    if "status" in changes:
        return str(changes["status"])
    _queue_retry(delivery_id, retry_at)
    return DeliveryStatus.PENDING


def _queue_retry(delivery_id: int, when: datetime) -> None:
    from exceed.webhooks.tasks import delivery_send

    if delivery_send.get_backend().supports_defer:
        delivery_send.using(run_after=when).enqueue(delivery_id)
    # Otherwise (an immediate backend) the periodic retry takes it when it is due.


def deliveries_retry_due(*, now: datetime | None = None) -> int:
    """Attempt every pending delivery that is due; the periodic job. Returns how many were tried.

    Finished messages older than the log's keep are deleted on the way: the log is for seeing what
    happened lately, not an archive of every event.
    """
    now = now or timezone.now()
    Delivery.objects.exclude(status=DeliveryStatus.PENDING).filter(created_at__lt=now - LOG_KEPT).delete()
    due = list(
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:200]
    )
    return sum(delivery_attempt(delivery_id=pk, now=now) != "not due" for pk in due)
