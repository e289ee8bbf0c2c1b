"""The respondent's pages: a public link, a store kiosk and an emailed invitation.

They work without JavaScript and answer errors in the respondent's language.
"""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from exceed.errors import DomainError
from exceed.feedback import respondent, selectors
from exceed.feedback.models import Channel, ChannelKind, InvitationStatus, translated
from exceed.feedback.services import hash_token, invitation_mark_opened, response_submit
from exceed.org.models import LANGUAGE_CHOICES
from exceed.org.scopes import scope_for


@require_http_methods(["GET", "POST"])
def survey_link(request, slug):
    channel = _active_channel(slug, ChannelKind.LINK)
    return _respond(
        request,
        channel=channel,
        channel_kind=ChannelKind.LINK,
        throttle_key=f"link:{channel.pk}",
        thanks_url=reverse("feedback:thanks", args=[channel.slug]),
    )


@require_http_methods(["GET", "POST"])
def survey_kiosk(request, slug):
    channel = _active_channel(slug, ChannelKind.KIOSK)
    session_key = f"kiosk:{channel.slug}"
    key = request.GET.get("key")
    if key:
        if key != channel.kiosk_key:
            return render(request, "feedback/kiosk_locked.html", status=403)
        # Keep the key in the session and drop it from the address bar, so it is not left in a
        # customer-facing screen or in the tablet's history.
        request.session[session_key] = key
        return HttpResponseRedirect(request.path)
    allowed = request.session.get(session_key) == channel.kiosk_key or scope_for(request.user).covers_location(
        channel.location_id
    )
    if not allowed:
        return render(request, "feedback/kiosk_locked.html", status=403)
    return _respond(request, channel=channel, channel_kind=ChannelKind.KIOSK, throttle_key=None, thanks_url=None)


@require_http_methods(["GET", "POST"])
def survey_invitation(request, token):
    invitation = selectors.invitation_by_token_hash(hash_token(token))
    if invitation is None:
        raise Http404("Unknown invitation")
    language = respondent.respondent_language(request, invitation.location, preferred=invitation.language)
    if invitation.status == InvitationStatus.ANSWERED:
        with translation.override(language):
            return render(request, "feedback/already_answered.html", {"language": language}, status=200)
    if request.method == "GET":
        invitation_mark_opened(invitation=invitation)
    return _respond(
        request,
        invitation=invitation,
        channel_kind=ChannelKind.EMAIL,
        throttle_key=None,
        thanks_url=None,
        language=language,
    )


def thanks(request, slug):
    channel = get_object_or_404(Channel.objects.select_related("survey", "location"), slug=slug)
    language = respondent.respondent_language(request, channel.location)
    with translation.override(language):
        return render(request, "feedback/thanks.html", _thanks_context(channel.survey, language))


def _active_channel(slug: str, kind: str) -> Channel:
    return get_object_or_404(
        Channel.objects.select_related("survey", "location", "touchpoint", "person"),
        slug=slug,
        kind=kind,
        active=True,
        survey__active=True,
    )


def _thanks_context(survey, language, **extra) -> dict:
    return {
        "language": language,
        "thanks_text": translated(survey.thanks, language, survey.default_language) or _("Thank you!"),
        **extra,
    }


def _respond(request, *, channel_kind, throttle_key, thanks_url, channel=None, invitation=None, language=None):
    """Show the survey (GET) or store an answer (POST) for a channel or an invitation."""
    source = channel or invitation
    survey, location = source.survey, source.location
    language = language or respondent.respondent_language(request, location)
    with translation.override(language):
        errors = {}
        if request.method == "POST":
            if request.POST.get(respondent.HONEYPOT_FIELD):
                # A bot filled the hidden field: thank it and store nothing.
                return _after_submit(request, survey, language, thanks_url, channel_kind)
            if throttle_key and respondent.throttle_exceeded(
                scope_key=throttle_key, client=respondent.client_address(request)
            ):
                return render(request, "feedback/throttled.html", {"language": language}, status=429)
            # The same cached questions response_submit checks against: no query of its own.
            raw_answers, contact = respondent.raw_answers_from_post(
                survey, request.POST, questions=selectors.survey_questions(survey)
            )
            try:
                response_submit(
                    survey=survey,
                    location=location,
                    touchpoint=source.touchpoint,
                    people=[source.person] if source.person else None,
                    raw_answers=raw_answers,
                    contact=contact,
                    language=language,
                    channel=channel,
                    channel_kind=channel_kind,
                    invitation=invitation,
                    transaction_ref=getattr(invitation, "transaction_ref", ""),
                )
            except DomainError as error:
                if error.status == 409:
                    return render(request, "feedback/already_answered.html", {"language": language}, status=409)
                errors[error.field or "__all__"] = error.message
            else:
                return _after_submit(request, survey, language, thanks_url, channel_kind)
        # Only the page needs the staff list; a successful answer skips the query (BENCHMARKS.md).
        staff = [source.person] if source.person else list(location.people.filter(active=True).order_by("name"))
        context = {
            "survey": survey,
            "location": location,
            "language": language,
            "languages": LANGUAGE_CHOICES,
            "title": translated(survey.title, language, survey.default_language),
            "intro": translated(survey.intro, language, survey.default_language),
            "questions": respondent.displayed_questions(
                survey, language, staff=staff, posted=request.POST if errors else None, errors=errors
            ),
            "errors": errors,
            "contact_email": request.POST.get("contact_email", "") if errors else "",
            "contact_phone": request.POST.get("contact_phone", "") if errors else "",
            "honeypot": respondent.HONEYPOT_FIELD,
            "kiosk": channel_kind == ChannelKind.KIOSK,
        }
        return render(request, "feedback/survey.html", context, status=400 if errors else 200)


def _after_submit(request, survey, language, thanks_url, channel_kind):
    if channel_kind == ChannelKind.KIOSK:
        # The tablet shows the thanks, then returns by itself to a fresh survey for the next customer.
        return render(request, "feedback/thanks.html", _thanks_context(survey, language, restart_url=request.path))
    if thanks_url:
        return HttpResponseRedirect(f"{thanks_url}?lang={language}")
    return render(request, "feedback/thanks.html", _thanks_context(survey, language))
