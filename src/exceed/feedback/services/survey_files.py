"""Survey definitions as files (JSON): export, import, and the default survey installed from one."""

import json

from django.db import transaction
from django.utils.translation import gettext as _

from exceed.errors import DomainError
from exceed.feedback.models import (
    Choice,
    Question,
    QuestionKind,
    Survey,
)

SURVEY_FORMAT = "exceed.survey/1"


def survey_export(*, survey: Survey) -> dict:
    return {
        "format": SURVEY_FORMAT,
        "slug": survey.slug,
        "title": survey.title,
        "intro": survey.intro,
        "thanks": survey.thanks,
        "default_language": survey.default_language,
        "languages": survey.offered_languages,
        "in_measures": survey.in_measures,
        "questions": [
            {
                "code": question.code,
                "kind": question.kind,
                "text": question.text,
                "help_text": question.help_text,
                "anchor_low": question.anchor_low,
                "anchor_high": question.anchor_high,
                "required": question.required,
                "choices": [{"code": choice.code, "label": choice.label} for choice in question.choices.all()],
            }
            for question in _questions_of(survey)
        ],
    }


def survey_import(*, definition: dict, slug: str | None = None, replace: bool = False) -> Survey:
    """Create (or, with ``replace``, redefine) a survey from an exported definition, all or nothing."""
    if not isinstance(definition, dict) or definition.get("format") != SURVEY_FORMAT:
        raise DomainError(
            _("This is not an Exceed survey file (format %(format)s expected).") % {"format": SURVEY_FORMAT},
            field="format",
        )
    slug = slug or definition.get("slug")
    questions = definition.get("questions")
    if not slug or not isinstance(questions, list) or not questions:
        raise DomainError(_("A survey needs a code and at least one question."), field="questions")
    if not _is_code(slug):
        raise DomainError(_("A survey's code may hold only letters, digits, - and _."), field="slug")
    seen = set()
    for index, question in enumerate(questions):
        _check_question_definition(question, index)
        if question["code"] in seen:
            raise DomainError(
                _("Question %(n)s has a missing or repeated code.") % {"n": index + 1}, field=f"questions[{index}].code"
            )
        seen.add(question["code"])
    with transaction.atomic():
        existing = Survey.objects.filter(slug=slug).first()
        if existing and not replace:
            raise DomainError(_("A survey with the code %(slug)s exists already.") % {"slug": slug}, field="slug")
        if existing and existing.responses.exists():
            raise DomainError(_("This survey has responses; import it under a new code instead."), field="slug")
        if existing:
            existing.delete()
        survey = Survey.objects.create(
            slug=slug,
            title=definition.get("title") or {"en": slug},
            intro=definition.get("intro") or {},
            thanks=definition.get("thanks") or {},
            default_language=definition.get("default_language") or "en",
            languages=_languages_of(definition),
            in_measures=bool(definition.get("in_measures", True)),
        )
        for position, spec in enumerate(questions):
            question = Question.objects.create(
                survey=survey,
                code=spec["code"],
                kind=spec["kind"],
                text=spec["text"],
                help_text=spec.get("help_text") or {},
                anchor_low=spec.get("anchor_low") or {},
                anchor_high=spec.get("anchor_high") or {},
                required=bool(spec.get("required")),
                position=position,
            )
            Choice.objects.bulk_create(
                Choice(question=question, code=choice["code"], label=choice.get("label") or {}, position=index)
                for index, choice in enumerate(spec.get("choices") or [])
            )
    return survey


def _languages_of(definition: dict) -> list[str]:
    """The offered languages of a file; files from before the builder have none: all five."""
    from exceed.core.texts import LANGUAGE_CODES

    languages = definition.get("languages") or []
    if not isinstance(languages, list) or not set(languages) <= set(LANGUAGE_CODES):
        raise DomainError(
            _("The languages must be a list of %(codes)s.") % {"codes": ", ".join(LANGUAGE_CODES)}, field="languages"
        )
    return [code for code in LANGUAGE_CODES if code in languages]


def _is_code(value) -> bool:
    import re

    return isinstance(value, str) and bool(re.fullmatch(r"[-a-zA-Z0-9_]{1,64}", value))


def _is_translations(value) -> bool:
    return isinstance(value, dict) and all(
        isinstance(key, str) and isinstance(text, str) for key, text in value.items()
    )


def _check_question_definition(question, index: int) -> None:
    """One question of a survey file: refuse with a message naming it, never a 500 halfway."""
    where = f"questions[{index}]"
    number = {"n": index + 1}
    if not isinstance(question, dict):
        raise DomainError(_("Question %(n)s is not a question.") % number, field=where)
    if not _is_code(question.get("code")):
        raise DomainError(_("Question %(n)s has a missing or repeated code.") % number, field=f"{where}.code")
    if question.get("kind") not in QuestionKind.values:
        raise DomainError(_("Question %(n)s has an unknown kind.") % number, field=f"{where}.kind")
    if not _is_translations(question.get("text")) or not question["text"]:
        raise DomainError(_("Question %(n)s has no text.") % number, field=f"{where}.text")
    if not _is_translations(question.get("help_text") or {}):
        raise DomainError(
            _("Question %(n)s has a help text that is not a set of translations.") % number, field=f"{where}.help_text"
        )
    for anchor in ("anchor_low", "anchor_high"):
        if not _is_translations(question.get(anchor) or {}):
            raise DomainError(
                _("Question %(n)s has a scale end that is not a set of translations.") % number,
                field=f"{where}.{anchor}",
            )
    choices = question.get("choices") or []
    if not isinstance(choices, list) or not all(
        isinstance(choice, dict) and _is_code(choice.get("code")) and _is_translations(choice.get("label") or {})
        for choice in choices
    ):
        raise DomainError(_("Question %(n)s has an option without a valid code.") % number, field=f"{where}.choices")
    choice_codes = [choice["code"] for choice in choices]
    if len(set(choice_codes)) != len(choice_codes):
        raise DomainError(_("Question %(n)s has an option without a valid code.") % number, field=f"{where}.choices")


def survey_import_json(*, text: str, **kwargs) -> Survey:
    try:
        definition = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DomainError(
            _("The file is not valid JSON (line %(line)s).") % {"line": exc.lineno}, field="file"
        ) from None
    return survey_import(definition=definition, **kwargs)


def default_survey_install() -> Survey:
    """The "Visit" survey every installation starts with, fully translated (issue 2, item 4)."""
    from pathlib import Path

    existing = Survey.objects.filter(slug="visit").first()
    if existing:
        return existing
    text = (Path(__file__).parent.parent / "default_surveys" / "visit.json").read_text(encoding="utf-8")
    return survey_import_json(text=text)


def _questions_of(survey: Survey) -> list[Question]:
    return list(
        survey.questions.filter(archived_at__isnull=True).prefetch_related("choices").order_by("position", "pk")
    )
