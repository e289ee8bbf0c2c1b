"""Back-office pages for feedback: links, QR posters, kiosks (managers) and surveys (owners)."""

import json

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from exceed.core.qr import qr_code
from exceed.errors import DomainError
from exceed.feedback import services
from exceed.feedback.forms import ChannelForm, QuestionForm, SurveyForm, SurveyImportForm
from exceed.feedback.models import Channel, ChannelKind, Question, Survey, translated
from exceed.org.decorators import managers_only, owners_only
from exceed.org.models import LANGUAGE_CHOICES
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


@managers_only
def channel_detail(request, slug):
    channel = get_object_or_404(_channels_in_scope(request.scope), slug=slug)
    context = {"channel": channel, "url": _public_url(channel)}
    if channel.kind == ChannelKind.KIOSK:
        context["kiosk_unlock_url"] = f"{context['url']}?key={channel.kiosk_key}"
    return render(request, "feedback/manage/channel_detail.html", context)


@managers_only
def channel_poster(request, slug):
    """A printable A4 poster: the survey's title in the location's language and the QR code."""
    channel = get_object_or_404(_channels_in_scope(request.scope).filter(kind=ChannelKind.LINK), slug=slug)
    language = channel.location.default_language
    svg = qr_code(_public_url(channel), kind="svg").decode()
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
    channel = get_object_or_404(_channels_in_scope(request.scope).filter(kind=ChannelKind.KIOSK), slug=slug)
    services.channel_revoke_kiosks(channel=channel)
    messages.success(request, _("Every tablet opened with the old kiosk link is now locked."))
    return HttpResponseRedirect(reverse("feedback:channel", args=[slug]))


# --- Surveys -----------------------------------------------------------------------------------


@owners_only
def survey_list(request):
    import_form = SurveyImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and import_form.is_valid():
        upload = import_form.cleaned_data["file"]
        try:
            survey = services.survey_import_json(
                text=upload.read().decode("utf-8", errors="replace"), slug=import_form.cleaned_data["slug"] or None
            )
        except DomainError as error:
            import_form.add_error("file", error.message)
        else:
            messages.success(request, _("The survey was imported."))
            return HttpResponseRedirect(reverse("feedback:survey", args=[survey.slug]))
    surveys = Survey.objects.all()
    return render(request, "feedback/manage/survey_list.html", {"surveys": surveys, "import_form": import_form})


@owners_only
def survey_export(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    body = json.dumps(services.survey_export(survey=survey), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.slug}.json"'
    return response


@owners_only
def survey_edit(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    initial = {"active": survey.active, "in_measures": survey.in_measures}
    for prefix, texts in (("title", survey.title), ("intro", survey.intro), ("thanks", survey.thanks)):
        initial.update({f"{prefix}_{code}": value for code, value in texts.items()})
    form = SurveyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(
                survey=survey,
                title=form.translations("title"),
                intro=form.translations("intro"),
                thanks=form.translations("thanks"),
                active=form.cleaned_data["active"],
                in_measures=form.cleaned_data["in_measures"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The survey was saved."))
            return HttpResponseRedirect(request.path)
    questions = survey.questions.prefetch_related("choices").order_by("position", "pk")
    context = {"survey": survey, "form": form, "questions": questions, "languages": LANGUAGE_CHOICES}
    return render(request, "feedback/manage/survey_edit.html", context)


def _question_initial(question: Question) -> dict:
    initial = {"code": question.code, "kind": question.kind, "required": question.required}
    initial.update({f"text_{code}": value for code, value in question.text.items()})
    initial["choices"] = "\n".join(
        " | ".join([choice.code] + [choice.label.get(code, "") for code, _name in LANGUAGE_CHOICES])
        for choice in question.choices.all()
    )
    return initial


@owners_only
def question_edit(request, slug, question_id=None):
    survey = get_object_or_404(Survey, slug=slug)
    question = get_object_or_404(survey.questions, pk=question_id) if question_id else None
    form = QuestionForm(request.POST or None, initial=_question_initial(question) if question else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_save(
                survey=survey,
                question=question,
                code=form.cleaned_data["code"],
                kind=form.cleaned_data["kind"],
                required=form.cleaned_data["required"],
                text=form.translations(),
                choices=form.parsed_choices(),
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The question was saved."))
            return HttpResponseRedirect(reverse("feedback:survey", args=[survey.slug]))
    answered = question is not None and question.answers.exists()
    return render(
        request,
        "feedback/manage/question_edit.html",
        {"survey": survey, "question": question, "form": form, "answered": answered},
    )


@owners_only
@require_POST
def question_action(request, slug, question_id, action):
    survey = get_object_or_404(Survey, slug=slug)
    question = get_object_or_404(survey.questions, pk=question_id)
    try:
        if action == "delete":
            services.question_delete(question=question)
        elif action in ("up", "down"):
            services.question_move(question=question, offset=-1 if action == "up" else 1)
        else:
            raise Http404
    except DomainError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(reverse("feedback:survey", args=[survey.slug]))
