"""Back-office pages for feedback: links, QR posters and kiosks (managers). Surveys: survey_views."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exceed.core.qr import qr_code
from exceed.errors import DomainError
from exceed.feedback import services
from exceed.feedback.forms import ChannelEditForm, ChannelForm
from exceed.feedback.models import Channel, ChannelKind, translated
from exceed.org.decorators import managers_only
from exceed.org.scopes import locations_in_scope


def _channels_in_scope(scope):
    return Channel.objects.filter(location__in=locations_in_scope(scope)).select_related(
        "survey", "location", "touchpoint", "person"
    )


def _public_url(channel: Channel) -> str:
    name = "feedback:kiosk" if channel.kind == ChannelKind.KIOSK else "feedback:link"
    return settings.BASE_URL + reverse(name, args=[channel.slug])


@managers_only
def channel_list(request):
    locations = locations_in_scope(request.scope)
    form = ChannelForm(request.POST or None, locations=locations)
    if request.method == "POST" and form.is_valid():
        try:
            channel = services.channel_create(**form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The channel was created."))
            return HttpResponseRedirect(reverse("feedback:channel", args=[channel.slug]))
    channels = _channels_in_scope(request.scope).order_by("location__name", "kind", "pk")
    return render(request, "feedback/manage/channel_list.html", {"channels": channels, "form": form})


def _channel_to_manage(request, slug) -> Channel:
    channel = get_object_or_404(_channels_in_scope(request.scope), slug=slug)
    if not request.scope.may_manage_channel(channel.location_id):
        raise Http404("No such channel.")
    return channel


@managers_only
def channel_detail(request, slug):
    channel = get_object_or_404(_channels_in_scope(request.scope), slug=slug)
    initial = {"name": channel.name, "touchpoint": channel.touchpoint, "person": channel.person}
    return _channel_page(request, channel, ChannelEditForm(initial=initial, location=channel.location))


def _channel_page(request, channel, form, status=200):
    context = {"channel": channel, "url": _public_url(channel), "form": form}
    if channel.kind == ChannelKind.KIOSK:
        context["kiosk_unlock_url"] = f"{context['url']}?key={channel.kiosk_key}"
    return render(request, "feedback/manage/channel_detail.html", context, status=status)


@managers_only
@require_POST
def channel_edit(request, slug):
    """Rename a link or kiosk, or change whom its answers are credited to."""
    channel = _channel_to_manage(request, slug)
    form = ChannelEditForm(request.POST, location=channel.location)
    if form.is_valid():
        try:
            services.channel_update(channel=channel, **form.cleaned_data)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Saved."))
            return HttpResponseRedirect(reverse("feedback:channel", args=[channel.slug]))
    channel.refresh_from_db()
    return _channel_page(request, channel, form, status=400)


@managers_only
@require_POST
def channel_active(request, slug):
    """Revoke a link or kiosk (``active=0``), or bring it back (``active=1``)."""
    channel = _channel_to_manage(request, slug)
    active = request.POST.get("active")
    if active not in ("0", "1"):
        return HttpResponseBadRequest(_("Say active=1 to bring the channel back or active=0 to revoke it."))
    services.channel_set_active(channel=channel, active=active == "1")
    if active == "1":
        messages.success(request, _("The address answers again."))
    else:
        messages.success(request, _("Revoked: the address no longer opens the survey."))
    return HttpResponseRedirect(reverse("feedback:channel", args=[channel.slug]))


@managers_only
@require_POST
def channel_reissue(request, slug):
    """A new address: the old one, its posters and the tablets opened with it stop working."""
    channel = services.channel_reissue(channel=_channel_to_manage(request, slug))
    messages.success(request, _("A new address was issued; the old one and its posters no longer work."))
    return HttpResponseRedirect(reverse("feedback:channel", args=[channel.slug]))


@managers_only
def channel_poster(request, slug):
    """A printable A4 poster: the survey's title in the location's language and the QR code."""
    channel = get_object_or_404(_channels_in_scope(request.scope).filter(kind=ChannelKind.LINK), slug=slug)
    language = channel.location.default_language
    svg = qr_code(_public_url(channel), kind="svg", scalable=True).decode()
    context = {
        "channel": channel,
        "url": _public_url(channel),
        "qr_svg": svg,
        "title": translated(channel.survey.title, language, channel.survey.default_language),
        "language": language,
    }
    return render(request, "feedback/manage/poster.html", context)


@managers_only
def channel_qr(request, slug, kind):
    if kind not in ("svg", "png"):
        raise Http404
    channel = get_object_or_404(_channels_in_scope(request.scope).filter(kind=ChannelKind.LINK), slug=slug)
    response = HttpResponse(
        qr_code(_public_url(channel), kind=kind), content_type="image/svg+xml" if kind == "svg" else "image/png"
    )
    response["Content-Disposition"] = f'attachment; filename="exceed-{channel.location.code}-{channel.slug}.{kind}"'
    return response


@managers_only
@require_POST
def channel_revoke(request, slug):
    channel = _channel_to_manage(request, slug)
    if channel.kind != ChannelKind.KIOSK:
        raise Http404("Only a kiosk has tablets to lock.")
    services.channel_revoke_kiosks(channel=channel)
    messages.success(request, _("Every tablet opened with the old kiosk link is now locked."))
    return HttpResponseRedirect(reverse("feedback:channel", args=[slug]))
