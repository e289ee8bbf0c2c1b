"""The survey builder (owners): new surveys, questions and their options, translations side by
side, a phone preview per language, and publishing once every language is complete."""

import json

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from exceed.errors import DomainError
from exceed.feedback import respondent, selectors, services
from exceed.feedback.forms import (
    ChoiceFormSet,
    QuestionForm,
    SurveyCreateForm,
    SurveyImportForm,
    SurveySettingsForm,
    SurveyTranslationsForm,
)
from exceed.feedback.models import CHOICE_KINDS, Question, QuestionKind, Survey, translated
from exceed.org.decorators import owners_only
from exceed.org.models import LANGUAGE_CHOICES, Location, Person


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
    surveys = selectors.surveys_for_customers()
    return render(request, "feedback/manage/survey_list.html", {"surveys": surveys, "import_form": import_form})


@owners_only
def survey_new(request):
    language = translation.get_language() or "en"
    initial = {"languages": [language], "default_language": language}
    form = SurveyCreateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_create(
                title={data["default_language"]: data["title"]},
                languages=data["languages"],
                default_language=data["default_language"],
                slug=data["slug"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The survey was created as a draft. Add its questions, then publish it."))
            return HttpResponseRedirect(reverse("feedback:survey", args=[survey.slug]))
    return render(request, "feedback/manage/survey_new.html", {"form": form})


@owners_only
def survey_export(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    body = json.dumps(services.survey_export(survey=survey), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.slug}.json"'
    return response


def _builder_context(survey: Survey, **extra) -> dict:
    questions = list(survey.questions.order_by("position", "pk"))
    for question in questions:
        question.display_text = translated(question.text, translation.get_language() or "en", survey.default_language)
    return {
        "survey": survey,
        "questions": [question for question in questions if question.archived_at is None],
        "archived": [question for question in questions if question.archived_at is not None],
        "completeness": selectors.survey_completeness(survey),
        "kinds": QuestionKind.choices,
        **extra,
    }


@owners_only
def survey_edit(request, slug):
    survey = get_object_or_404(Survey, slug=slug)
    initial = {
        "languages": survey.offered_languages,
        "default_language": survey.default_language,
        "in_measures": survey.in_measures,
    }
    form = SurveySettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_update(
                survey=survey,
                title=survey.title,
                intro=survey.intro,
                thanks=survey.thanks,
                active=survey.active,
                in_measures=form.cleaned_data["in_measures"],
                languages=form.cleaned_data["languages"],
                default_language=form.cleaned_data["default_language"],
            )
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The survey was saved."))
            return HttpResponseRedirect(request.path)
        survey.refresh_from_db()
    return render(request, "feedback/manage/survey_edit.html", _builder_context(survey, form=form))


@owners_only
@require_POST
def survey_status(request, slug, status):
    survey = get_object_or_404(Survey, slug=slug)
    if status == "publish":
        try:
            services.survey_publish(survey=survey)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The survey is published: its links, kiosks and invitations answer."))
    elif status == "unpublish":
        services.survey_unpublish(survey=survey)
        messages.success(request, _("The survey is closed: its links answer no one until it is published again."))
    else:
        raise Http404
    return HttpResponseRedirect(reverse("feedback:survey", args=[survey.slug]))


def _choice_initial(question: Question | None, languages: list[str]) -> list[dict]:
    if question is None:
        return []
    return [
        {"code": choice.code, **{f"label_{code}": choice.label.get(code, "") for code in languages}}
        for choice in question.choices.all()
    ]


@owners_only
def question_edit(request, slug, question_id=None):
    """Add or change a question. Options are rows (code, then a text per language); "More rows"
    posts the form back with three blank rows more, so no script is needed to add options."""
    survey = get_object_or_404(Survey, slug=slug)
    question = get_object_or_404(survey.questions, pk=question_id) if question_id else None
    languages = survey.offered_languages
    if question is not None:
        initial = {"code": question.code, "kind": question.kind, "required": question.required}
        initial.update({f"text_{code}": question.text.get(code, "") for code in languages})
        initial.update({f"help_{code}": question.help_text.get(code, "") for code in languages})
        initial.update({f"low_{code}": question.anchor_low.get(code, "") for code in languages})
        initial.update({f"high_{code}": question.anchor_high.get(code, "") for code in languages})
    else:
        kind = request.GET.get("kind")
        initial = {"kind": kind if kind in QuestionKind.values else QuestionKind.CHOICE}
    data = request.POST if request.method == "POST" else None
    if data is not None and "more_choices" in data:
        data = data.copy()
        data["choices-TOTAL_FORMS"] = str(int(data.get("choices-TOTAL_FORMS") or 0) + 3)
    form = QuestionForm(data, initial=initial, languages=languages)
    choices = ChoiceFormSet(
        data, initial=_choice_initial(question, languages), prefix="choices", form_kwargs={"languages": languages}
    )
    # A post without option rows (a question of another kind, sent by a script) leaves the options as they are.
    rows_posted = data is not None and "choices-TOTAL_FORMS" in data
    if not rows_posted:
        choices = ChoiceFormSet(
            initial=_choice_initial(question, languages), prefix="choices", form_kwargs={"languages": languages}
        )
    if data is not None and "more_choices" not in data and form.is_valid() and (not rows_posted or choices.is_valid()):
        kind = form.cleaned_data["kind"]
        stored = {choice.code: choice.label for choice in question.choices.all()} if question else {}
        try:
            services.question_save(
                survey=survey,
                question=question,
                code=form.cleaned_data["code"] or (question.code if question else ""),
                kind=kind,
                required=form.cleaned_data["required"],
                text=form.translations("text", question.text if question else {}),
                help_text=form.translations("help", question.help_text if question else {}),
                anchor_low=form.translations("low", question.anchor_low if question else {}),
                anchor_high=form.translations("high", question.anchor_high if question else {}),
                choices=choices.choices(stored) if rows_posted and kind in CHOICE_KINDS else None,
            )
        except DomainError as error:
            if error.field == "choices":
                choices._non_form_errors = choices.error_class([error.message])
            else:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("The question was saved."))
            return HttpResponseRedirect(reverse("feedback:survey", args=[survey.slug]))
    answered = question is not None and question.answers.exists()
    context = {
        "survey": survey,
        "question": question,
        "form": form,
        "choices": choices,
        "answered": answered,
        "offered": [(code, name) for code, name in LANGUAGE_CHOICES if code in languages],
    }
    status = 400 if form.errors or (rows_posted and choices.total_error_count()) else 200
    return render(request, "feedback/manage/question_edit.html", context, status=status)


@owners_only
@require_POST
def question_action(request, slug, question_id, action):
    """Move a question up or down, or remove it. Without JavaScript the page reloads; with htmx
    the question list is swapped in place."""
    survey = get_object_or_404(Survey, slug=slug)
    question = get_object_or_404(survey.questions, pk=question_id)
    error = notice = ""
    try:
        if action == "delete":
            if services.question_delete(question=question):
                notice = _("The question has answers, so it was archived: it is asked no more, and its answers stay.")
        elif action == "restore":
            services.question_restore(question=question)
        elif action in ("up", "down"):
            services.question_move(question=question, offset=-1 if action == "up" else 1)
        else:
            raise Http404
    except DomainError as refused:
        error = refused.message
    if request.headers.get("HX-Request"):
        return render(
            request, "feedback/manage/_survey_builder.html", _builder_context(survey, error=error, notice=notice)
        )
    if error:
        messages.error(request, error)
    if notice:
        messages.success(request, notice)
    return HttpResponseRedirect(reverse("feedback:survey", args=[survey.slug]))


@owners_only
def survey_translations(request, slug):
    """Every text of the survey in every language it offers, side by side, with each language's count."""
    survey = get_object_or_404(Survey, slug=slug)
    texts = selectors.survey_texts(survey, with_empty=True)
    form = SurveyTranslationsForm(request.POST or None, texts=texts, languages=survey.offered_languages)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_translations_save(survey=survey, texts=form.texts())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The translations were saved."))
            return HttpResponseRedirect(request.path)
    context = {
        "survey": survey,
        "form": form,
        "completeness": selectors.survey_completeness(survey, texts),
        "offered": [(code, name) for code, name in LANGUAGE_CHOICES if code in survey.offered_languages],
    }
    return render(request, "feedback/manage/survey_translations.html", context)


def _preview_language(request, survey: Survey) -> str:
    asked = request.GET.get("lang", "")
    return asked if asked in survey.offered_languages else survey.default_language


@owners_only
def survey_phone(request, slug):
    """The preview page: the respondent's page in a phone-sized frame, one tab per language."""
    survey = get_object_or_404(Survey, slug=slug)
    language = _preview_language(request, survey)
    context = {
        "survey": survey,
        "language": language,
        "offered": [(code, name) for code, name in LANGUAGE_CHOICES if code in survey.offered_languages],
        "completeness": selectors.survey_completeness(survey),
    }
    return render(request, "feedback/manage/survey_phone.html", context)


@owners_only
@require_GET
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})
def survey_preview(request, slug):
    """The real respondent template, shown in the builder's frame. GET only: nothing is stored, no
    link is needed, and a draft can be seen before it is published. The store and the staff are
    examples, since a survey belongs to no store until a link is made for it."""
    survey = get_object_or_404(Survey, slug=slug)
    language = _preview_language(request, survey)
    with translation.override(language):
        location = Location(name=_("Your store"), default_language=language)
        staff = [Person(pk=1, name="Anna"), Person(pk=2, name="Mikkel")]
        context = {
            "survey": survey,
            "location": location,
            "language": language,
            "languages": [(code, name) for code, name in LANGUAGE_CHOICES if code in survey.offered_languages],
            "title": translated(survey.title, language, survey.default_language),
            "intro": translated(survey.intro, language, survey.default_language),
            "questions": respondent.displayed_questions(survey, language, staff=staff),
            "errors": {},
            "honeypot": respondent.HONEYPOT_FIELD,
            "preview": True,
        }
        return render(request, "feedback/survey.html", context)
