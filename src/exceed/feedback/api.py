"""Surveys, responses, measures and invitations over the API: thin handlers over feedback services
and selectors, every read filtered by the token's scope."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from exceed.api.cursor import page_after
from exceed.api.schemas import ErrorOut
from exceed.api.types import Code, DbId
from exceed.core.lookups import rows_by_keys
from exceed.core.measures import Outcome
from exceed.errors import DomainError
from exceed.feedback import selectors, services
from exceed.feedback.answers import check_answers
from exceed.feedback.lookups import survey_by_slug
from exceed.feedback.models import Answer, ChannelKind, Choice, Question, QuestionKind, Response, Survey
from exceed.feedback.schemas import (
    FeedbackQuery,
    InvitationIn,
    InvitationOut,
    MeasureOut,
    ResponseIn,
    ResponseOut,
    ResponsePage,
    SurveyOut,
)
from exceed.feedback.tasks import invitation_send_after_commit
from exceed.org.lookups import location_by_code, require_location, staff_of_location, touchpoint_by_code
from exceed.org.models import Location, Person, Region, Touchpoint

router = Router()
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
# Tills sync with slightly fast clocks; a response from further ahead than this is a mistake.
_CLOCK_SKEW = timedelta(minutes=5)


# --- Surveys -------------------------------------------------------------------------------------


def _surveys():
    questions = (
        Question.objects.filter(archived_at__isnull=True)
        .order_by("position", "pk")
        .prefetch_related(Prefetch("choices", queryset=Choice.objects.order_by("position", "pk")))
    )
    return (
        selectors.surveys_for_customers().prefetch_related(Prefetch("questions", queryset=questions)).order_by("slug")
    )


@router.get("/surveys", response=list[SurveyOut], tags=["feedback"])
def survey_list(request):
    # Survey definitions are not staff data, but a login without a role sees nothing.
    if not request.scope.sees_staff_data:
        return []
    return list(_surveys())


@router.get("/surveys/{slug}", response={200: SurveyOut, 404: ErrorOut}, tags=["feedback"])
def survey_detail(request, slug: Code):
    survey = _surveys().filter(slug=slug).first() if request.scope.sees_staff_data else None
    if survey is None:
        raise Http404(slug)
    return survey


# --- Responses -----------------------------------------------------------------------------------


def _answer_value(kind: str, number, text: str, choices: list):
    if kind == QuestionKind.EXPECTATION:
        return Outcome.WORDS.get(number)
    if kind == QuestionKind.CONSENT:
        return bool(number)
    if kind == QuestionKind.TEXT:
        return text
    if kind == QuestionKind.CHOICE:
        return choices[0] if choices else None
    if kind == QuestionKind.MULTI_CHOICE:
        return list(choices)
    if kind == QuestionKind.STAFF:
        return [int(pk) for pk in choices]
    return number


def _response_out(response: Response, *, answers: dict, people: list[int], codes: dict, with_contact: bool) -> dict:
    """``codes`` maps the ids of the response's survey, location and touchpoint to their codes."""
    return {
        "id": response.pk,
        "survey": codes["survey"][response.survey_id],
        "location": codes["location"][response.location_id],
        "touchpoint": codes["touchpoint"].get(response.touchpoint_id),
        "channel": response.channel_kind,
        "people": people,
        "language": response.language,
        "submitted_at": response.submitted_at,
        "local_date": response.local_date,
        "transaction_ref": response.transaction_ref,
        "external_id": response.external_id,
        "return_likelihood": response.return_likelihood,
        "expectation": Outcome.WORDS.get(response.expectation),
        "csat": response.csat,
        "comment": response.comment,
        "contact_consent": response.contact_consent,
        # Customers consent to be contacted by the store, not by the associate they rated.
        "contact_email": response.contact_email if with_contact else None,
        "contact_phone": response.contact_phone if with_contact else None,
        "answers": answers,
    }


_REQUEST_FIELDS = {"survey", "language", "transaction_ref", "external_id", "invitation"}


def _api_field(field: str | None, survey: Survey, answers: dict) -> str | None:
    """Name the offending field as the client wrote it: a question code sits under ``answers``.

    Only reached on the error path, so the happy path pays no query for the survey's codes.
    """
    if field in _REQUEST_FIELDS or not field:
        return field
    if field in answers or survey.questions.filter(code=field).exists():
        return f"answers.{field}"
    return {"contact_email": "contact.email", "contact_phone": "contact.phone"}.get(field, field)


@router.post("/responses", response={201: ResponseOut, **ERRORS}, tags=["feedback"])
def response_create(request, payload: ResponseIn):
    """Store one response, as a till or an app would send it; ``external_id`` makes retries safe."""
    scope = request.scope
    # The three rows in one statement; the single look-ups below run only to raise their errors.
    location, survey, touchpoint = rows_by_keys(
        (Location, "code", payload.location),
        (Survey, "slug", payload.survey),
        (Touchpoint, "code", payload.touchpoint or None),
    )
    location = location or location_by_code(payload.location)
    require_location(scope, location)
    survey = survey or survey_by_slug(payload.survey)
    touchpoint = touchpoint or touchpoint_by_code(payload.touchpoint)
    people = staff_of_location(payload.people, location, field="people")
    # Checked against the database once for this request, used by response_submit and the reply.
    questions = selectors.survey_questions(survey)
    submitted_at = payload.submitted_at
    if submitted_at is not None:
        if submitted_at.tzinfo is None:
            raise DomainError(_("Give the time with its UTC offset."), field="submitted_at")
        if submitted_at > timezone.now() + _CLOCK_SKEW:
            raise DomainError(_("This time is in the future."), field="submitted_at")
    try:
        response = services.response_submit(
            survey=survey,
            location=location,
            raw_answers=payload.answers,
            language=payload.language or location.default_language,
            channel_kind=ChannelKind.API,
            touchpoint=touchpoint,
            people=people,
            contact=payload.contact.dict() if payload.contact else None,
            transaction_ref=payload.transaction_ref,
            external_id=payload.external_id,
            submitted_at=submitted_at,
            questions=questions,
        )
    except DomainError as error:
        error.field = _api_field(error.field, survey, payload.answers)
        # The stored response's id lets a retrying till carry on; only where its token may read it.
        stored = error.extra.get("id")
        if stored is not None and not selectors.responses_visible(scope).filter(pk=stored).exists():
            error.extra.pop("id")
        raise
    answers, staff = _stored_answers(questions, payload)
    codes = {
        "survey": {survey.pk: survey.slug},
        "location": {location.pk: location.code},
        "touchpoint": {touchpoint.pk: touchpoint.code} if touchpoint else {},
    }
    people_ids = sorted(staff | {person.pk for person in people})
    reply = _response_out(response, answers=answers, people=people_ids, codes=codes, with_contact=True)
    # Built here from what was just checked and stored: ninja dumps a ResponseOut instance as it is
    # instead of validating the reply field by field again (issue 11 item 5; the reply is unchanged,
    # tests/api/test_responses_create.py compares it, key by key, with what GET reads back).
    return Status(201, ResponseOut.model_construct(**reply))


def _stored_answers(questions: list[Question], payload) -> tuple[dict, set[int]]:
    """The answers as response_submit stored them, without reading them back.

    Checking the same answers against the same questions gives the values it wrote;
    the staff check is skipped (``staff_ids=None``) because response_submit has just made it.
    Reading the rows back with their questions was the costliest query of this request.
    """
    checked = check_answers(
        questions=questions,
        raw_answers=payload.answers,
        staff_ids=None,
        contact=payload.contact.dict() if payload.contact else None,
    )
    kinds = {question.pk: (question.code, question.kind) for question in questions}
    answers, staff = {}, set()
    for question_id, fields in checked.values.items():
        code, kind = kinds[question_id]
        answers[code] = _answer_value(kind, fields.get("number"), fields.get("text", ""), fields.get("choices", []))
        if kind == QuestionKind.STAFF:
            staff.update(answers[code])
    return answers, staff


@router.get("/responses", response={200: ResponsePage, **ERRORS}, tags=["feedback"])
def response_list(
    request,
    filters: Query[FeedbackQuery],
    external_id: Code | None = None,
    transaction_ref: Code | None = None,
    cursor: str | None = None,
    limit: int = Query(100, ge=1, le=500),
):
    """Newest first. Pass ``next_cursor`` back as ``cursor`` for the next page; it is null on the last.

    ``external_id`` (the till's idempotency key) and ``transaction_ref`` (its receipt) find a till's own responses.
    """
    rows = selectors.responses_filtered(
        request.scope, filters.to_filter(), external_id=external_id, transaction_ref=transaction_ref
    )
    page, next_cursor = page_after(_with_answers(rows), cursor=cursor, limit=limit)
    return {"items": _responses_out(page, request.scope), "next_cursor": next_cursor}


@router.get("/responses/{response_id}", response={200: ResponseOut, **ERRORS}, tags=["feedback"])
def response_detail(request, response_id: DbId):
    """One response, as the list shows it; 404 when it does not exist or is outside the token's scope."""
    response = _with_answers(selectors.responses_visible(request.scope).filter(pk=response_id)).first()
    if response is None:
        raise DomainError(_("No such response."), status=404)
    return _responses_out([response], request.scope)[0]


def _with_answers(rows):
    return rows.prefetch_related(
        Prefetch(
            "answers",
            queryset=Answer.objects.select_related("question").only(
                "response_id", "number", "text", "choices", "question__code", "question__kind"
            ),
        ),
        Prefetch("people", queryset=Person.objects.only("pk")),
    )


def _responses_out(page: list[Response], scope) -> list[dict]:
    codes = _codes_for(page)
    items = []
    for response in page:
        answers = {
            answer.question.code: _answer_value(answer.question.kind, answer.number, answer.text, answer.choices)
            for answer in response.answers.all()
        }
        people = sorted(person.pk for person in response.people.all())
        items.append(
            _response_out(
                response, answers=answers, people=people, codes=codes, with_contact=scope.sees_customer_contact
            )
        )
    return items


def _codes_for(page: list[Response]) -> dict:
    """Codes for the page's surveys, locations and touchpoints: three small queries, not one per row."""

    def lookup(model, field: str, ids: set):
        return dict(model.objects.filter(pk__in=ids).values_list("pk", field)) if ids else {}

    return {
        "survey": lookup(Survey, "slug", {response.survey_id for response in page}),
        "location": lookup(Location, "code", {response.location_id for response in page}),
        "touchpoint": lookup(Touchpoint, "code", {response.touchpoint_id for response in page} - {None}),
    }


# --- Measures ------------------------------------------------------------------------------------


@router.get("/measures", response={200: list[MeasureOut], **ERRORS}, tags=["feedback"])
def measure_list(request, filters: Query[FeedbackQuery], group_by: str = ""):
    """Return score, expectation index and CSAT with sample sizes and 95% intervals.

    ``group_by`` is a comma-separated list of region, location, touchpoint, person, channel,
    language, day, week, month. Groups name locations, regions and touchpoints by code.
    """
    groupings = [name.strip() for name in group_by.split(",") if name.strip()]
    unknown = [name for name in groupings if name not in selectors.GROUPINGS]
    if unknown or len(set(groupings)) != len(groupings):
        raise DomainError(
            _("Unknown or repeated grouping: %(names)s. Choose from: %(known)s.")
            % {"names": ", ".join(unknown) or ", ".join(groupings), "known": ", ".join(selectors.GROUPINGS)},
            field="group_by",
        )
    rows = selectors.measures(request.scope, filters.to_filter(), groupings)
    return _measure_out(rows, groupings)


_CODED = {"location": Location, "region": Region, "touchpoint": Touchpoint}


def _measure_out(rows: list[dict], groupings: list[str]) -> list[dict]:
    """Figures as {value, n, ci_low, ci_high}; locations, regions and touchpoints named by code."""
    codes = {name: dict(model.objects.values_list("pk", "code")) for name, model in _CODED.items() if name in groupings}
    result = []
    for row in rows:
        group = dict(row["group"])
        for name, by_id in codes.items():
            group[name] = by_id.get(group[name])
        figures = {name: value.as_dict() if hasattr(value, "as_dict") else value for name, value in row.items()}
        result.append({**figures, "group": group})
    return result


# --- Invitations ---------------------------------------------------------------------------------


@router.post("/invitations", response={201: InvitationOut, **ERRORS}, tags=["feedback"])
def invitation_create(request, payload: InvitationIn):
    """Create an email invitation and queue it for sending by the background worker."""
    location = location_by_code(payload.location)
    require_location(request.scope, location)
    survey = survey_by_slug(payload.survey)
    touchpoint = touchpoint_by_code(payload.touchpoint)
    person = staff_of_location([payload.person], location, field="person")[0] if payload.person else None
    with transaction.atomic():
        invitation = services.invitation_create(
            survey=survey,
            location=location,
            email=payload.email.strip(),
            touchpoint=touchpoint,
            person=person,
            language=payload.language,
            transaction_ref=payload.transaction_ref,
        )
        invitation_send_after_commit(invitation.pk)
    return Status(
        201,
        {
            "id": invitation.pk,
            "email": invitation.email,
            "survey": survey.slug,
            "location": location.code,
            "touchpoint": touchpoint.code if touchpoint else None,
            "person": person.pk if person else None,
            "language": invitation.language,
            "transaction_ref": invitation.transaction_ref,
            "status": invitation.status,
            "created_at": invitation.created_at,
        },
    )
