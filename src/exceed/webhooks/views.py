"""The owners' page for webhooks: subscribe an address, see its latest deliveries, remove it."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exceed.errors import DomainError
from exceed.org.decorators import owners_only
from exceed.webhooks import selectors, services
from exceed.webhooks.forms import EVENT_LABELS, SubscriptionForm

LATEST = 10


@owners_only
def subscription_list(request):
    form = SubscriptionForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.subscription_create(
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            # Rendered, not redirected: the secret is shown this once and never kept in a session.
            form = SubscriptionForm()
    subscriptions = [
        (
            subscription,
            [EVENT_LABELS[event] for event in subscription.events if event in EVENT_LABELS],
            list(selectors.deliveries_of(request.scope, subscription.pk)[:LATEST]),
        )
        for subscription in selectors.subscriptions_visible(request.scope)
    ]
    return render(
        request, "webhooks/subscription_list.html", {"subscriptions": subscriptions, "form": form, "created": created}
    )


@owners_only
@require_POST
def subscription_delete(request, subscription_id: int):
    subscription = get_object_or_404(selectors.subscriptions_visible(request.scope), pk=subscription_id)
    services.subscription_delete(subscription=subscription)
    messages.success(request, _("The webhook was removed."))
    return HttpResponseRedirect(reverse("webhooks:list"))
