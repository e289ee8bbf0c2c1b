"""Every write to feedback goes through these functions."""

import hashlib
import json
import secrets
from datetime import datetime

from django.db import IntegrityError, transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from exceed.core.texts import translations_clean
from exceed.errors import DomainError
from exceed.feedback.answers import check_answers
from exceed.feedback.models import (
    Answer,
    Channel,
    ChannelKind,
    Choice,
    Invitation,
    InvitationStatus,
    PendingEvaluation,
    Question,
    QuestionKind,
    Response,
    Survey,
)
from exceed.feedback.rollup import rollup_add
from exceed.feedback.selectors import survey_questions
from exceed.org.models import LANGUAGE_CODES, Location, Person, Touchpoint

# Sent after a response is stored (inside its transaction's on_commit), so higher apps such as
# recovery can react without feedback importing them.
response_stored = Signal()
# Sent after commit when evaluations_pending_add() marked responses (``response``: the one, or
# None for a batch; ``count``), so the app that evaluates them (recovery) can start at once; if it
# never arrives (the process died), the worker's periodic sweep finds the rows.
evaluations_pending = Signal()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def response_submit(
    *,
    survey: Survey,
    location: Location,
    raw_answers: dict,
    language: str,
    channel_kind: str,
    touchpoint: Touchpoint | None = None,
    channel: Channel | None = None,
    invitation: Invitation | None = None,
    people: list[Person] | None = None,
    contact: dict | None = None,
    transaction_ref: str = "",
    external_id: str | None = None,
    submitted_at: datetime | None = None,
) -> Response:
    """Check and store one response with its answers and measure counts, all or nothing.

    1. Check the answers against the survey's questions (and the location's staff).
    2. Insert the response, its answers and the people it names.
    3. Add it to the daily measures in the same transaction, so figures never drift.
    """
    if not survey.active:
        raise DomainError(_("This survey is closed."), field="survey")
    if language not in LANGUAGE_CODES:
        raise DomainError(_("Unknown language: %(language)s") % {"language": language}, field="language")
    if len(transaction_ref) > 120:
        raise DomainError(_("The transaction reference is too long."), field="transaction_ref")
    questions = survey_questions(survey)
    # The location's staff matter only when the answers name someone; most answers do not.
    staff_ids = (
        set(location.people.filter(active=True).values_list("pk", flat=True))
        if _names_staff(questions, raw_answers)
        else set()
    )
    checked = check_answers(questions=questions, raw_answers=raw_answers, staff_ids=staff_ids, contact=contact)
    person_ids = sorted(set(checked.person_ids) | {person.pk for person in people or []})

    submitted_at = submitted_at or timezone.now()
    response = Response(
        survey=survey,
        channel=channel,
        channel_kind=channel_kind,
        invitation=invitation,
        location=location,
        touchpoint=touchpoint,
        language=language,
        submitted_at=submitted_at,
        local_date=submitted_at.astimezone(location.zone).date(),
        transaction_ref=transaction_ref,
        external_id=external_id or None,
        **checked.response_fields(),
    )
    try:
        with transaction.atomic():
            response.save(force_insert=True)
            Answer.objects.bulk_create(
                Answer(response=response, question_id=question_id, **fields)
                for question_id, fields in checked.values.items()
            )
            if person_ids:
                Response.people.through.objects.bulk_create(
                    Response.people.through(response_id=response.pk, person_id=pk) for pk in person_ids
                )
            if invitation is not None:
                Invitation.objects.filter(pk=invitation.pk).update(
                    status=InvitationStatus.ANSWERED, answered_at=submitted_at
                )
            rollup_add(response, person_ids)
            evaluations_pending_add(responses=[response])
            transaction.on_commit(lambda: response_stored.send(sender=Response, response=response))
    except IntegrityError as exc:
        if invitation is not None and Response.objects.filter(invitation=invitation).exists():
            raise DomainError(_("This invitation has already been answered. Thank you!"), field="invitation", status=409) from exc
        stored = Response.objects.filter(external_id=external_id).values_list("pk", flat=True).first() if external_id else None
        if stored is not None:
            raise DomainError(
                _("A response with this external id exists already."), field="external_id", status=409, extra={"id": stored}
            ) from exc
        raise
    return response


def evaluations_pending_add(*, responses: list[Response]) -> None:
    """Record, in the caller's transaction, that these new responses still need evaluating.

    Every path that creates a Response calls this inside its transaction: the row commits with
    the response or not at all, so no response is ever stored without its evaluation to come.
    """
    if not responses:
        return
    now = timezone.now()
    PendingEvaluation.objects.bulk_create(PendingEvaluation(response_id=response.pk, created_at=now) for response in responses)
    # A live answer passes itself on; an import's batch only its size, so a million imported
    # responses are not held in memory until the import commits.
    single = responses[0] if len(responses) == 1 else None
    count = len(responses)
    transaction.on_commit(lambda: evaluations_pending.send(sender=Response, response=single, count=count))


def _names_staff(questions: list[Question], raw_answers: dict) -> bool:
    return any(
        question.kind == QuestionKind.STAFF and raw_answers.get(question.code) not in (None, "", [])
        for question in questions
    )


def _questions_of(survey: Survey) -> list[Question]:
    return list(survey.questions.prefetch_related("choices").order_by("position", "pk"))


# --- Invitations -------------------------------------------------------------------------------


def invitation_create(
    *,
    survey: Survey,
    location: Location,
    email: str,
    touchpoint: Touchpoint | None = None,
    person: Person | None = None,
    language: str = "",
    transaction_ref: str = "",
) -> Invitation:
    if language and language not in LANGUAGE_CODES:
        raise DomainError(_("Unknown language: %(language)s") % {"language": language}, field="language")
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    try:
        if len(email) > 254:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        raise DomainError(_("Please enter a valid email address."), field="email") from None
    return Invitation.objects.create(
        survey=survey,
        location=location,
        touchpoint=touchpoint,
        person=person,
        email=email,
        language=language,
        transaction_ref=transaction_ref,
    )


def invitation_issue_token(*, invitation: Invitation) -> str:
    """A fresh single-use token; only its hash is kept, so a database leak opens no surveys."""
    token = secrets.token_urlsafe(24)
    Invitation.objects.filter(pk=invitation.pk).update(token_hash=hash_token(token))
    invitation.token_hash = hash_token(token)
    return token


def invitation_mark_sent(*, invitation: Invitation, error: str = "") -> None:
    if error:
        Invitation.objects.filter(pk=invitation.pk).update(status=InvitationStatus.FAILED, error=error[:2000])
    else:
        Invitation.objects.filter(pk=invitation.pk, status__in=[InvitationStatus.PENDING, InvitationStatus.FAILED]).update(
            status=InvitationStatus.SENT, sent_at=timezone.now(), error=""
        )


def invitation_mark_opened(*, invitation: Invitation) -> None:
    Invitation.objects.filter(pk=invitation.pk, opened_at__isnull=True).update(opened_at=timezone.now())
    Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.SENT).update(status=InvitationStatus.OPENED)


# --- Channels ----------------------------------------------------------------------------------


def channel_create(
    *,
    survey: Survey,
    location: Location,
    kind: str = ChannelKind.LINK,
    touchpoint: Touchpoint | None = None,
    person: Person | None = None,
    name: str = "",
) -> Channel:
    if kind not in (ChannelKind.LINK, ChannelKind.KIOSK):
        raise DomainError(_("A channel is a link or a kiosk."), field="kind")
    channel_check_person(location=location, person=person)
    return Channel.objects.create(
        survey=survey, location=location, kind=kind, touchpoint=touchpoint, person=person, name=name
    )


def channel_check_person(*, location: Location, person: Person | None) -> None:
    """A link or kiosk that credits a person must be at a location where that person works."""
    if person is not None and not person.locations.filter(pk=location.pk).exists():
        raise DomainError(_("This person does not work at this location."), field="person")


def channel_revoke_kiosks(*, channel: Channel) -> Channel:
    from exceed.feedback.models import new_kiosk_key

    channel.kiosk_key = new_kiosk_key()
    channel.save(update_fields=["kiosk_key"])
    return channel


# --- Survey definitions ------------------------------------------------------------------------

SURVEY_FORMAT = "exceed.survey/1"


def survey_export(*, survey: Survey) -> dict:
    return {
        "format": SURVEY_FORMAT,
        "slug": survey.slug,
        "title": survey.title,
        "intro": survey.intro,
        "thanks": survey.thanks,
        "default_language": survey.default_language,
        "in_measures": survey.in_measures,
        "questions": [
            {
                "code": question.code,
                "kind": question.kind,
                "text": question.text,
                "help_text": question.help_text,
                "required": question.required,
                "choices": [{"code": choice.code, "label": choice.label} for choice in question.choices.all()],
            }
            for question in _questions_of(survey)
        ],
    }


def survey_import(*, definition: dict, slug: str | None = None, replace: bool = False) -> Survey:
    """Create (or, with ``replace``, redefine) a survey from an exported definition, all or nothing."""
    if not isinstance(definition, dict) or definition.get("format") != SURVEY_FORMAT:
        raise DomainError(_("This is not an Exceed survey file (format %(format)s expected).") % {"format": SURVEY_FORMAT}, field="format")
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
            raise DomainError(_("Question %(n)s has a missing or repeated code.") % {"n": index + 1}, field=f"questions[{index}].code")
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
            in_measures=bool(definition.get("in_measures", True)),
        )
        for position, spec in enumerate(questions):
            question = Question.objects.create(
                survey=survey,
                code=spec["code"],
                kind=spec["kind"],
                text=spec["text"],
                help_text=spec.get("help_text") or {},
                required=bool(spec.get("required")),
                position=position,
            )
            Choice.objects.bulk_create(
                Choice(question=question, code=choice["code"], label=choice.get("label") or {}, position=index)
                for index, choice in enumerate(spec.get("choices") or [])
            )
    return survey


def _is_code(value) -> bool:
    import re

    return isinstance(value, str) and bool(re.fullmatch(r"[-a-zA-Z0-9_]{1,64}", value))


def _is_translations(value) -> bool:
    return isinstance(value, dict) and all(isinstance(key, str) and isinstance(text, str) for key, text in value.items())


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
        raise DomainError(_("Question %(n)s has a help text that is not a set of translations.") % number, field=f"{where}.help_text")
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
        raise DomainError(_("The file is not valid JSON (line %(line)s).") % {"line": exc.lineno}, field="file") from None
    return survey_import(definition=definition, **kwargs)


def default_survey_install() -> Survey:
    """The "Visit" survey every installation starts with, fully translated (issue 2, item 4)."""
    from pathlib import Path

    existing = Survey.objects.filter(slug="visit").first()
    if existing:
        return existing
    text = (Path(__file__).parent / "default_surveys" / "visit.json").read_text(encoding="utf-8")
    return survey_import_json(text=text)


# --- Survey editing (owners) -------------------------------------------------------------------




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
    survey.title, survey.intro, survey.thanks, survey.active = title, translations_clean(intro), translations_clean(thanks), active
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
    question.code, question.kind, question.text, question.required = code, kind, text, required
    question.help_text = translations_clean(help_text or {})
    question.save()
    if choices is not None:
        question.choices.exclude(code__in=[choice_code for choice_code, _label in choices]).delete()
        for position, (choice_code, label) in enumerate(choices):
            Choice.objects.update_or_create(
                question=question, code=choice_code, defaults={"label": translations_clean(label), "position": position}
            )
    return question


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
