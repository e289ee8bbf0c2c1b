"""Editing surveys in the back office: creating, texts and languages, whether they count,
questions and their order, and publishing."""

import re

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from exceed.core.texts import LANGUAGE_CODES, translations_clean
from exceed.errors import DomainError
from exceed.feedback.models import (
    MYSTERY_SURVEY_SLUG,
    SCALE_KINDS,
    Choice,
    Question,
    QuestionKind,
    QuestionVersion,
    Survey,
)


def _languages_clean(languages: list[str], default_language: str | None) -> tuple[list[str], str]:
    chosen = [code for code in LANGUAGE_CODES if code in languages]
    if not chosen or len(chosen) != len(set(languages)):
        raise DomainError(_("Choose at least one of the languages offered."), field="languages")
    default_language = default_language or chosen[0]
    if default_language not in chosen:
        raise DomainError(_("The default language must be one the survey offers."), field="default_language")
    return chosen, default_language


def survey_create(*, title: dict, languages: list[str], default_language: str | None = None, slug: str = "") -> Survey:
    """A new survey, as a draft: it answers on no link until it is published (``survey_publish``)."""
    languages, default_language = _languages_clean(languages, default_language)
    title = translations_clean(title)
    if not title:
        raise DomainError(_("A survey needs a title in at least one language."), field="title")
    if slug:
        if Survey.objects.filter(slug=slug).exists() or slug == "new":
            raise DomainError(_("A survey with the code %(slug)s exists already.") % {"slug": slug}, field="slug")
    else:
        # "new" is the address of the new-survey page, so no survey may be called that.
        base = slugify(next(iter(title.values())))[:56] or "survey"
        slug, n = base, 1
        while slug == "new" or Survey.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
    with transaction.atomic():
        return Survey.objects.create(
            slug=slug, title=title, languages=languages, default_language=default_language, active=False
        )


def survey_publish_refusal(*, survey: Survey) -> str:
    """Why the survey may not be published yet, naming each text and language; "" when it may."""
    from exceed.feedback.selectors import survey_completeness

    if survey.slug == MYSTERY_SURVEY_SLUG:
        # Its responses are approved mystery shops; a customer answering it would pass as one.
        return _("This survey holds the approved mystery shops; customers do not answer it.")
    if not survey.questions.filter(archived_at__isnull=True).exists():
        return _("Add at least one question before publishing.")
    reasons = [
        _("Missing in %(language)s: %(texts)s.") % {"language": language.name, "texts": ", ".join(language.missing)}
        for language in survey_completeness(survey)
        if language.missing
    ]
    return " ".join(reasons)


def survey_publish(*, survey: Survey) -> Survey:
    """Open the survey to respondents, only once every text is in every language it offers: a
    customer who picks Danish must not meet an English question (issue 8, item 2)."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        refusal = survey_publish_refusal(survey=survey)
        if refusal:
            raise DomainError(_("The survey cannot be published yet.") + " " + refusal, field="languages")
        survey.active = True
        survey.save(update_fields=["active"])
    return survey


def survey_unpublish(*, survey: Survey) -> Survey:
    with transaction.atomic():
        survey.active = False
        survey.save(update_fields=["active"])
    return survey


def survey_update(
    *,
    survey: Survey,
    title: dict,
    intro: dict,
    thanks: dict,
    active: bool,
    in_measures: bool | None = None,
    languages: list[str] | None = None,
    default_language: str | None = None,
) -> Survey:
    """Change a survey's texts, languages and status. Changing whether it counts in the measures
    rebuilds the daily rollup, so past answers move in or out of the figures with it. Turning a
    closed survey active is publishing it, with the same check as ``survey_publish``."""
    from exceed.feedback.rollup import rollup_rebuild

    title = translations_clean(title)
    if not title:
        raise DomainError(_("A survey needs a title in at least one language."), field="title")
    if languages is not None:
        survey.languages, survey.default_language = _languages_clean(
            languages, default_language or survey.default_language
        )
    rebuild = in_measures is not None and in_measures != survey.in_measures
    publishing = active and not survey.active
    survey.title, survey.intro, survey.thanks = title, translations_clean(intro), translations_clean(thanks)
    if not publishing:
        survey.active = active
    if in_measures is not None:
        survey.in_measures = in_measures
    with transaction.atomic():
        survey.save(
            update_fields=["title", "intro", "thanks", "active", "in_measures", "languages", "default_language"]
        )
        if publishing:
            survey.active = survey_publish(survey=survey).active
        if rebuild:
            rollup_rebuild()
    return survey


@transaction.atomic
def survey_translations_save(*, survey: Survey, texts: dict[str, dict]) -> None:
    """Save the side-by-side translations: ``texts`` maps a ``SurveyText.key`` to its texts in
    the offered languages. Texts in languages not offered are kept. Question texts go through
    ``question_save``, so a question with answers keeps the wording they were given to."""

    def merged(current: dict, key: str) -> dict:
        # A blank field clears that language (translations_clean drops it); other languages stay.
        given = {code: value for code, value in texts.get(key, {}).items() if code in survey.offered_languages}
        return translations_clean({**current, **given})

    title = merged(survey.title, "title")
    if not title:
        raise DomainError(_("A survey needs a title in at least one language."), field="title")
    survey.title, survey.intro, survey.thanks = title, merged(survey.intro, "intro"), merged(survey.thanks, "thanks")
    survey.save(update_fields=["title", "intro", "thanks"])
    for question in survey.questions.filter(archived_at__isnull=True).prefetch_related("choices"):
        text, help_text = (
            merged(question.text, f"q{question.pk}.text"),
            merged(question.help_text, f"q{question.pk}.help"),
        )
        low, high = (
            merged(question.anchor_low, f"q{question.pk}.low"),
            merged(question.anchor_high, f"q{question.pk}.high"),
        )
        if (text, help_text, low, high) != (
            question.text,
            question.help_text,
            question.anchor_low,
            question.anchor_high,
        ):
            question_save(
                survey=survey,
                question=question,
                code=question.code,
                kind=question.kind,
                required=question.required,
                text=text,
                help_text=help_text,
                anchor_low=low,
                anchor_high=high,
            )
        for choice in question.choices.all():
            label = merged(choice.label, f"c{choice.pk}.label")
            if label != choice.label:
                if not label:
                    raise DomainError(
                        _('Option "%(code)s" needs a text in at least one language.') % {"code": choice.code},
                        field=f"c{choice.pk}.label",
                    )
                Choice.objects.filter(pk=choice.pk).update(label=label)


@transaction.atomic
def question_save(
    *,
    survey: Survey,
    code: str,
    kind: str,
    text: dict,
    required: bool = False,
    help_text: dict | None = None,
    choices: list[tuple[str, dict]] | None = None,
    question: Question | None = None,
    anchor_low: dict | None = None,
    anchor_high: dict | None = None,
) -> Question:
    """Add a question, or change one. A question that has answers keeps its code and kind,
    since changing either would change the meaning of the answers already given."""
    text = translations_clean(text)
    if not text:
        raise DomainError(_("A question needs a text in at least one language."), field="text")
    if kind not in QuestionKind.values:
        raise DomainError(_("Unknown question kind."), field="kind")
    if not code and question is None:
        code = _question_code_free(survey, kind)
    clash = survey.questions.filter(code=code)
    answered = question is not None and question.answers.exists()
    if question is not None:
        clash = clash.exclude(pk=question.pk)
        if answered and (question.code != code or question.kind != kind):
            raise DomainError(_("This question has answers: its code and kind cannot change."), field="code")
    if not code or clash.exists():
        raise DomainError(_("Each question needs its own code."), field="code")
    if kind in (QuestionKind.CHOICE, QuestionKind.MULTI_CHOICE):
        if choices is None and question is not None:
            choices = [(choice.code, choice.label) for choice in question.choices.all()]
        kept = list(question.choices.values_list("code", flat=True)) if question is not None and answered else []
        _choices_check(choices or [], kept=kept)
    if question is None:
        position = (survey.questions.order_by("-position").values_list("position", flat=True).first() or 0) + 1
        question = Question(survey=survey, position=position)
    # No help text given (the survey editor has no field for it): the question keeps its own.
    help_text = translations_clean(help_text) if help_text is not None else question.help_text if question.pk else {}
    with transaction.atomic():
        if (
            question.pk is not None
            and (question.text != text or question.help_text != help_text)
            and question.answers.exists()
        ):
            # The answers given keep the text they were given to: a consent to one wording is no
            # consent to the next (issue 7, item 3). The old text is kept, the question moves on.
            QuestionVersion.objects.create(
                question=question,
                version=question.version,
                text=question.text,
                help_text=question.help_text,
                replaced_at=timezone.now(),
            )
            question.version += 1
        question.code, question.kind, question.text, question.required = code, kind, text, required
        question.help_text = help_text
        # Anchors belong to scales; None (a caller that does not edit them) keeps the stored ones.
        if kind in SCALE_KINDS:
            if anchor_low is not None:
                question.anchor_low = translations_clean(anchor_low)
            if anchor_high is not None:
                question.anchor_high = translations_clean(anchor_high)
        else:
            question.anchor_low, question.anchor_high = {}, {}
        question.save()
        _choices_save(question, choices)
    return question


def _question_code_free(survey: Survey, kind: str) -> str:
    taken = set(survey.questions.values_list("code", flat=True))
    code, n = kind, 1
    while code in taken:
        n += 1
        code = f"{kind}_{n}"
    return code


def _choices_check(choices: list[tuple[str, dict]], *, kept: list[str]) -> None:
    """Options as a list: each with its own code and a text. ``kept`` are the codes a question
    with answers must keep, since answers name their option by its code."""
    if not choices:
        raise DomainError(_("A choice question needs at least one option."), field="choices")
    codes = [choice_code for choice_code, _label in choices]
    for choice_code, label in choices:
        if not re.fullmatch(r"[-a-zA-Z0-9_]{1,64}", choice_code or ""):
            raise DomainError(_("Each option needs a code of letters, digits, - and _."), field="choices")
        if codes.count(choice_code) > 1:
            raise DomainError(
                _('Two options have the code "%(code)s": each needs its own.') % {"code": choice_code}, field="choices"
            )
        if not translations_clean(label):
            raise DomainError(
                _('Option "%(code)s" needs a text in at least one language.') % {"code": choice_code}, field="choices"
            )
    removed = [choice_code for choice_code in kept if choice_code not in codes]
    if removed:
        raise DomainError(
            _("This question has answers: the option %(code)s cannot be removed.") % {"code": removed[0]},
            field="choices",
        )


def _choices_save(question: Question, choices) -> None:
    if choices is not None:
        question.choices.exclude(code__in=[choice_code for choice_code, _label in choices]).delete()
        for position, (choice_code, label) in enumerate(choices):
            Choice.objects.update_or_create(
                question=question, code=choice_code, defaults={"label": translations_clean(label), "position": position}
            )


def question_delete(*, question: Question) -> bool:
    """Remove a question from the survey. One with answers is archived, not deleted: it is asked
    no more, and its answers (and the measures copied from them) stay exactly as they were.
    Returns True when it was archived."""
    with transaction.atomic():
        if question.answers.exists():
            question.archived_at = timezone.now()
            question.save(update_fields=["archived_at"])
            return True
        question.delete()
    return False


def question_restore(*, question: Question) -> None:
    """Ask an archived question again, as the last one of the survey."""
    with transaction.atomic():
        last = question.survey.questions.order_by("-position").values_list("position", flat=True).first() or 0
        question.archived_at, question.position = None, last + 1
        question.save(update_fields=["archived_at", "position"])


def question_move(*, question: Question, offset: int) -> None:
    """Swap a question with its neighbour above (offset −1) or below (+1) among those asked."""
    siblings = list(question.survey.questions.filter(archived_at__isnull=True).order_by("position", "pk"))
    if question not in siblings:
        return
    index = siblings.index(question)
    target = index + offset
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    with transaction.atomic():
        for position, sibling in enumerate(siblings):
            Question.objects.filter(pk=sibling.pk).update(position=position)
