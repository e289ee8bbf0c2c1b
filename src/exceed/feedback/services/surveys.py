"""Editing surveys in the back office: texts, whether they count, questions and their order."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exceed.core.texts import translations_clean
from exceed.errors import DomainError
from exceed.feedback.models import (
    Choice,
    Question,
    QuestionKind,
    QuestionVersion,
    Survey,
)


def survey_update(
    *, survey: Survey, title: dict, intro: dict, thanks: dict, active: bool, in_measures: bool | None = None
) -> Survey:
    """Change a survey's texts and status. Changing whether it counts in the measures rebuilds
    the daily rollup, so past answers move in or out of the figures with it."""
    from exceed.feedback.rollup import rollup_rebuild

    title = translations_clean(title)
    if not title:
        raise DomainError(_("A survey needs a title in at least one language."), field="title")
    rebuild = in_measures is not None and in_measures != survey.in_measures
    survey.title, survey.intro, survey.thanks, survey.active = (
        title,
        translations_clean(intro),
        translations_clean(thanks),
        active,
    )
    if in_measures is not None:
        survey.in_measures = in_measures
    with transaction.atomic():
        survey.save(update_fields=["title", "intro", "thanks", "active", "in_measures"])
        if rebuild:
            rollup_rebuild()
    return survey


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
) -> Question:
    """Add a question, or change one. A question that has answers keeps its code and kind,
    since changing either would change the meaning of the answers already given."""
    text = translations_clean(text)
    if not text:
        raise DomainError(_("A question needs a text in at least one language."), field="text")
    if kind not in QuestionKind.values:
        raise DomainError(_("Unknown question kind."), field="kind")
    clash = survey.questions.filter(code=code)
    if question is not None:
        clash = clash.exclude(pk=question.pk)
        if question.answers.exists() and (question.code != code or question.kind != kind):
            raise DomainError(_("This question has answers: its code and kind cannot change."), field="code")
    if not code or clash.exists():
        raise DomainError(_("Each question needs its own code."), field="code")
    if kind in (QuestionKind.CHOICE, QuestionKind.MULTI_CHOICE) and not choices:
        raise DomainError(_("A choice question needs at least one option."), field="choices")
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
        question.save()
        _choices_save(question, choices)
    return question


def _choices_save(question: Question, choices) -> None:
    if choices is not None:
        question.choices.exclude(code__in=[choice_code for choice_code, _label in choices]).delete()
        for position, (choice_code, label) in enumerate(choices):
            Choice.objects.update_or_create(
                question=question, code=choice_code, defaults={"label": translations_clean(label), "position": position}
            )


def question_delete(*, question: Question) -> None:
    if question.answers.exists():
        raise DomainError(_("This question has answers and cannot be deleted."), field="question")
    question.delete()


def question_move(*, question: Question, offset: int) -> None:
    """Swap a question with its neighbour above (offset −1) or below (+1)."""
    siblings = list(question.survey.questions.order_by("position", "pk"))
    index = siblings.index(question)
    target = index + offset
    if not 0 <= target < len(siblings):
        return
    siblings[index], siblings[target] = siblings[target], siblings[index]
    with transaction.atomic():
        for position, sibling in enumerate(siblings):
            Question.objects.filter(pk=sibling.pk).update(position=position)
