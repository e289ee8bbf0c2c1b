"""The respondent's pages: a public link, a store kiosk and an emailed invitation.

They work without JavaScript and answer errors in the respondent's language.
"""

from django.conf import settings
from django.contrib.auth import logout
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from exceed.errors import DomainError
from exceed.feedback import kiosk, respondent, selectors
from exceed.feedback.models import Channel, ChannelKind, InvitationStatus, translated
from exceed.feedback.services import hash_token, invitation_mark_opened, response_submit
from exceed.feedback.survey_page import survey_page
from exceed.logins import SignInForm
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
    key = request.GET.get("key")
    if key:
        if not constant_time_compare(key, channel.kiosk_key):
            return render(request, "feedback/kiosk_locked.html", {"channel": channel}, status=403)
        return _kiosk_unlocked(request, channel)
    # Only the kiosk credential opens the kiosk: a staff sign-in, even a manager's, does not.
    tablet = kiosk.kiosk_tablet(request, channel=channel)
    if tablet is None:
        return render(request, "feedback/kiosk_locked.html", {"channel": channel}, status=403)
    return _respond(
        request,
        channel=channel,
        channel_kind=ChannelKind.KIOSK,
        # Each tablet on its own: one person answering again and again is throttled there too.
        throttle_key=f"kiosk:{channel.pk}",
        throttle_client=tablet,
        throttle_limit=settings.EXCEED_KIOSK_RATE_LIMIT,
        thanks_url=None,
    )


@require_http_methods(["GET", "POST"])
def kiosk_unlock(request, slug):
    """A manager of the store unlocks the tablet with their password, without signing in on it."""
    channel = _active_channel(slug, ChannelKind.KIOSK)
    form = SignInForm(request, data=request.POST if request.method == "POST" else None)
    refused = False
    if request.method == "POST" and form.is_valid():
        if scope_for(form.get_user()).may_unlock_kiosk(channel.location_id):
            return _kiosk_unlocked(request, channel)
        refused = True
    status = 403 if refused else 400 if form.errors else 200
    return render(
        request, "feedback/kiosk_unlock.html", {"form": form, "channel": channel, "refused": refused}, status=status
    )


def _kiosk_unlocked(request, channel):
    """The tablet gets the kiosk credential and keeps no staff session: whoever was signed in on
    this browser is signed out, so the back office never opens from a customer's screen."""
    if request.user.is_authenticated:
        logout(request)
    # Redirect to drop the key from the address bar, the tablet's history and screen.
    response = HttpResponseRedirect(reverse("feedback:kiosk", args=[channel.slug]))
    kiosk.kiosk_unlock(response, channel=channel)
    return response


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
    channel = selectors.channel_active(slug, kind)
    if channel is None:
        raise Http404(slug)
    return channel


def _thanks_context(survey, language, **extra) -> dict:
    return {
        "language": language,
        "thanks_text": translated(survey.thanks, language, survey.default_language) or _("Thank you!"),
        **extra,
    }


def _respond(
    request,
    *,
    channel_kind,
    throttle_key,
    thanks_url,
    channel=None,
    invitation=None,
    language=None,
    throttle_client=None,
    throttle_limit=None,
):
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
                scope_key=throttle_key,
                client=throttle_client or respondent.client_address(request),
                limit=throttle_limit,
            ):
                return render(request, "feedback/throttled.html", {"language": language}, status=429)
            # Checked against the database once for this request, then handed to response_submit.
            questions = selectors.survey_questions(survey)
            raw_answers, contact = respondent.raw_answers_from_post(survey, request.POST, questions=questions)
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
                    # A staff login signed in where customers answer (a kiosk) answers for itself.
                    entered_by=request.user if channel_kind == ChannelKind.KIOSK else None,
                    questions=questions,
                )
            except DomainError as error:
                if error.status == 409:
                    return render(request, "feedback/already_answered.html", {"language": language}, status=409)
                errors[error.field or "__all__"] = error.message
            else:
                return _after_submit(request, survey, language, thanks_url, channel_kind)
        # Only the page needs the staff list; a successful answer skips the query (BENCHMARKS.md).
        # Names only of those who agreed to be shown to customers (issue 7, item 3).
        if source.person:
            staff = [source.person] if source.person.shown_to_customers else []
        else:
            staff = list(location.people.filter(active=True, shown_to_customers=True).order_by("name"))
        context = {
            "survey": survey,
            "location": location,
            "language": language,
            "languages": [(code, name) for code, name in LANGUAGE_CHOICES if code in survey.offered_languages],
            "title": translated(survey.title, language, survey.default_language),
            "intro": translated(survey.intro, language, survey.default_language),
            "errors": errors,
            "contact_email": request.POST.get("contact_email", "") if errors else "",
            "contact_phone": request.POST.get("contact_phone", "") if errors else "",
            "honeypot": respondent.HONEYPOT_FIELD,
            "kiosk": channel_kind == ChannelKind.KIOSK,
        }
        if channel is not None and not errors:
            return survey_page(request, context, staff=staff)
        context["questions"] = respondent.displayed_questions(
            survey, language, staff=staff, posted=request.POST if errors else None, errors=errors
        )
        return render(request, "feedback/survey.html", context, status=400 if errors else 200)


def _after_submit(request, survey, language, thanks_url, channel_kind):
    if channel_kind == ChannelKind.KIOSK:
        # The tablet shows the thanks, then returns by itself to a fresh survey for the next customer.
        return render(request, "feedback/thanks.html", _thanks_context(survey, language, restart_url=request.path))
    if thanks_url:
        return HttpResponseRedirect(f"{thanks_url}?lang={language}")
    return render(request, "feedback/thanks.html", _thanks_context(survey, language))
